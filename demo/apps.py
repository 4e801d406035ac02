from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader (`manage.py load_demo`), on top of every other app. No models."""

    name = "demo"
