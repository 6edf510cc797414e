"""One error contract for the whole platform.

A service that refuses raises :class:`DomainError` with a stable machine ``code``, a message for
people (already translated, in the language of the request) and the HTTP ``status`` it means.
Views do not format errors themselves:

- :func:`error_response` answers in the form the path asks for. Under an API prefix
  (``/api/v1/``, ``/sta/``, ``/georeport/``, later ``/api/3/``) that is the API's own JSON error
  format, registered by the app that owns the API with :func:`register_api_errors`; everywhere
  else the platform's HTML error page (``core/error.html``).
- :func:`page_error` shows a refusal on a page that goes on: as the form's error where the page
  has a form, otherwise as a message (django.contrib.messages). It returns the status to answer with.
- A :class:`DomainError` that no view catches becomes :func:`domain_error_response` in
  :class:`ErrorContractMiddleware`: the 403/404 page with the message, or the API's JSON.
- The same middleware turns every other error answer under an API prefix that is not in the
  API's format (Django's 405 of a view decorator, a CSRF 403, …) into the API's format, so a 413
  of the body-size guard, a 404 of Django's URL resolver and a refusal of a service all look the
  same to a client of the same API.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refusal of the domain: ``code`` for programs, ``message`` for people, ``status`` for HTTP.

    ``fields`` optionally names the form fields the refusal is about, as (field, message) pairs;
    ``message`` is then all of them joined.
    """

    def __init__(
        self,
        code: str,
        message: str = "",
        status: int = 400,
        *,
        fields: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.fields = [(str(name), str(text)) for name, text in fields]
        if not message and self.fields:
            message = "; ".join(text for _name, text in self.fields)
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(field, message) pairs; one pair with an empty field when no field is named."""
        return self.fields or [("", self.message)]

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r}, {self.status})"


ErrorRenderer = Callable[[HttpRequest, int, str, str], HttpResponse]


@dataclass(frozen=True)
class ApiErrorFormat:
    prefix: str  # path prefix without the language, e.g. "/api/v1/"
    render: ErrorRenderer


_formats: dict[str, ApiErrorFormat] = {}


def register_api_errors(prefix: str, render: ErrorRenderer) -> ErrorRenderer:
    """Declare that errors under ``prefix`` are answered by ``render(request, status, code, message)``.

    The renderer must not touch the database: it also answers the 500 of a broken database.
    """
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
    401: ("unauthorized", "Anmeldung erforderlich."),
    403: ("forbidden", "Dafür fehlt Ihnen die Berechtigung."),
    404: ("not_found", "Diese Seite oder dieser Eintrag existiert nicht."),
    405: ("method_not_allowed", "Diese Methode ist hier nicht erlaubt."),
    409: ("conflict", "Die Anfrage passt nicht zum aktuellen Stand."),
    410: ("gone", "Diesen Eintrag gibt es nicht mehr."),
    413: ("too_large", "Die Anfrage ist zu groß."),
    429: ("rate_limited", "Zu viele Anfragen. Bitte versuchen Sie es etwas später noch einmal."),
    500: ("server_error", "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später noch einmal."),
    501: ("not_implemented", "Das wird hier nicht unterstützt."),
    503: (
        "unavailable",
        "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.",
    ),
}

# Headline of the HTML error page per status (the message is the text under it).
_PAGE_TITLES = {
    400: "Die Anfrage ist fehlerhaft",
    403: "Kein Zugriff",
    404: "Seite nicht gefunden",
    405: "Diese Aktion ist hier nicht möglich",
    409: "Das geht gerade nicht",
    410: "Nicht mehr verfügbar",
    413: "Die Anfrage ist zu groß",
    429: "Zu viele Anfragen",
}


def default_error(status: int) -> tuple[str, str]:
    """Code and translated message of a plain HTTP error status."""
    code, message = _TITLES.get(status, (f"http_{status}", "Die Anfrage konnte nicht bearbeitet werden."))
    return code, _(message)


def page_title(status: int) -> str:
    return _(_PAGE_TITLES.get(status, "Das hat nicht geklappt"))


def error_response(
    request: HttpRequest,
    *,
    status: int,
    code: str | None = None,
    message: str | None = None,
    title: str | None = None,
) -> HttpResponse:
    """Answer an error in the form ``request.path`` asks for (API JSON or the HTML error page).

    ``title`` is the headline of the HTML page (a default per status otherwise); APIs ignore it.
    """
    default_code, default_message = default_error(status)
    code = code or default_code
    message = message or default_message
    fmt = api_format_for(request.path)
    if fmt is not None:
        return fmt.render(request, status, code, message)
    context = {"status": status, "title": title or page_title(status), "text": message}
    return render(request, "core/error.html", context, status=status)


def domain_error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    return error_response(request, status=error.status, code=error.code, message=error.message)


def page_error(request: HttpRequest, error: DomainError, *, form: Any = None) -> int:
    """Show a refusal on the page being answered; returns the HTTP status the page answers with.

    With a ``form``, each message becomes the form's error (of the named field where the form has
    it, else of the whole form); without one, a message shown on the next page (redirect) or this one.
    """
    for field, message in error.errors:
        if form is not None:
            form.add_error(field if field in getattr(form, "fields", {}) else None, message)
        else:
            messages.error(request, message)
    return error.status


# --- the API prefix /api/v1/ -------------------------------------------------------------------
def json_error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The error body of /api/v1/ (and of every API that has no format of its own): ``{"code", "message"}``."""
    body = json.dumps({"code": code, "message": message}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


# --- middleware --------------------------------------------------------------------------------
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _in_api_format(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        return True
    if not getattr(response, "content", b""):
        return False
    return not content_type.startswith("text/html")


class ErrorContractMiddleware:
    """Uncaught DomainError → its answer; any HTML or empty error answer under an API prefix → API format."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code < 400 or api_format_for(request.path) is None or _in_api_format(response):
            return response
        converted = error_response(request, status=response.status_code)
        for header in _KEPT_HEADERS:
            if header in response:
                converted[header] = response[header]
        return converted

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return domain_error_response(request, exception)
        return None
