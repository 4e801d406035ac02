"""Suggestions' models. `suggestions.models.X` stays the import path (migrations name
`suggestions.models.photo_path`)."""

from .handling import (
    Department,
    DepartmentTask,
    ExtensionRequest,
    HandlingTimeLimit,
    PhoneAccess,
    ReplyTemplate,
)
from .privacy import DataRequest, DataRequestEvent
from .suggestion import (
    TRACKING_CODE_LENGTH,
    Suggestion,
    SuggestionEvent,
    SuggestionPhoto,
    SuggestionQuerySet,
    Theme,
    format_tracking_code,
    photo_path,
)

__all__ = [
    "DataRequest",
    "DataRequestEvent",
    "TRACKING_CODE_LENGTH",
    "Department",
    "DepartmentTask",
    "ExtensionRequest",
    "HandlingTimeLimit",
    "PhoneAccess",
    "ReplyTemplate",
    "Suggestion",
    "SuggestionEvent",
    "SuggestionPhoto",
    "SuggestionQuerySet",
    "Theme",
    "format_tracking_code",
    "photo_path",
]
