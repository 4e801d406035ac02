"""Request types for the views' signatures."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind `login_required` receives: its `user` has signed in.

    Only a type, in django-stubs' way: Django still hands the view a plain HttpRequest. It lets
    the view pass `request.user` to a service that records who acted (`actor: User`), where a
    plain HttpRequest's user might be anonymous.
    """

    user: User
