"""The user admin split between the system administrator (the accounts themselves) and the
security administrator (who holds which role); nobody but a superuser makes a superuser."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from liaison.roles import check_administrator_roles

ASSIGN_ROLE = "accounts.assign_role"
ROLE_FIELDS = ("groups", "user_permissions")


class AccountChangeForm(UserChangeForm):
    def clean_groups(self) -> Any:
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            check_administrator_roles(group.name for group in groups)
        return groups


class AccountAdmin(UserAdmin):
    form = AccountChangeForm

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or request.user.has_perm(ASSIGN_ROLE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The security administrator changes only the roles (see get_readonly_fields).
        return super().has_change_permission(request, obj) or request.user.has_perm(ASSIGN_ROLE)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = set(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return tuple(readonly)
        readonly.add("is_superuser")
        if not request.user.has_perm(ASSIGN_ROLE):
            readonly.update(ROLE_FIELDS)
        if obj is not None and not super().has_change_permission(request, obj):
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
            readonly.update(name for name in fields if name not in ROLE_FIELDS)
        return tuple(readonly)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Giving roles is not managing accounts: only those who change users set passwords.
        if not super().has_change_permission(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
