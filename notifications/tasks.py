"""Celery adapters over notifications.services; the outbox row carries all state and retries.

Retries are not on the task: a failed send reschedules its row (next_attempt_at with backoff)
and the periodic sweep picks it up, so a retry survives a broker restart or a lost task.
"""

from celery import shared_task

from . import services


# acks_late: a worker killed mid-task leaves the task on the broker for another worker; the
# claim in message_send keeps that second delivery from sending twice.
@shared_task(acks_late=True, ignore_result=True)
def send_message(message_id: int) -> bool:
    return services.message_send(message_id=message_id)


# The name is fixed because CELERY_BEAT_SCHEDULE refers to it.
@shared_task(name="notifications.tasks.send_pending_messages", ignore_result=True)
def send_pending_messages() -> int:
    return services.send_pending_messages()
