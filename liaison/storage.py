"""File storage for what must never be served as it is (ledger exports with phone numbers)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="liaison.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_ROOT, outside MEDIA_ROOT; they have no URL of their own.

    Like the default storage follows MEDIA_ROOT, this one follows PRIVATE_ROOT, also when the
    setting changes (in tests).
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")
