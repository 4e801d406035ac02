from celery import shared_task

from . import services


@shared_task(acks_late=True)
def generate_reception_days() -> int:
    """Daily: fill every active rule's reception days up to the horizon (idempotent)."""
    return services.reception_days_generate()
