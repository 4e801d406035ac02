from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public pages that gather several apps: the station directory, a station's page and
    poster, the QR codes and a representative's profile. No models of its own."""

    name = "public"
