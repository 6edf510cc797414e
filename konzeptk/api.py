"""The JSON API under /api/v1/; each app adds its router here.

Every error is JSON ``{"code", "message"}`` (validation errors add ``details``) through the one
error contract of ``konzeptk.core.errors``; request bodies are parsed with a nesting limit.
"""

from __future__ import annotations

import functools
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from konzeptk.core import jsonsafe
from konzeptk.core.api_index import ApiLink, api_index_response
from konzeptk.core.errors import DomainError, domain_error_response, error_response


class BoundedJsonParser(Parser):
    """JSON bodies nested deeper than ``jsonsafe.MAX_DEPTH`` are refused with a 400, not a RecursionError."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            return cast(dict[str, Any], jsonsafe.loads(request.body))
        except jsonsafe.JsonTooDeep as exc:
            raise DomainError(
                "too_deep",
                _("Der JSON-Inhalt ist zu tief verschachtelt (höchstens %(n)s Ebenen).")
                % {"n": exc.max_depth},
            ) from None


_ERROR_SCHEMA = {
    "title": "Fehler",
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Maschinenlesbarer Fehlercode"},
        "message": {"type": "string", "description": "Erklärung für Menschen (Sprache der Anfrage)"},
        "details": {
            "type": "array",
            "items": {"type": "object"},
            "description": "nur bei ungültigen Parametern",
        },
    },
    "required": ["code", "message"],
}


# A NUL character is refused with a 400 in every parameter (core.middleware.NulCharacterMiddleware:
# PostgreSQL cannot hold it in text); the schema says so for each text parameter.
NO_NUL_PATTERN = "^[^\\u0000]*$"


def _no_nul(schema: dict[str, Any]) -> None:
    for variant in schema.get("anyOf", [schema]):
        if variant.get("type") == "string" and "pattern" not in variant and "enum" not in variant:
            variant["pattern"] = NO_NUL_PATTERN


class KonzeptKApi(NinjaAPI):
    """NinjaAPI whose OpenAPI schema declares the error answers of every operation.

    Every operation may answer 400 (invalid parameters, also paging beyond the bounds) and, like
    every route, 404/405/413/429/500 in the same JSON form: declared once as ``default``.
    """

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    _no_nul(parameter.get("schema", {}))
                responses = operation.setdefault("responses", {})
                responses.setdefault("400", {"description": "Ungültige Anfrage", **error})
                responses.setdefault("default", {"description": "Fehler", **error})
        return schema


api = KonzeptKApi(
    title="Konzept K API",
    version="1.0.0",
    description="Offene Schnittstelle der Smart-City-Plattform Konzept K. Lesender Zugriff ist öffentlich.",
    urls_namespace="api-v1",
    parser=BoundedJsonParser(),
)


def _describe(error: dict[str, Any]) -> str:
    """One validation error of pydantic as a German sentence naming the parameter."""
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name = ".".join(loc) or "?"
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "less_than_equal":
        return _("„%(name)s“ darf höchstens %(limit)s sein.") % {"name": name, "limit": ctx.get("le")}
    if kind == "greater_than_equal":
        return _("„%(name)s“ muss mindestens %(limit)s sein.") % {"name": name, "limit": ctx.get("ge")}
    if kind == "missing":
        return _("„%(name)s“ fehlt.") % {"name": name}
    if kind.startswith("int_"):
        return _("„%(name)s“ muss eine ganze Zahl sein.") % {"name": name}
    if kind.startswith("uuid_"):
        return _("„%(name)s“ muss eine UUID sein.") % {"name": name}
    return _("„%(name)s“ ist ungültig.") % {"name": name}


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"loc": list(e.get("loc", ())), "type": e.get("type", ""), "message": _describe(e)}
        for e in exc.errors
    ]
    message = " ".join(d["message"] for d in details[:5]) or _("Die Anfrage ist ungültig.")
    code = "missing_parameter" if details and all(d["type"] == "missing" for d in details) else "invalid"
    return api.create_response(request, {"code": code, "message": message, "details": details}, status=400)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return domain_error_response(request, exc)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(
        request, status=exc.status_code, code=getattr(exc, "code", None), message=str(exc) or None
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, status=401, code="unauthorized", message=_("Anmeldung erforderlich."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, status=404, message=str(exc) or None)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    raise exc  # Django logs it and answers through handler500: JSON without a trace, also in DEBUG


def _register_routers() -> None:
    from konzeptk.city.api import router as city_router

    api.add_router("/city/", city_router)
    api.add_router("/strategy/", "konzeptk.strategy.api.router")
    api.add_router("/participation/", "konzeptk.participation.api.router")
    api.add_router("/participation/", "konzeptk.ballots.api.router")  # the ballot result keeps its path
    api.add_router("/participation/", "konzeptk.surveys.api.router")  # the survey results keep their path
    api.add_router("/insights/", "konzeptk.insights.api.router")


_register_routers()

#: what each part of the API holds, for the index page (a part without a title shows its path alone)
SECTION_TITLES = {
    "city": _lazy("Stadtprofil: Grenze, Gebiete, Orte, Gebiet eines Punktes"),
    "strategy": _lazy("Smart-City-Strategie: Fassungen, Projekte, Kennzahlen"),
    "participation": _lazy("Beteiligung: Verfahren, Ideen, Ergebnisse von Abstimmungen und Umfragen"),
    "insights": _lazy("Auswertungen: Repräsentativität der Beteiligung"),
}


@functools.cache
def _section_prefixes() -> tuple[str, ...]:
    """The first path segment of every route of the API, in the order of the schema."""
    paths = api.get_openapi_schema(path_prefix="").get("paths", {})
    return tuple(dict.fromkeys(path.strip("/").split("/")[0] for path in paths if path.strip("/")))


def index(request: HttpRequest) -> HttpResponse:
    """``/api/v1/``: what the API is, where its OpenAPI description and documentation are, its parts."""
    base = request.path
    return api_index_response(
        request,
        name=_("Konzept K API, Version 1"),
        description=_(
            "Offene JSON-Schnittstelle der Plattform. Lesender Zugriff ist öffentlich; Listen blättern mit "
            "limit und offset, Fehler kommen als JSON mit code und message."
        ),
        links=[
            ApiLink(
                "service-desc",
                reverse("api-v1:openapi-json"),
                _("OpenAPI-Beschreibung (JSON)"),
                "application/vnd.oai.openapi+json;version=3.1",
            ),
            ApiLink(
                "service-doc",
                reverse("api-v1:openapi-view"),
                _("Dokumentation zum Ausprobieren"),
                "text/html",
            ),
            ApiLink("related", "/sta/v1.1/", _("Messwerte: OGC SensorThings API 1.1")),
            ApiLink("related", "/georeport/v2/", _("Mängelmelder: Open311 GeoReport v2")),
            ApiLink("related", "/api/3/action/", _("Katalog offener Daten: CKAN-Action-API")),
        ],
        sections=[
            (f"{base}{prefix}/", str(SECTION_TITLES.get(prefix, ""))) for prefix in _section_prefixes()
        ],
    )
