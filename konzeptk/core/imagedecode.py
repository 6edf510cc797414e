"""The decoding child of konzeptk/core/images.py: image bytes on stdin, a clean JPEG on stdout.

Run as a script (``python -I imagedecode.py MAX_SIDE QUALITY``), not as part of the package, so it
starts with nothing but Pillow. It bounds its own CPU time and memory before it touches the bytes;
the parent also kills it after a wall-clock timeout. Exit codes: 0 JPEG written, 3 not an image,
4 too many pixels (checked again here, in case the parent's header check was fooled).
"""

from __future__ import annotations

import io
import sys
import warnings

EXIT_NOT_AN_IMAGE = 3
EXIT_TOO_MANY_PIXELS = 4


def _bound_resources(cpu_seconds: int, memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # not on POSIX: the parent's timeout still holds
        return
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def decode(data: bytes, *, max_side: int, quality: int, max_pixels: int, formats: set[str]) -> bytes | int:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in formats:
                    return EXIT_NOT_AN_IMAGE
                if probe.width * probe.height > max_pixels:
                    return EXIT_TOO_MANY_PIXELS
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale right away
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                rgb = upright.convert("RGB")
    except Image.DecompressionBombError:
        return EXIT_TOO_MANY_PIXELS
    except (OSError, SyntaxError, ValueError, Warning):
        return EXIT_NOT_AN_IMAGE
    rgb.thumbnail((max_side, max_side))
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=quality, optimize=True)  # no exif= argument: only pixels
    return out.getvalue()


def main(argv: list[str]) -> int:
    max_side, quality, max_pixels, cpu_seconds, memory_bytes = (int(v) for v in argv[1:6])
    formats = set(argv[6].split(","))
    _bound_resources(cpu_seconds, memory_bytes)
    result = decode(
        sys.stdin.buffer.read(), max_side=max_side, quality=quality, max_pixels=max_pixels, formats=formats
    )
    if isinstance(result, int):
        return result
    sys.stdout.buffer.write(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
