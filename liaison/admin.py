"""Admin pieces shared by every app."""

import base64
import hashlib
from collections.abc import Callable
from typing import TypeVar, cast

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponseBase

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
