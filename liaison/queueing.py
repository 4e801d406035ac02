"""Queueing a task after commit, for work that a periodic sweep also picks up."""

import logging
from typing import Any

from celery import Task

logger = logging.getLogger(__name__)


def delay_or_leave_to_sweep(task: Task[..., Any], *args: Any, warning: str) -> bool:
    """`task.delay(*args)`, or `warning` (formatted with the args) if the broker cannot take it;
    whether it was queued.

    For callbacks run after a commit: the change is saved already, and its row says the work is
    still to do, so an error here would only turn late work into an error page. The periodic
    sweep that looks for such rows queues the work again.
    """
    try:
        task.delay(*args)
    except Exception:
        logger.warning(warning, *args, exc_info=True)
        return False
    return True
