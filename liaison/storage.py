"""File storage for what must never be served as it is: citizens' photos, ledger exports.

Files in it reach people only through views that check who may see them (the workbench's photo
view, the ledger's download view).
"""

import os
from typing import Any, NoReturn

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="liaison.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_ROOT, outside MEDIA_ROOT; they have no URL of their own.

    Like the default storage follows MEDIA_ROOT, this one follows PRIVATE_ROOT, also when the
    setting changes (in tests).
    """

    # Set by FileSystemStorage.__init__ (the `location` it was given); the stubs leave it out.
    _location: str | None

    @cached_property
    def base_location(self) -> str | os.PathLike[str]:
        location: str | os.PathLike[str] = self._value_or_setting(
            self._location, settings.PRIVATE_ROOT
        )
        return location

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        # Django calls this for every changed setting; the stubs name only the parent's four.
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> NoReturn:
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


def private_storage() -> Storage:
    """The storage of files that need a permission check (settings.STORAGES["private"])."""
    return storages["private"]


def move_to_private(queryset: QuerySet[Any], field_name: str) -> int:
    """Move the files of `field_name` from the default storage to the private one (migrations).

    For rows written before the field moved to private storage. A file already moved, or gone,
    is left as it is; a name the private storage must change is written back. Returns the count.
    """
    public, private = storages["default"], storages["private"]
    moved = 0
    for pk, name in queryset.exclude(**{field_name: ""}).values_list("pk", field_name):
        if not public.exists(name):
            continue
        with public.open(name, "rb") as source:
            saved = private.save(name, source)
        if saved != name:
            queryset.filter(pk=pk).update(**{field_name: saved})
        public.delete(name)
        moved += 1
    return moved


def serve_private(file: FieldFile, *, download_name: str | None = None) -> FileResponse:
    """The response for a private file whose access the caller has checked; 404 if it is gone.

    Shown in the page (photos) unless `download_name` asks for a download. Nobody keeps a copy:
    a citizen's photo or an export is personal data.
    """
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=download_name is not None, filename=download_name or ""
    )
    add_never_cache_headers(response)
    return response
