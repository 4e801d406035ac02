"""The periodic task that keeps the statistics summaries (see ledger.statistics.summaries)."""

from celery import shared_task

from .statistics import summaries


@shared_task(acks_late=True)
def refresh_statistics() -> list[str]:
    """Every ten minutes: changed months; on the first run of a day, the last 24 months whole."""
    return [f"{month:%Y-%m}" for month in summaries.refresh_statistics()]
