"""Guards every request passes before a view runs: body size, NUL characters and the general write budget."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from konzeptk.core import ratelimits
from konzeptk.core.errors import api_format_for, error_response

# Three photos of 10 MB each and the form around them (servicedesk) is the largest honest request.
DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024


class BodySizeLimitMiddleware:
    """Refuse a body larger than ``MAX_REQUEST_BYTES`` from its ``Content-Length``, before reading it.

    Nothing of the body is read: the answer 413 goes out at once (a German page, or the JSON error of
    the API). A body without ``Content-Length`` (chunked) is not read by Django at all. Placed first in
    ``MIDDLEWARE`` so no other middleware touches the body before.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = getattr(settings, "MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return error_response(request, status=400)
        if length > limit:
            # (A "Connection: close" is the server's business: WSGI forbids hop-by-hop headers here.)
            response = error_response(
                request,
                status=413,
                code="too_large",
                message=_("Die Anfrage ist größer als %(mb)d MB und wurde nicht angenommen.")
                % {"mb": limit // (1024 * 1024)},
            )
            response["Content-Length"] = str(len(response.content))
            return response
        return self.get_response(request)


FORM_APIS = ("/georeport/",)  # APIs that take form fields (Open311), besides the pages
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")  # \u0000 not preceded by an escaping backslash


def _has_nul(items: Iterable[tuple[str, list[str]]]) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in items)


def request_has_nul(request: HttpRequest) -> bool:
    """Does the path, a query key or value, a form field or a JSON string carry a NUL character?

    Uploaded files may (images do); only the fields of a form count. A JSON body is searched for
    the escape ``\\u0000`` and raw NUL bytes without parsing it.
    """
    if "\x00" in request.path:
        return True
    query = request.META.get("QUERY_STRING", "")
    if ("%00" in query or "\x00" in query) and _has_nul(request.GET.lists()):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith("multipart/form-data"):
        # parsed here only where the view reads the form too: a JSON API that reads the raw body
        # (SensorThings) could not read it after the form was parsed
        reads_form = api_format_for(request.path) is None or request.path.startswith(FORM_APIS)
        return reads_form and _has_nul(request.POST.lists())
    if request.method not in ratelimits.WRITE_METHODS or not request.META.get("CONTENT_LENGTH"):
        return False
    if content_type.startswith("application/x-www-form-urlencoded"):
        body = request.body
        return (b"%00" in body or b"\x00" in body) and _has_nul(QueryDict(body).lists())
    if "json" in content_type:
        body = request.body
        # a body without any backslash (most) is cleared by one memchr; searching for the escape itself is
        # about a hundred times slower
        return b"\x00" in body or (
            b"\\" in body and b"\\u0000" in body and _ESCAPED_NUL.search(body) is not None
        )
    return False


class NulCharacterMiddleware:
    """Refuse a NUL character in the path, a query, a form field or a JSON string with a 400.

    PostgreSQL cannot store or compare text with NUL (SQLite can), so such input reached the
    database and failed there as a 500. No one types a NUL: the answer is a 400 in the API's own
    error format (/api/v1/, /sta/, /georeport/) or the German error page. Placed after the
    body-size guard and the locale, before anything reads the request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            found = request_has_nul(request)
        except MultiPartParserError:
            return error_response(request, status=400)
        if found:
            return error_response(
                request,
                status=400,
                code="invalid_character",
                message=_(
                    "Die Anfrage enthält ein Nullzeichen (NUL), das wir nicht verarbeiten können. "
                    "Bitte entfernen Sie es und versuchen Sie es noch einmal."
                ),
            )
        return self.get_response(request)


class WriteLimitMiddleware:
    """Count every write (POST, PUT, PATCH, DELETE) against the general budget ``write``.

    A view decorated with ``ratelimits.limit(name)`` counts against that named limit instead, so
    each write costs one counter.
    After authentication, so a signed-in person has a budget of their own and does not share one
    with everyone behind the same address. SensorThings writes carrying a token count against the
    ``ingest`` budget of that token (machine ingestion), see konzeptk/core/ratelimits.py.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in ratelimits.WRITE_METHODS:
            return None
        if getattr(view, "konzeptk_rate_limit", None):
            return None  # the view counts against its own, tighter limit (ratelimits.limit)
        name = "write"
        if request.path.startswith("/sta/") and "Authorization" in request.headers:
            name = "ingest"
        refusal = ratelimits.consume(request, name)
        if refusal is None:
            return None
        return ratelimits.too_many_requests(request, refusal)
