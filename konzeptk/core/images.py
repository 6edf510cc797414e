"""Images from strangers: bound the work before decoding, then re-encode only their pixels.

An image file says in its header how large it is; decoding costs in proportion to that, not to the
file's size (a 78 kB PNG of 1 × 39,999,000 pixels took 7–8 s of CPU). So, in this order:

1. The header is read (Pillow's ``Image.open`` reads no pixel data): the format must be allowed, the
   canvas at most :data:`MAX_PIXELS` (25 megapixels) and no side more than :data:`MAX_ASPECT` times
   the other (1:20). Decompression bombs and absurd strips are refused here, in milliseconds.
2. The decoding runs in a child process (konzeptk/core/imagedecode.py) that bounds its own CPU time
   and memory (``RLIMIT_CPU``, ``RLIMIT_AS``) and is killed after :data:`DECODE_SECONDS` of wall
   time. A file that fools the header check cannot hold a web worker longer than that.

Re-encoding with Pillow writes nothing but pixels: EXIF (camera, time, GPS position), XMP and other
metadata are gone. The EXIF orientation is applied first so a photo stays upright. Callers check the
byte size themselves and turn the errors (all :class:`ImageRejected`, each with a German ``message``)
into form errors.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 25_000_000
MAX_ASPECT = 20
DECODE_SECONDS = 10
DECODE_MEMORY_BYTES = 1536 * 1024 * 1024
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO"})
_CHILD = Path(__file__).with_name("imagedecode.py")


class ImageRejected(ValueError):
    """The upload cannot be used as an image; ``message`` says why, in the language of the request."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def message(self) -> str:
        return _("Die Datei ist kein Bild. Erlaubt sind JPEG, PNG, WebP und GIF.")


class NotAnImageError(ImageRejected):
    """The bytes are no image of an allowed format (or a broken one)."""


class TooManyPixelsError(ImageRejected):
    """The image is larger than MAX_PIXELS (a decompression bomb or simply too big)."""

    @property
    def message(self) -> str:
        return _(
            "Das Bild hat zu viele Bildpunkte (höchstens %(mp)d Megapixel). Bitte wählen Sie ein kleineres Bild."
        ) % {"mp": MAX_PIXELS // 1_000_000}


class AspectRatioError(ImageRejected):
    """One side is more than MAX_ASPECT times the other."""

    @property
    def message(self) -> str:
        return _(
            "Das Bild ist zu schmal oder zu lang (eine Seite höchstens %(n)d-mal so lang wie die andere)."
        ) % {"n": MAX_ASPECT}


class DecodeTimeoutError(ImageRejected):
    """Decoding took longer than DECODE_SECONDS and was stopped."""

    @property
    def message(self) -> str:
        return _(
            "Das Bild konnte nicht rechtzeitig verarbeitet werden. Bitte wählen Sie ein anderes Bild oder speichern Sie es neu ab."
        )


def check_header(data: bytes) -> tuple[int, int]:
    """Width and height from the header, after the format, pixel and aspect checks; reads no pixels."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format, (width, height) = probe.format, probe.size
    except Image.DecompressionBombError as exc:
        raise TooManyPixelsError(str(exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise NotAnImageError(str(exc)) from exc
    if image_format not in ALLOWED_FORMATS or width < 1 or height < 1:
        raise NotAnImageError(str(image_format))
    if width * height > MAX_PIXELS:
        raise TooManyPixelsError(f"{width}×{height}")
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise AspectRatioError(f"{width}×{height}")
    return width, height


def reencode_as_jpeg(data: bytes, *, max_side: int, quality: int = 85) -> bytes:
    """The image as JPEG without any metadata, at most ``max_side`` pixels on its long side."""
    check_header(data)
    command = [
        sys.executable,
        "-I",  # isolated: nothing from the environment or the working directory
        str(_CHILD),
        str(max_side),
        str(quality),
        str(MAX_PIXELS),
        str(DECODE_SECONDS),
        str(DECODE_MEMORY_BYTES),
        ",".join(sorted(ALLOWED_FORMATS)),
    ]
    try:
        done = subprocess.run(  # noqa: S603 – our own script, no shell, no user input in the arguments
            command, input=data, capture_output=True, timeout=DECODE_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise DecodeTimeoutError(f"> {DECODE_SECONDS} s") from exc
    if done.returncode == 0 and done.stdout:
        return done.stdout
    if done.returncode == 4:
        raise TooManyPixelsError("child")
    if done.returncode < 0:  # killed by a signal: the CPU or memory bound
        raise DecodeTimeoutError(f"signal {-done.returncode}")
    raise NotAnImageError(done.stderr.decode("utf-8", "replace")[-200:])
