"""Uploaded photos: check that they really are images, then store a clean, smaller copy."""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
# Decompression bombs: refuse anything larger than a very large phone photo.
MAX_SOURCE_PIXELS = 60_000_000


def process_uploaded_image(
    upload: UploadedFile, *, max_pixels: int, max_bytes: int | None = None
) -> ContentFile:
    """Validate `upload` and return a re-encoded JPEG no larger than `max_pixels` on its long side.

    Re-encoding drops every piece of metadata (EXIF, GPS) and anything hidden after the image
    data; orientation from EXIF is applied first so the picture stays upright.
    """
    max_bytes = max_bytes or settings.PHOTO_MAX_UPLOAD_BYTES
    if upload.size and upload.size > max_bytes:
        raise ValidationError(
            _("The photo is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise UnidentifiedImageError(probe.format)
            if probe.width * probe.height > MAX_SOURCE_PIXELS:
                raise ValidationError(_("The photo has too many pixels."), code="too_many_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as source:
            image = ImageOps.exif_transpose(source)
            image = image.convert("RGB")
            image.thumbnail((max_pixels, max_pixels), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a photo we can read. Please upload a JPEG or PNG picture."),
            code="invalid_image",
        ) from None
    stem = PurePath(getattr(upload, "name", "") or "photo").stem[:40] or "photo"
    return ContentFile(out.getvalue(), name=f"{stem}.jpg")
