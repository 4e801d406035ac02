"""Daily reminders about overdue suggestions. Each goes out at most once a day per suggestion and
person: the outbox key carries the date, so a rerun of the task the same day sends nothing."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from notifications.services import Channel, notify

from .models import DepartmentTask, Suggestion

BATCH = 500


def overdue_suggestions(today=None):
    today = today or timezone.localdate()
    return Suggestion.objects.overdue(today).select_related("station", "key_supervisor")


def _recipients(suggestion: Suggestion) -> list:
    User = get_user_model()
    departments = (
        DepartmentTask.objects.filter(suggestion=suggestion)
        .exclude(state=DepartmentTask.State.HANDED_BACK)
        .values("department_id")
    )
    station_ids = [suggestion.station_id] + (
        [suggestion.station.parent_id] if suggestion.station.parent_id else []
    )
    people = User.objects.filter(
        Q(departments__in=departments) | Q(managed_stations__in=station_ids), is_active=True
    ).distinct()
    extra = [suggestion.key_supervisor] if suggestion.is_key and suggestion.key_supervisor else []
    return [*people, *extra]


def remind_overdue(today=None) -> int:
    from django.conf import settings

    today = today or timezone.localdate()
    sent = 0
    for suggestion in overdue_suggestions(today).iterator(chunk_size=BATCH):
        for user in _recipients(suggestion):
            if not user.email:
                continue
            message = notify(
                key=f"overdue:{suggestion.pk}:{user.pk}:{today.isoformat()}",
                channel=Channel.EMAIL,
                recipient=user.email,
                template="suggestion_overdue",
                context={
                    "title": suggestion.title,
                    "tracking_code": suggestion.display_tracking_code,
                    "station_name": suggestion.station.name,
                    "deadline": suggestion.deadline,
                    "workbench_url": f"{settings.SITE_URL}/workbench/suggestions/{suggestion.pk}/",
                },
            )
            sent += message is not None
    return sent
