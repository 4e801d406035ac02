"""Admin pieces shared by every app."""

import re
from typing import Any

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest

_ASCII_NUMBER = re.compile(r"[0-9]{1,5}", re.ASCII)
# Date lookups a change list's address may carry, and the largest value each can have.
_DATE_PARTS = {"year": 9999, "iso_year": 9999, "quarter": 4, "month": 12, "week": 53,
               "iso_week_day": 7, "week_day": 7, "day": 31}  # fmt: skip


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
