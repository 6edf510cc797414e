"""One error contract for the whole platform.

A service that refuses raises :class:`DomainError` with a stable machine ``code``, a message for
people (already translated, in the language of the request) and the HTTP ``status`` it means.
Views do not format errors themselves: :func:`error_response` answers in the form the path asks for.

- Under an API prefix (``/api/v1/``, ``/sta/``, ``/georeport/``, later ``/api/3/``) the API's own
  JSON error format, registered by the app that owns the API with :func:`register_api_errors`.
- Everywhere else the platform's HTML error page (``core/error.html``).

So a 413 from the body-size guard, a 404 of Django's URL resolver and a refusal of a service all
look the same to a client of the same API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refusal of the domain: ``code`` for programs, ``message`` for people, ``status`` for HTTP."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r}, {self.status})"


ErrorRenderer = Callable[[HttpRequest, int, str, str], HttpResponse]


@dataclass(frozen=True)
class ApiErrorFormat:
    prefix: str  # path prefix without the language, e.g. "/api/v1/"
    render: ErrorRenderer


_formats: dict[str, ApiErrorFormat] = {}


def register_api_errors(prefix: str, render: ErrorRenderer) -> ErrorRenderer:
    """Declare that errors under ``prefix`` are answered by ``render(request, status, code, message)``."""
    _formats[prefix] = ApiErrorFormat(prefix=prefix, render=render)
    return render


def api_format_for(path: str) -> ApiErrorFormat | None:
    """The registered API error format of ``path`` (longest prefix wins), or None for a page."""
    best: ApiErrorFormat | None = None
    for fmt in _formats.values():
        if path.startswith(fmt.prefix) and (best is None or len(fmt.prefix) > len(best.prefix)):
            best = fmt
    return best


_TITLES = {
    400: ("bad_request", "Die Anfrage ist ungültig."),
    403: ("forbidden", "Dafür fehlt Ihnen die Berechtigung."),
    404: ("not_found", "Diese Seite oder dieser Eintrag existiert nicht."),
    405: ("method_not_allowed", "Diese Methode ist hier nicht erlaubt."),
    413: ("too_large", "Die Anfrage ist zu groß."),
    429: ("rate_limited", "Zu viele Anfragen. Bitte versuchen Sie es etwas später noch einmal."),
}


def default_error(status: int) -> tuple[str, str]:
    """Code and translated message of a plain HTTP error status."""
    code, message = _TITLES.get(status, (f"http_{status}", "Die Anfrage konnte nicht bearbeitet werden."))
    return code, _(message)


def error_response(
    request: HttpRequest, *, status: int, code: str | None = None, message: str | None = None
) -> HttpResponse:
    """Answer an error in the form ``request.path`` asks for (API JSON or the HTML error page)."""
    default_code, default_message = default_error(status)
    code = code or default_code
    message = message or default_message
    fmt = api_format_for(request.path)
    if fmt is not None:
        return fmt.render(request, status, code, message)
    context = {"status": status, "title": message, "text": ""}
    return render(request, "core/error.html", context, status=status)


def domain_error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    return error_response(request, status=error.status, code=error.code, message=error.message)
