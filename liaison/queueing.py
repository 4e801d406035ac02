"""Queueing a task after commit, for work that a periodic sweep also picks up.

A service queues its app's task by the task's registered name, so the service never imports the
tasks module, which imports the service: no import circle, and one way for every app.
"""

import logging
from typing import Any

from celery import Task

from .celery import app

logger = logging.getLogger(__name__)


def registered_task(name: str) -> Task[..., Any]:
    """The task registered under `name`; unknown names raise celery's NotRegistered."""
    tasks = app.tasks
    if name not in tasks:
        # A worker imports every task module when it starts; a web process or a shell imports
        # them here, on the first task queued by name.
        app.loader.import_default_modules()
    return tasks[name]


def delay_or_leave_to_sweep(task_name: str, *args: Any, warning: str) -> bool:
    """`delay(*args)` on the task registered as `task_name`, or `warning` (formatted with the
    args) if the broker cannot take it; whether it was queued.

    For callbacks run after a commit: the change is saved already, and its row says the work is
    still to do, so an error here would only turn late work into an error page. The periodic
    sweep that looks for such rows queues the work again.
    """
    task = registered_task(task_name)
    try:
        task.delay(*args)
    except Exception:
        logger.warning(warning, *args, exc_info=True)
        return False
    return True
