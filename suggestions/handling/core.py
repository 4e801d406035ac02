"""What every handling step shares: the lock, the state check, the record and the messages."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from liaison.phones import is_mobile
from notifications.services import Channel, notify

from ..models import (
    Department,
    Suggestion,
    SuggestionEvent,
)
from ..services import record_event, track_url

Status = Suggestion.Status
Route = Suggestion.Route


class TransitionError(Exception):
    """The suggestion is not in a state that allows this step (someone else was faster)."""

    def __init__(self, message=None):
        super().__init__(
            message or _("This suggestion has changed meanwhile; reload and look again.")
        )


@dataclass(frozen=True)
class Step:
    action: str
    note: str = ""
    public: bool = False


# --- helpers -------------------------------------------------------------------------------


def _lock(suggestion: Suggestion) -> Suggestion:
    return (
        Suggestion.objects.select_related("station__region")
        .select_for_update(of=("self",))
        .get(pk=suggestion.pk)
    )


def _require(suggestion: Suggestion, *statuses: str) -> None:
    if suggestion.status not in statuses:
        raise TransitionError(
            _("This suggestion is now “%(status)s”, so this step is no longer possible.")
            % {"status": suggestion.get_status_display()}
        )


def _record(
    suggestion: Suggestion, *, actor: User | None, old_status: str, step: Step
) -> SuggestionEvent:
    return record_event(
        suggestion,
        action=step.action,
        old_status=old_status,
        actor=actor,
        note=step.note,
        public=step.public,
    )


def _save(
    suggestion: Suggestion,
    *,
    actor: User | None,
    old_status: str,
    step: Step,
    fields: Iterable[str],
) -> None:
    suggestion.save(update_fields=[*fields, "status", "updated"])
    _record(suggestion, actor=actor, old_status=old_status, step=step)


def _tell_citizen(suggestion: Suggestion, template: str, **context) -> None:
    """An SMS to the citizen and to everyone whose duplicate was merged into this suggestion."""
    people = [suggestion, *suggestion.duplicates.all()]
    for person in people:
        if not is_mobile(person.phone):
            continue
        notify(
            key=f"suggestion:{suggestion.pk}:{template}:{suggestion.reopen_count}:{person.pk}",
            channel=Channel.SMS,
            recipient=person.phone,
            template=template,
            context={
                "station_name": suggestion.station.name,
                "tracking_code": person.display_tracking_code,
                "track_url": track_url(person),
                **context,
            },
        )


def _tell_users(users, *, key: str, template: str, suggestion: Suggestion, **context) -> None:
    for user in users:
        if user.email:
            notify(
                key=f"{key}:{user.pk}",
                channel=Channel.EMAIL,
                recipient=user.email,
                template=template,
                context={
                    "suggestion": suggestion,
                    "title": suggestion.title,
                    "tracking_code": suggestion.display_tracking_code,
                    "station_name": suggestion.station.name,
                    "workbench_url": f"{settings.SITE_URL}/workbench/suggestions/{suggestion.pk}/",
                    **context,
                },
            )


def _station_staff(suggestion: Suggestion):
    station = suggestion.station
    ids = [station.pk] + ([station.parent_id] if station.parent_id else [])
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(managed_stations__in=ids, is_active=True).distinct()


def _handlers(department: Department):
    return department.handlers.filter(is_active=True)
