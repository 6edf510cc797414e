"""The shared image re-encoder: only pixels survive, bad input gets a typed error."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from konzeptk.core.images import MAX_PIXELS, NotAnImageError, TooManyPixelsError, reencode_as_jpeg


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 20.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", (400, 300), "steelblue").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_metadata_is_gone_and_size_is_bounded() -> None:
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()
    result = reencode_as_jpeg(original, max_side=200)
    with Image.open(io.BytesIO(result)) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 200
        assert not image.getexif()
        assert "exif" not in image.info


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n broken", b"%PDF-1.7"])
def test_garbage_is_not_an_image(data: bytes) -> None:
    with pytest.raises(NotAnImageError):
        reencode_as_jpeg(data, max_side=100)


def test_too_many_pixels_is_refused_before_decoding() -> None:
    side = int(MAX_PIXELS**0.5) + 10
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG")  # small file, huge canvas
    with pytest.raises(TooManyPixelsError):
        reencode_as_jpeg(out.getvalue(), max_side=100)
