"""Where uploaded and generated files live: Django's storage API only (``STORAGES`` in the settings).

- ``default`` – public uploads (idea images, the sign-language video). Their URLs are ``MEDIA_URL`` + name,
  answered by the application, whichever backend holds the bytes.
- ``private`` – files that have no public URL and are handed out only by views that check who asks
  (Mängelmelder photos, the open-data dumps, which are served by their download view).

Without ``KONZEPTK_S3_BUCKET`` both are folders of the data directory (``media/`` and ``private/``); with it
both are prefixes (``media/``, ``private/``) of one S3 bucket (django-storages, see ``storage_s3``).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder without URLs: ``url()`` refuses, so no template can link a private file by mistake."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; they are served by views that check access.")


class _PrivateStorage(LazyObject):
    """``STORAGES["private"]``, looked up when first used and again after the setting changes (tests),
    like Django's ``default_storage``; model fields keep this proxy, not one backend."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage() -> Storage:
    """The storage of files without public URL (``STORAGES["private"]``)."""
    return cast(Storage, _private)


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty  # type: ignore[assignment]  # reset, as Django resets default_storage
