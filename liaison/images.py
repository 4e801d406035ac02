"""Uploaded photos: check that they really are images, then store a clean, smaller copy."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}


def process_uploaded_image(
    upload: UploadedFile, *, max_pixels: int, max_bytes: int | None = None
) -> ContentFile:
    """Validate `upload` and return a re-encoded JPEG no larger than `max_pixels` on its long side.

    Only the pixels are kept: they are copied into a new image before encoding, so no
    metadata (EXIF and GPS, XMP, ICC profiles, JPEG and GIF comments, PNG text chunks) nor
    anything hidden after the image data reaches the stored copy, whose name is random (the
    uploader's file name may carry a name or a place). Orientation from EXIF is applied first so
    the picture stays upright. The pixel count is read from the header and checked before any
    decoding (decompression bombs).
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
            if probe.width * probe.height > settings.PHOTO_MAX_SOURCE_PIXELS:
                raise ValidationError(_("The photo has too many pixels."), code="too_many_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as source:
            image = ImageOps.exif_transpose(source).convert("RGB")
            image.thumbnail((max_pixels, max_pixels), Image.Resampling.LANCZOS)
            # A new image has an empty `info`; Pillow would otherwise write a comment back.
            pixels_only = Image.new("RGB", image.size)
            pixels_only.paste(image)
            out = io.BytesIO()
            pixels_only.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a photo we can read. Please upload a JPEG or PNG picture."),
            code="invalid_image",
        ) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
