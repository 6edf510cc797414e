"""Photos from strangers: check that they are real images of limited size and re-encode them.

Re-encoding with Pillow writes only the pixels: EXIF (camera, time, GPS position), XMP and
other metadata are gone. The orientation from EXIF is applied first so the photo stays upright.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from konzeptk.core.images import ImageRejected, NotAnImageError, reencode_as_jpeg
from konzeptk.core.storage import private_storage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000


def photo_storage() -> Storage:
    """Photos from residents go to the private storage (``STORAGES["private"]``: ``<data dir>/private/`` or
    the ``private/`` prefix of the S3 bucket). Nothing there has a public URL. The views hand out a photo
    that staff have published to everyone (servicedesk:photo) and an unchecked one only to staff who may
    work the report (servicedesk:staff_photo); /media/ never sees them."""
    return private_storage()


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
    try:
        jpeg = reencode_as_jpeg(data, max_side=MAX_SIDE)
    except NotAnImageError as exc:
        raise PhotoError(
            _("„%(name)s“ ist kein Foto. Erlaubt sind JPEG, PNG, WebP und GIF.") % {"name": name}
        ) from exc
    except ImageRejected as exc:  # too many pixels, too narrow, or too slow to decode
        raise PhotoError(
            _("Das Foto „%(name)s“ können wir nicht annehmen: %(reason)s")
            % {"name": name, "reason": exc.message}
        ) from exc
    return ContentFile(jpeg, name="foto.jpg")
