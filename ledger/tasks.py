from celery import shared_task

from . import exports


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
