"""Admin pieces shared by every app."""

from django.http import HttpRequest


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
