"""Print documents as PDF (WeasyPrint), rendered from a template, with nothing fetched from the network.

WeasyPrint loads what the HTML names (style sheets, fonts, images) through a URL fetcher. Ours,
:class:`StaticOnlyFetcher`, answers only addresses under ``STATIC_URL`` – from the collected static files
(``staticfiles_storage``, also with hashed names) or, before ``collectstatic``, through the static file
finders – and ``data:`` addresses; every other address is refused, so a PDF never makes a request, also
not to the platform itself. The fonts are vendored (``static/vendor/fonts/noto-sans/``, SIL OFL 1.1) and
named in ``core/static/core/pdf.css``, which every print template includes.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

__all__ = ["StaticOnlyFetcher", "pdf_response", "render_pdf"]

#: the base URL of the HTML handed to WeasyPrint: relative addresses resolve under it, never to a host
BASE_URL = "http://static.invalid/"


def _static_name(url: str) -> str | None:
    """The static file name an address points to (``/static/a/b.css`` → ``a/b.css``), else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(BASE_URL).netloc:
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    if not name or ".." in name.split("/"):
        return None
    return name


def _read_static(name: str) -> bytes | None:
    try:
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as handle:
                data: bytes = handle.read()
                return data
    except (OSError, ValueError, NotImplementedError):
        pass
    found = finders.find(name)
    if isinstance(found, str):
        with open(found, "rb") as handle:
            return handle.read()
    return None


class StaticOnlyFetcher:
    """Built on WeasyPrint's ``URLFetcher`` at first use (WeasyPrint loads only when a PDF is made)."""

    def __new__(cls) -> Any:
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class _Fetcher(URLFetcher):  # type: ignore[misc,unused-ignore]
            def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                name = _static_name(url)
                data = _read_static(name) if name is not None else None
                if data is None:
                    raise ValueError(f"nur statische Dateien der Plattform: {url}")
                mime = mimetypes.guess_type(name or "")[0] or "application/octet-stream"
                return URLFetcherResponse(url, data, {"Content-Type": mime})

        return _Fetcher(allowed_protocols=("data", "http", "https"), allow_redirects=False)


def render_pdf(html: str) -> bytes:
    """The PDF of ``html`` (a whole document); addresses resolve only to static files."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    pdf: bytes = document.write_pdf()
    return pdf


def pdf_response(
    request: HttpRequest, *, template: str, context: dict[str, Any], filename: str, inline: bool = True
) -> HttpResponse:
    """Render ``template`` with ``context`` and answer with its PDF."""
    html = render_to_string(template, context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    safe_name = filename.replace('"', "").replace("\r", "").replace("\n", "")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{safe_name}"'
    return response
