from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from bench.harness import FLOOR_TABLE
from liaison.urls import urlpatterns as product_urls


def bare(request):
    """The floor: Django's request/response cycle and middleware, no query, no template."""
    return HttpResponse("ok")


@csrf_exempt
def durable_insert(request):
    """The least a submission can be: parse the multipart body, commit one row, redirect.

    No form, no CSRF check, no rate limit, no history or outbox row, no task: what is left
    of a successful submission once everything the product needs is taken out. Its ratio to
    `bare` is an upper bound for any durable submission on the same machine.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (content) VALUES (%s)", [request.POST.get("content", "")]
        )
    return HttpResponseRedirect("/bench/bare/")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/durable-insert/", durable_insert),
    *product_urls,
]
