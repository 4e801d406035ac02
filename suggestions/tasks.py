from celery import shared_task

from . import reminders


@shared_task(acks_late=True)
def remind_overdue_suggestions() -> int:
    """Daily: tell departments, station staff and key-suggestion supervisors what is overdue."""
    return reminders.remind_overdue()
