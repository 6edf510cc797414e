"""Guards every request passes before a view runs: body size and the general write budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from konzeptk.core import ratelimits
from konzeptk.core.errors import error_response

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
