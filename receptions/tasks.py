"""Celery adapters over receptions.services and receptions.reminders; the rows carry the state.

The reminder task keeps its registered name from when it lived in `receptions.reminder_tasks`:
CELERY_BEAT_SCHEDULE and messages already queued refer to it by that name.

Both settings a killed worker needs are on the reminder task, not left to the global defaults:
acks_late keeps the task on the broker until it has finished, and reject_on_worker_lost puts it
back when the process running it dies, so another process runs it again. The rerun sends only
what the dead one had not committed, because every reminder is claimed by a unique row.
"""

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import reminders, services


@shared_task(acks_late=True)
def generate_reception_days() -> int:
    """Daily: fill every active rule's reception days up to the horizon (idempotent)."""
    return services.reception_days_generate()


# The name is fixed because CELERY_BEAT_SCHEDULE refers to it. A lost database connection is
# retried with backoff (30 s, 60 s, … at most 30 min); anything else is a bug and shows as one.
@shared_task(
    name="receptions.reminder_tasks.send_reception_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=6,
)
def send_reception_reminders(today: str | None = None) -> int:
    """Daily: duty reminders, incomplete rotas and missing duty logs. `today` as YYYY-MM-DD."""
    return reminders.send_reception_reminders(
        today=datetime.date.fromisoformat(today) if today else None
    )
