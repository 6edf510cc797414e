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


# --- bounded decoding (issue 11, finding 4) ------------------------------------------------------


def _png_strip(width: int, height: int) -> bytes:
    """A valid PNG of ``width`` × ``height`` black pixels (1 bit), built row by row: small on disk."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = bytearray()
    block = row * 100_000
    remaining = height
    while remaining:
        n = min(remaining, 100_000)
        idat += compressor.compress(block if n == 100_000 else row * n)
        remaining -= n
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", bytes(idat)) + chunk(b"IEND", b"")


def test_the_strip_of_40_million_pixels_is_refused_from_its_header() -> None:
    data = _png_strip(1, 39_999_000)
    assert len(data) < 200_000  # the finding's 78 kB file
    with pytest.raises(TooManyPixelsError) as refused:
        reencode_as_jpeg(data, max_side=100)
    assert "höchstens 25 Megapixel" in refused.value.message


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    data = _png_strip(8000, 8000)  # 64 megapixels in a few kB
    assert len(data) < 100_000
    with pytest.raises(TooManyPixelsError):
        reencode_as_jpeg(data, max_side=100)


def test_a_narrow_strip_under_the_pixel_limit_is_refused_for_its_aspect_ratio() -> None:
    from konzeptk.core.images import AspectRatioError

    with pytest.raises(AspectRatioError) as refused:
        reencode_as_jpeg(_png_strip(10, 5000), max_side=100)
    assert "zu schmal oder zu lang" in refused.value.message
    # 1:20 itself is fine
    assert reencode_as_jpeg(_png_strip(20, 400), max_side=100)


def test_a_decode_that_takes_too_long_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    from konzeptk.core import images

    monkeypatch.setattr(images, "DECODE_SECONDS", 0.001)  # no child process starts that fast
    with pytest.raises(images.DecodeTimeoutError) as refused:
        reencode_as_jpeg(_jpeg_with_gps(), max_side=100)
    assert "nicht rechtzeitig" in refused.value.message


def test_the_form_errors_are_german_and_clear() -> None:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from konzeptk.participation.images import clean_image
    from konzeptk.servicedesk.photos import PhotoError, clean_photo

    strip = _png_strip(1, 39_999_000)
    with pytest.raises(ValidationError) as idea_error:
        clean_image(SimpleUploadedFile("streifen.png", strip, content_type="image/png"))
    assert "zu viele Bildpunkte" in idea_error.value.messages[0]
    narrow = _png_strip(10, 5000)
    with pytest.raises(PhotoError) as photo_error:
        clean_photo(SimpleUploadedFile("streifen.png", narrow, content_type="image/png"))
    assert "„streifen.png“" in str(photo_error.value)
    assert "zu schmal oder zu lang" in str(photo_error.value)
