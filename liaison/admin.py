"""Admin pieces shared by every app: the project's admin site, which answers 404 for a record
outside the user's reach, the scoping of every related-object field of the admin's forms, and
read-only pages for records only the services write."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin, IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

_ASCII_NUMBER = re.compile(r"[0-9]{1,5}", re.ASCII)
# Date lookups a change list's address may carry, and the largest value each can have.
_DATE_PARTS = {"year": 9999, "iso_year": 9999, "quarter": 4, "month": 12, "week": 53,
               "iso_week_day": 7, "week_day": 7, "day": 31}  # fmt: skip


# --- related objects in reach ------------------------------------------------------------------

#: For each model an admin form may point at, the objects a user may pick. Each app registers
#: its access home here (stations: `stations_managed_by`, representatives: their own scoping,
#: receptions: `managed_days`, …); reference data anyone may pick is registered with `everyone`.
RelationScope = Callable[[User | AnonymousUser], QuerySet[Any]]
_relation_scopes: dict[type[models.Model], RelationScope] = {}


def register_relation_scope(model: type[models.Model], scope: RelationScope) -> None:
    """Declare which `model` objects a user may pick in any admin form (its access home)."""
    _relation_scopes[model] = scope


def everyone(model: type[models.Model]) -> RelationScope:
    """The scope of reference data with nothing personal in it (regions, themes): all of it."""
    return lambda user: model._default_manager.all()


def related_in_scope(model: type[models.Model], user: User | AnonymousUser) -> QuerySet[Any] | None:
    """The `model` objects `user` may pick in an admin form; None when nobody but a superuser
    may (no access home is registered for the model, so by default nobody else picks one)."""
    if user.is_active and user.is_superuser:
        return model._default_manager.all()
    scope = _relation_scopes.get(model)
    return scope(user) if scope is not None else None


if TYPE_CHECKING:  # generic only in the type stubs
    _AdminBase = BaseModelAdmin[Any]
else:
    _AdminBase = BaseModelAdmin


class ScopedRelationsMixin(_AdminBase):
    """Every foreign key and many-to-many field of the admin's add and change forms (and of
    inlines) offers, and accepts when posted, only objects in the user's reach, whatever the
    widget (select, autocomplete, raw id): the choice field's queryset is what validates the
    posted id. A field to a model without a registered scope is read-only for everyone but
    superusers (user accounts, for one: linking an account grants its rights)."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        kwargs["queryset"] = self._scoped(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        kwargs["queryset"] = self._scoped(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        for field in self.model._meta.get_fields():
            if (
                (field.many_to_one or field.one_to_one or field.many_to_many)
                and field.concrete
                and getattr(field, "editable", False)
                and field.name not in readonly
                and field.related_model is not None
                and field.related_model != "self"
                and related_in_scope(field.related_model, request.user) is None
            ):
                readonly.append(field.name)
        return readonly

    def _scoped(
        self, db_field: models.Field[Any, Any], request: HttpRequest, queryset: QuerySet[Any] | None
    ) -> QuerySet[Any]:
        model = db_field.related_model
        assert model is not None and model != "self", db_field  # resolved once apps are ready
        allowed = related_in_scope(model, request.user)
        if allowed is None:
            return model._default_manager.none()
        if queryset is None:
            return allowed
        return queryset.filter(pk__in=allowed.values("pk"))


class DateLookupsChangeList(ChangeList):
    """Django's change list reads the date drill-down (`created__year=…`) with `int()` and
    `datetime()`, and a year like 10**30 escapes its check as OverflowError, a server error.
    Numbers a date cannot have are refused here as a bad filter (Django then shows the list
    unfiltered with its "?e=1" notice). So is a NUL byte in any filter."""

    def get_filters(self, request: HttpRequest) -> Any:
        for key, values in request.GET.lists():
            if any("\x00" in value for value in values):
                raise IncorrectLookupParameters(key)  # PostgreSQL refuses NUL in a query
            high = _DATE_PARTS.get(key.rsplit("__", 1)[-1], 0) if "__" in key else 0
            for value in values if high else ():
                if not (_ASCII_NUMBER.fullmatch(value) and 1 <= int(value) <= high):
                    raise IncorrectLookupParameters(key)
        return super().get_filters(request)


class DateLookupsMixin:
    """For every ModelAdmin: its change list (and the roster export built on it) refuses impossible
    dates in its address (a date drill-down, or any date field's `__year=` filter)."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return DateLookupsChangeList


class ScopedModelAdmin(DateLookupsMixin, ScopedRelationsMixin, admin.ModelAdmin):
    """The base of every model admin of the project (a test walks the registry to hold it):
    related objects kept to the user's scope, and no impossible date in the change list."""


class ScopedTabularInline(ScopedRelationsMixin, admin.TabularInline):
    """The base of every inline of the project."""


# --- the site ----------------------------------------------------------------------------------


class NotFoundOutsideScopeMixin:
    """A change, delete or history address of a record outside the user's reach (or of none)
    answers 404, not Django's redirect with "may have been deleted"."""

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]  # a mixin
        if obj is None:
            raise Http404(_("No such record, or not one you may open."))
        return obj


class LiaisonAdminSite(admin.AdminSite):
    """The project's admin site. Every model admin registered on it, the project's and
    third-party ones alike (auth, lockouts, devices), answers 404 outside the user's reach."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        # Third-party admins (auth, lockouts, devices) get the same 404 outside the reach and the
        # same refusal of impossible dates in their change lists as the project's own.
        mixins = tuple(
            mixin
            for mixin in (NotFoundOutsideScopeMixin, DateLookupsMixin)
            if not issubclass(admin_class, mixin)
        )
        if mixins:
            admin_class = type(
                admin_class.__name__, (*mixins, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)


# --- the strict Content-Security-Policy's one admin exception --------------------------------

Response = TypeVar("Response", bound=HttpResponseBase)


def attribute_hash(value: str) -> str:
    """The CSP source that allows one exact inline attribute value (with 'unsafe-hashes')."""
    digest = base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# django-import-export's export form (its template admin/import_export/export.html, 4.x) carries
# an onchange handler on "Select all" and two style attributes. Under the strict policy "Select
# all" would do nothing. These three exact attribute values, and nothing else, are allowed on
# that one admin page; copying the library's template to rewrite them would fall behind its
# upgrades.
IMPORT_EXPORT_FORM_POLICY = {
    "script-src-attr": ["'unsafe-hashes'", attribute_hash("onSelectToggleChange(event)")],
    "style-src-attr": [
        "'unsafe-hashes'",
        attribute_hash("padding: 0;"),
        attribute_hash("font-weight: bold;"),
    ],
}


def allow_import_export_form(
    view: Callable[[HttpRequest], Response],
) -> Callable[[HttpRequest], Response]:
    """The export form's exception, in the enforced and in the report-only policy alike."""
    decorated = csp_update(IMPORT_EXPORT_FORM_POLICY)(
        csp_update(IMPORT_EXPORT_FORM_POLICY, REPORT_ONLY=True)(view)
    )
    # The decorators hand back the view's own response, with the policy noted on it.
    return cast(Callable[[HttpRequest], Response], decorated)


class ReadOnlyAdminMixin:
    """Records written only by the services (history, outbox, exports, reminders): staff read them
    in the admin, and nobody adds, edits or deletes one there. A deleted row could let its unique
    key be written, and its message sent, a second time."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
