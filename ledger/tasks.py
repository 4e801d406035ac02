"""Celery adapters over the ledger's services: exports and the statistics summaries."""

from celery import shared_task

from . import exports
from .statistics import summaries


@shared_task(acks_late=True)
def run_export(export_id: int) -> int:
    """Write one ledger export's file; the rows written, or 0 if another worker had it."""
    export = exports.export_run(export_id=export_id)
    return export.rows if export is not None else 0


@shared_task
def sweep_exports() -> dict[str, int]:
    """The periodic sweep of exports: old files deleted, dead runs failed, lost tasks queued."""
    result = exports.exports_sweep()
    return {"expired": result.expired, "failed": result.failed, "requeued": result.requeued}


# The name is the one it had in its own module, ledger.summary_tasks: CELERY_BEAT_SCHEDULE and
# tasks already queued refer to it.
@shared_task(name="ledger.summary_tasks.refresh_statistics", acks_late=True)
def refresh_statistics() -> list[str]:
    """Every ten minutes: changed months; on the first run of a day, the last 24 months whole."""
    return [f"{month:%Y-%m}" for month in summaries.refresh_statistics()]
