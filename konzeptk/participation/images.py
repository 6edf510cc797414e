"""Images attached to ideas: a real image of at most 5 MB, re-encoded so no metadata (EXIF, GPS) survives."""

from __future__ import annotations

import io
import uuid
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


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
    not_an_image = ValidationError(
        _("Die Datei ist kein Bild. Erlaubt sind JPEG, PNG, WebP und GIF."), code="not_an_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(
                        _("Das Bild hat zu viele Bildpunkte. Bitte wählen Sie ein kleineres Bild."),
                        code="image_too_many_pixels",
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                rgb = upright.convert("RGB")
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Warning,
    ) as exc:
        raise not_an_image from exc
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=85, optimize=True)  # no exif=: only pixels are written
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
