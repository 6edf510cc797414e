"""The JSON API under /api/v1/; each app adds its router here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

api = NinjaAPI(
    title="Konzept K API",
    version="1.0.0",
    description="Offene Schnittstelle der Smart-City-Plattform Konzept K. Lesender Zugriff ist öffentlich.",
    urls_namespace="api-v1",
)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "invalid", "message": "Die Anfrage ist ungültig.", "details": exc.errors},
        status=422,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": getattr(exc, "code", f"http_{exc.status_code}"), "message": str(exc)},
        status=exc.status_code,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "unauthorized", "message": "Anmeldung erforderlich."}, status=401
    )


def _register_routers() -> None:
    from konzeptk.city.api import router as city_router

    api.add_router("/city/", city_router)
    api.add_router("/strategy/", "konzeptk.strategy.api.router")
    api.add_router("/participation/", "konzeptk.participation.api.router")
    api.add_router("/insights/", "konzeptk.insights.api.router")


_register_routers()
