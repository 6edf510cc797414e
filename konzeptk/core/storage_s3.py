"""S3-compatible object storage for uploads (django-storages), used when ``KONZEPTK_S3_BUCKET`` is set.

Imported only then, so the embedded default never loads boto3. URLs of public uploads stay
``MEDIA_URL`` + name: the application answers them and reads the bytes through the storage, so the
bucket stays private and the Content-Security-Policy (``img-src 'self'``) holds.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaS3Storage(S3Storage):
    def url(
        self, name: str, parameters: object = None, expire: object = None, http_method: object = None
    ) -> str:
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"


class PrivateS3Storage(S3Storage):
    def url(
        self, name: str, parameters: object = None, expire: object = None, http_method: object = None
    ) -> str:
        raise ValueError("Private files have no public URL; they are served by views that check access.")
