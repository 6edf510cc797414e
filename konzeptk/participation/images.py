"""Images attached to ideas: a real image of at most 5 MB, re-encoded so no metadata (EXIF, GPS) survives."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from konzeptk.core.images import ImageRejected, NotAnImageError, TooManyPixelsError, reencode_as_jpeg

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600


def clean_image(upload: Any) -> ContentFile[bytes]:
    """The upload re-encoded as JPEG with pixels only; ValidationError with a clear message otherwise."""
    size = getattr(upload, "size", None)
    too_big = ValidationError(
        _("Das Bild ist größer als 5 MB. Bitte wählen Sie ein kleineres Bild."), code="image_too_big"
    )
    if size is not None and size > MAX_BYTES:
        raise too_big
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_big
    try:
        jpeg = reencode_as_jpeg(data, max_side=MAX_SIDE)
    except TooManyPixelsError as exc:
        raise ValidationError(
            _("Das Bild hat zu viele Bildpunkte. Bitte wählen Sie ein kleineres Bild."),
            code="image_too_many_pixels",
        ) from exc
    except NotAnImageError as exc:
        raise ValidationError(
            _("Die Datei ist kein Bild. Erlaubt sind JPEG, PNG, WebP und GIF."), code="not_an_image"
        ) from exc
    except ImageRejected as exc:  # too narrow or too slow to decode
        raise ValidationError(exc.message, code="image_rejected") from exc
    return ContentFile(jpeg, name=f"{uuid.uuid4().hex}.jpg")
