"""Images from strangers: decode them safely and re-encode only their pixels.

Re-encoding with Pillow writes nothing but pixels: EXIF (camera, time, GPS position), XMP and
other metadata are gone. The EXIF orientation is applied first so a photo stays upright.
Callers check the byte size themselves and turn the two errors into messages of their own.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO"})


class NotAnImageError(ValueError):
    """The bytes are no image of an allowed format (or a broken one)."""


class TooManyPixelsError(ValueError):
    """The image is larger than MAX_PIXELS (a decompression bomb or simply too big)."""


def reencode_as_jpeg(data: bytes, *, max_side: int, quality: int = 85) -> bytes:
    """The image as JPEG without any metadata, at most ``max_side`` pixels on its long side."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise NotAnImageError(probe.format)
                if probe.width * probe.height > MAX_PIXELS:
                    raise TooManyPixelsError(f"{probe.width}×{probe.height}")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                rgb = upright.convert("RGB")
    except (NotAnImageError, TooManyPixelsError):
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Warning,
    ) as exc:
        raise NotAnImageError(str(exc)) from exc
    rgb.thumbnail((max_side, max_side))
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=quality, optimize=True)  # no exif= argument: only pixels
    return out.getvalue()
