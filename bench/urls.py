from django.http import HttpResponse
from django.urls import path

from liaison.urls import urlpatterns as product_urls


def bare(request):
    """The floor: Django's request/response cycle and middleware, no query, no template."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *product_urls]
