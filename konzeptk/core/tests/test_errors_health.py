"""Error pages, CSRF failure and the health endpoint."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import translation

from konzeptk.core import views


def test_500_page_renders_without_database() -> None:
    # No ``db`` fixture: pytest-django forbids every database access in this test.
    request = RequestFactory().get("/kaputt/")
    with translation.override("de"):  # LocaleMiddleware has activated the language in a real request
        response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Ein Fehler ist aufgetreten" in html
    assert '<html lang="de"' in html
    assert "Traceback" not in html


def test_unhandled_exception_gives_the_styled_500(client: Client, db: None) -> None:
    client.raise_request_exception = False
    with mock.patch("konzeptk.core.views.SitePage.objects.filter", side_effect=RuntimeError("Test")):
        response = client.get("/impressum/")
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in response.content.decode()


def test_healthz_reports_the_database(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["database"]["vendor"] in ("sqlite", "postgresql")


def test_healthz_answers_503_when_the_database_fails(client: Client, db: None) -> None:
    broken = mock.MagicMock()
    broken.__enter__.return_value.execute.side_effect = OperationalError("connection refused")
    with mock.patch.object(views.connection, "cursor", return_value=broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["database"] == {"vendor": views.connection.vendor, "ok": False, "error": "OperationalError"}


def test_healthz_refuses_post(client: Client, db: None) -> None:
    assert client.post("/healthz").status_code == 405


def test_csrf_failure_is_a_styled_403(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/barrierefreiheit/", {"message": "Der Kontrast ist zu gering."})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Das Formular ist abgelaufen" in html
    assert '<html lang="de"' in html
    from konzeptk.core.models import AccessibilityFeedback

    assert AccessibilityFeedback.objects.count() == 0


@pytest.mark.parametrize(
    ("handler", "status", "text"),
    [
        (views.bad_request, 400, "Die Anfrage ist fehlerhaft"),
        (views.permission_denied, 403, "Kein Zugriff"),
        (views.page_not_found, 404, "Seite nicht gefunden"),
    ],
)
def test_error_handlers(db: None, handler, status: int, text: str) -> None:
    request = RequestFactory().get("/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = handler(request, Exception("x"))
    assert response.status_code == status
    assert text in response.content.decode()


def test_unknown_url_under_arabic_gets_an_arabic_right_to_left_404(client: Client, db: None) -> None:
    response = client.get("/ar/gibt-es-nicht/")
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl"' in response.content.decode()


def test_a_forged_host_header_gets_the_styled_400(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="angreifer.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Die Anfrage ist fehlerhaft" in html
    assert "Traceback" not in html
