"""Photos from strangers: check that they are real images of limited size and re-encode them.

Re-encoding with Pillow writes only the pixels: EXIF (camera, time, GPS position), XMP and
other metadata are gone. The orientation from EXIF is applied first so the photo stays upright.
"""

from __future__ import annotations

import io
import warnings

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


class PhotoError(ValueError):
    """The upload is not a usable photo; the message says why, in the user's language."""


def clean_photo(upload: UploadedFile) -> ContentFile[bytes]:
    """The photo re-encoded as JPEG without metadata, at most MAX_SIDE pixels on its long side."""
    name = upload.name or "foto"
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise PhotoError(
            _("Das Foto „%(name)s“ ist größer als %(mb)d MB. Bitte wählen Sie ein kleineres Foto.")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    data = upload.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(
            _("Das Foto „%(name)s“ ist größer als %(mb)d MB. Bitte wählen Sie ein kleineres Foto.")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    not_an_image = PhotoError(
        _("„%(name)s“ ist kein Foto. Erlaubt sind JPEG, PNG, WebP und GIF.") % {"name": name}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise PhotoError(
                        _("Das Foto „%(name)s“ hat zu viele Bildpunkte. Bitte wählen Sie ein kleineres Foto.")
                        % {"name": name}
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                rgb = upright.convert("RGB")
    except PhotoError:
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
    rgb.save(out, format="JPEG", quality=85, optimize=True)  # no exif= argument: nothing but pixels
    return ContentFile(out.getvalue(), name="foto.jpg")
