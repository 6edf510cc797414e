"""Absolute addresses for e-mails, letters and anything read outside a request.

Every link that leaves the platform (an e-mail, a printed letter, a feed) starts with the configured
base address ``SITE_URL`` – never with a host taken from a request, and never with a fixed
``http://127.0.0.1:8000``. ``konzeptk demo --port N`` sets ``SITE_URL`` to the address it serves.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT = "http://127.0.0.1:8000"


def site_url() -> str:
    """The configured base address without a trailing slash."""
    return str(getattr(settings, "SITE_URL", "") or DEFAULT).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (``/beteiligung/…``) as an absolute address on the configured site; a URL that is
    absolute already stays as it is."""
    return site_url() + path if path.startswith("/") else path
