"""A password validator (AUTH_PASSWORD_VALIDATORS) that refuses the last passwords again."""

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from .selectors import recent_password_hashes
from .services import password_history_record


class PasswordHistoryValidator:
    """No reuse of the last `keep` passwords. Django calls `password_changed` after every save
    that set a new password, which is where the history is written."""

    def __init__(self, keep: int = 5) -> None:
        self.keep = keep

    def validate(self, password: str, user: object = None) -> None:
        if self.keep <= 0 or not isinstance(user, User) or user.pk is None:
            return
        for encoded in recent_password_hashes(user, self.keep):
            if check_password(password, encoded):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: object = None) -> None:
        if self.keep > 0 and isinstance(user, User) and user.pk is not None:
            password_history_record(user=user, keep=self.keep)

    def get_help_text(self) -> str:
        return ngettext(
            "The password may not be the same as your last password.",
            "The password may not be the same as any of your last %(count)d passwords.",
            self.keep,
        ) % {"count": self.keep}
