"""Celery adapters over audit.services."""

from celery import shared_task

from . import services


# The name is fixed because CELERY_BEAT_SCHEDULE refers to it.
@shared_task(name="audit.tasks.purge_expired_entries", ignore_result=True)
def purge_expired_entries() -> int:
    return services.audit_purge_expired()
