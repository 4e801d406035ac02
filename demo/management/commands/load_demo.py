"""`manage.py load_demo`: the demo network, logins, suggestions and reception days (see `demo`)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoLoader
from demo.summary import print_summary


class Command(BaseCommand):
    help = (
        "Load the demo network (Zhongduo and Xingfu townships), demo logins and suggestions in "
        "every handling state; safe to re-run."
    )

    def handle(self, *args, **options) -> None:
        loader = DemoLoader()
        try:
            loader.load()
        except ValidationError as exc:
            raise CommandError(f"演示数据与库中已有数据冲突 (demo data conflicts): {exc}") from exc
        print_summary(self.stdout, self.style, loader.created)
