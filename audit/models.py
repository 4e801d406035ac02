"""The audit log (审计日志): who did what, from where, to which object, with what outcome.

Rows are only ever inserted. On PostgreSQL triggers refuse every UPDATE and DELETE (see
AuditEntry.Meta.triggers); the one exception is audit.services.audit_purge_expired, which deletes
entries past AUDIT_RETENTION_DAYS.
"""

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The Cybersecurity Law (art. 21) asks for network logs to be kept at least six months.
MINIMUM_RETENTION_DAYS = 180


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        LOCKOUT = "lockout", _("Lockout")
        ADMIN_ADD = "admin_add", _("Admin: added")
        ADMIN_CHANGE = "admin_change", _("Admin: changed")
        ADMIN_DELETE = "admin_delete", _("Admin: deleted")
        ROLES_CHANGED = "roles_changed", _("Roles changed")
        PERMISSIONS_CHANGED = "permissions_changed", _("Permissions changed")
        ACCOUNT_CHANGED = "account_changed", _("Account status changed")
        EXPORT = "export", _("Export")
        PHONE_VIEW = "phone_view", _("Phone number viewed")
        HANDLING_STEP = "handling_step", _("Handling step")
        DATA_REQUEST = "data_request", _("Data-subject request")
        AUDIT_EXPORT = "audit_export", _("Audit log exported")
        AUDIT_PURGE = "audit_purge", _("Expired audit entries deleted")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        DENIED = "denied", _("Denied")

    time = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    # The user goes when their account is deleted; the username copy keeps the entry readable.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the (user, time) index below serves it
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    source_address = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the (content type, object id) index below serves it
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-time", "-id"]
        # The audit administrator's filters: by date, and by action, outcome or user within dates;
        # everything recorded about one object.
        indexes = [
            models.Index(fields=["-time", "-id"], name="audit_time"),
            models.Index(fields=["action", "-time"], name="audit_action_time"),
            models.Index(fields=["outcome", "-time"], name="audit_outcome_time"),
            models.Index(fields=["user", "-time"], name="audit_user_time"),
            models.Index(fields=["content_type", "object_id"], name="audit_object"),
        ]
        triggers = [
            # Nothing may be changed, except what PostgreSQL itself does when a user or a content
            # type is deleted: ON DELETE SET NULL empties that one column and nothing else.
            pgtrigger.Protect(
                name="append_only_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(
                    "((to_jsonb(OLD) - 'user_id' - 'content_type_id')"
                    " IS DISTINCT FROM (to_jsonb(NEW) - 'user_id' - 'content_type_id')"
                    " OR (NEW.user_id IS NOT NULL AND NEW.user_id IS DISTINCT FROM OLD.user_id)"
                    " OR (NEW.content_type_id IS NOT NULL"
                    " AND NEW.content_type_id IS DISTINCT FROM OLD.content_type_id))"
                ),
            ),
            # Every delete is refused; the retention task alone sets this trigger aside.
            pgtrigger.Protect(name="append_only_delete", operation=pgtrigger.Delete),
            # Never set aside: even the retention task cannot delete an entry younger than the
            # legal minimum (a day's margin for the clocks of the application and database).
            pgtrigger.Protect(
                name="retention_floor",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Condition(
                    f"OLD.time > NOW() - INTERVAL '{MINIMUM_RETENTION_DAYS - 1} days'"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.username}".strip()
