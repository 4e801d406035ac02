"""Audit entries for what Django itself signals: logins, failed logins and logouts, admin log
entries, changes of groups, permissions and account status, and django-axes' lockouts.

Thin: each receiver names what happened and calls audit_record.
"""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.http import HttpRequest

from .admin_actions import delete_selected
from .middleware import current_request
from .services import Action, AuditedObject, Outcome, audit_record

# The account flags that make someone staff, superuser or able to log in at all.
_ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")
_FLAG_CHANGES = "_audit_account_flag_changes"

_ADMIN_ACTIONS = {
    ADDITION: Action.ADMIN_ADD,
    CHANGE: Action.ADMIN_CHANGE,
    DELETION: Action.ADMIN_DELETE,
}


def _login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(action=Action.LOGIN, user=user, request=request)


def _logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.LOGOUT, user=user, request=request)


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already replaced the password with stars; only the name tried is kept.
    field = User.USERNAME_FIELD
    attempted = str(credentials.get(field) or credentials.get("username") or "")
    account = User._default_manager.filter(**{field: attempted}).first()
    audit_record(
        action=Action.LOGIN_FAILED,
        outcome=Outcome.FAILURE,
        user=account,
        request=request,
        username=attempted,
    )


def _locked_out(
    sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any
) -> None:
    audit_record(
        action=Action.LOCKOUT,
        outcome=Outcome.DENIED,
        user=None,
        request=request,
        username=username or "",
    )


def _admin_log_entry(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    request = current_request()
    audit_record(
        action=_ADMIN_ACTIONS.get(instance.action_flag, Action.ADMIN_CHANGE),
        user=instance.user,
        request=request,
        obj=AuditedObject(
            content_type=instance.content_type,
            object_id=str(instance.object_id or ""),
            text=instance.object_repr,
        ),
        details={"change": instance.get_change_message()} if instance.change_message else None,
    )


def _label(obj: models.Model) -> str:
    if isinstance(obj, Permission):
        app_label = ContentType.objects.get_for_id(obj.content_type_id).app_label
        return f"{app_label}.{obj.codename}"
    return str(obj)


def _membership_changed(
    *,
    action: str,
    owner_model: type[models.Model],
    instance: models.Model,
    reverse: bool,
    model: type[models.Model],
    related: str,
    pk_set: set[Any] | None,
    event: str,
) -> None:
    """One entry per account or group whose roles or permissions changed, from either side of
    the relation (user.groups.add(g) and g.user_set.add(user) alike)."""
    if event == "pre_clear":
        # The set about to be emptied; the entry shares the transaction of the clear itself.
        if reverse:
            owners: Iterable[models.Model] = owner_model._default_manager.filter(
                **{related: instance}
            )
            targets: Iterable[models.Model] = [instance]
        else:
            owners, targets = [instance], getattr(instance, related).all()
        key = "removed"
    else:
        if not pk_set:
            return
        if reverse:
            owners = owner_model._default_manager.filter(pk__in=pk_set)
            targets = [instance]
        else:
            owners, targets = [instance], model._default_manager.filter(pk__in=pk_set)
        key = "added" if event == "post_add" else "removed"
    labels = sorted(_label(t) for t in targets)
    request = current_request()
    for owner in owners:
        audit_record(
            action=action,
            request=request,
            obj=owner,
            details={"relation": related, key: labels},
        )


def _m2m_receiver(audit_action: str, owner_model: type[models.Model], related: str) -> Any:
    def receiver(
        sender: Any,
        instance: models.Model,
        action: str,
        reverse: bool,
        model: type[models.Model],
        pk_set: set[Any] | None,
        **kwargs: Any,
    ) -> None:
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        _membership_changed(
            action=audit_action,
            owner_model=owner_model,
            instance=instance,
            reverse=reverse,
            model=model,
            related=related,
            pk_set=pk_set,
            event=action,
        )

    return receiver


def _account_before_save(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if kwargs.get("raw") or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(_ACCOUNT_FLAGS):
        return  # last_login on every login, a password change: no flag can change
    before = sender._default_manager.filter(pk=instance.pk).values(*_ACCOUNT_FLAGS).first()
    if before is None:
        return
    changes = {
        flag: [before[flag], getattr(instance, flag)]
        for flag in _ACCOUNT_FLAGS
        if before[flag] != getattr(instance, flag)
    }
    instance.__dict__[_FLAG_CHANGES] = changes  # for _account_after_save, once saved


def _account_after_save(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if created:
        changes = {
            flag: [None, True] for flag in ("is_staff", "is_superuser") if getattr(instance, flag)
        }
    else:
        changes = instance.__dict__.pop(_FLAG_CHANGES, {})
    if changes:
        audit_record(
            action=Action.ACCOUNT_CHANGED, request=current_request(), obj=instance, details=changes
        )


def connect() -> None:
    user_logged_in.connect(_login, dispatch_uid="audit.login")
    user_logged_out.connect(_logout, dispatch_uid="audit.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit.login_failed")
    post_save.connect(_admin_log_entry, sender=LogEntry, dispatch_uid="audit.admin_log")
    pre_save.connect(_account_before_save, sender=User, dispatch_uid="audit.account_before")
    post_save.connect(_account_after_save, sender=User, dispatch_uid="audit.account_after")
    for through, audit_action, owner, related in (
        (User.groups.through, Action.ROLES_CHANGED, User, "groups"),
        (
            User.user_permissions.through,
            Action.PERMISSIONS_CHANGED,
            User,
            "user_permissions",
        ),
        (Group.permissions.through, Action.PERMISSIONS_CHANGED, Group, "permissions"),
    ):
        m2m_changed.connect(
            _m2m_receiver(audit_action, owner, related),
            sender=through,
            weak=False,
            dispatch_uid=f"audit.{owner._meta.label_lower}.{related}",
        )
    # The admin logs a deletion of several objects in one bulk insert, which sends no signal.
    admin.site.add_action(delete_selected, "delete_selected")
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out

        user_locked_out.connect(_locked_out, dispatch_uid="audit.lockout")
