"""The handling lifecycle: one function per step. Each locks the suggestion's row, checks the
actor's permission and the current state, records a history entry and queues notifications, in
one transaction. Two handlers acting at once: the second waits for the lock, then finds the
state changed and gets a clear message.

    received ─accept→ accepted ─route→ on site / explained ───────────────→ completed
       │                 │  └──route→ township / county → assigned ─sign→ in handling ─complete→ ┘
       └reject/merge     └←──────────── hand back ─────────┘                                     │
    completed ─feedback→ fed back ─rate (citizen)→ closed, or "not satisfied" → reopen once / close
"""

from .citizen import (
    phone_reveal,
    suggestion_close,
    suggestion_feedback,
    suggestion_rate,
    suggestion_reopen,
)
from .core import TransitionError
from .departments import (
    extension_decide,
    extension_request,
    task_complete,
    task_hand_back,
    task_sign,
)
from .station import (
    suggestion_accept,
    suggestion_merge,
    suggestion_reject,
    suggestion_route,
    suggestions_bulk_accept,
)
from .supervision import suggestion_add_note, suggestion_mark_key, suggestion_urge

__all__ = [
    "suggestion_accept",
    "suggestions_bulk_accept",
    "suggestion_reject",
    "suggestion_merge",
    "suggestion_route",
    "task_sign",
    "task_hand_back",
    "task_complete",
    "extension_request",
    "extension_decide",
    "suggestion_urge",
    "suggestion_mark_key",
    "suggestion_add_note",
    "suggestion_feedback",
    "suggestion_rate",
    "suggestion_reopen",
    "suggestion_close",
    "phone_reveal",
    "TransitionError",
]
