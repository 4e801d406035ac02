from celery import shared_task

from . import privacy, reminders


@shared_task(acks_late=True)
def remind_overdue_suggestions() -> int:
    """Daily: tell departments, station staff and key-suggestion supervisors what is overdue."""
    return reminders.remind_overdue()


@shared_task(acks_late=True)
def expire_personal_data() -> int:
    """Nightly: anonymise suggestions whose personal data is past its retention period."""
    return privacy.personal_data_expire()
