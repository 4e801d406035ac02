"""Every write to representatives and assignments goes through here."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from liaison.codes import new_unique_code
from liaison.images import process_uploaded_image

from .models import Assignment, Representative


def clean_photo(upload: UploadedFile):
    """The stored copy of an uploaded photo (validated, upright, resized, metadata dropped)."""
    return process_uploaded_image(upload, max_pixels=settings.PHOTO_MAX_PIXELS)


@transaction.atomic
def representative_save(
    *, representative: Representative, actor: User | None = None
) -> Representative:
    """Create or change a representative; a new one gets its public code (亮码) here and records
    who entered it (`actor`), who alone reaches it until it is assigned to a station."""
    if representative.pk is None and actor is not None and representative.created_by_id is None:
        representative.created_by = actor
    if not representative.code:
        representative.code = new_unique_code(Representative)
    representative.full_clean()
    representative.save()
    return representative


@transaction.atomic
def assignment_save(*, assignment: Assignment) -> Assignment:
    """Assign (编入) a representative to a station, refusing overlaps with a clear message."""
    # Lock the representative so two concurrent saves cannot both pass the overlap check.
    Representative.objects.select_for_update().filter(pk=assignment.representative_id).first()
    assignment.full_clean()
    assignment.save()
    return assignment
