"""The admin's "delete selected" action, audited.

Django logs the deletion of one object with a LogEntry save (post_save, audit.receivers), but
the deletion of several with one bulk insert, which sends no signal. This action, installed on
the admin site in place of Django's own, records those.
"""

from django.contrib import admin
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase

from .services import Action, AuditedObject, audit_record


@admin.action(
    permissions=["delete"],
    description=django_delete_selected.short_description,  # type: ignore[attr-defined]
)
def delete_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponseBase | None:
    confirmed = bool(request.POST.get("post"))
    targets = []
    if confirmed:
        content_type = ContentType.objects.get_for_model(modeladmin.model, for_concrete_model=False)
        # Evaluates the queryset once; Django's action reuses the same result cache.
        targets = [AuditedObject(content_type, str(obj.pk), str(obj)) for obj in queryset]
    response: HttpResponseBase | None = django_delete_selected(modeladmin, request, queryset)
    # None: the objects are gone. One object was logged by a LogEntry save, already audited.
    if confirmed and response is None and len(targets) > 1:
        for target in targets:
            audit_record(
                action=Action.ADMIN_DELETE, request=request, obj=target, details={"bulk": True}
            )
    return response
