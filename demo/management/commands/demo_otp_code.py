"""`manage.py demo_otp_code`: the 6-digit code the demo logins' authenticator shows now."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from demo.base import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the demo logins' current two-step verification code (DEBUG=1 only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "演示验证码仅在 DEBUG=1 时可用 (the demo code exists only with DEBUG=1)."
            )
        totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
        totp.time = time.time()
        seconds_left = totp.step - int(totp.time - totp.t0) % totp.step
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"还有 {seconds_left} 秒失效 (valid for {seconds_left} more seconds)")
