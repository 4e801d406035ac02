"""Sessions that know their user, previous passwords, and the permission to give roles."""

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Session(AbstractBaseSession):
    """Django's database session plus the signed-in user, so that disabling an account can end
    every one of its sessions with one DELETE (accounts.sessions writes the column)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls) -> type:
        from .sessions import SessionStore

        return SessionStore


class PasswordHistory(models.Model):
    """The hash of a password a user has had: not to be chosen again (PASSWORD_HISTORY), and
    the newest one's date is when the password last changed (PASSWORD_MAX_AGE_DAYS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name=_("user"),
    )
    password = models.CharField(_("password hash"), max_length=128)
    created = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        indexes = [models.Index(fields=["user", "-created"], name="password_history_user")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created:%Y-%m-%d %H:%M}"


class Account(User):
    """Carries the permissions that concern accounts rather than one model's rows."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("assign_role", _("Can give users their roles"))]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
