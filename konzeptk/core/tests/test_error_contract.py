"""One error contract (issue 11, finding 5): no 500 from bad numbers, every API error in its own format.

Reproduces the 500s found by probing (an unbounded ``offset`` on every list route of /api/v1/, a
``district`` id too large for the database) and checks that Django's own errors (404, 405, 413,
too many fields, 500) under /api/v1/, /sta/ and /georeport/ answer in that API's format while a
page keeps the German HTML error page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.test import Client, RequestFactory

from konzeptk.core import jsonsafe, views
from konzeptk.core.errors import DomainError, ErrorContractMiddleware, page_error
from konzeptk.core.pagination import MAX_LIMIT, MAX_OFFSET

HUGE = "9223372036854775808"  # 2**63: one more than a database integer holds


def _layer_slug() -> str:
    from konzeptk.city.selectors import active_profile

    profile = active_profile()
    assert profile is not None
    return str(profile.layers.order_by("slug").values_list("slug", flat=True)[0])


def _process_slug() -> str:
    from konzeptk.participation.models import Process

    return str(Process.objects.public().order_by("slug").values_list("slug", flat=True)[0])


def _idea_id() -> int:
    from konzeptk.participation.models import Comment

    comment = Comment.objects.filter(deleted_at__isnull=True, is_hidden=False).select_related("idea").first()
    assert comment is not None
    return int(comment.idea_id)


LIST_ROUTES: dict[str, Callable[[], str]] = {
    "strategy-indicators": lambda: "/api/v1/strategy/indicators",
    "strategy-projects": lambda: "/api/v1/strategy/projects",
    "strategy-revisions": lambda: "/api/v1/strategy/revisions",
    "strategy-fields": lambda: "/api/v1/strategy/fields",
    "strategy-goals": lambda: "/api/v1/strategy/goals",
    "city-layers": lambda: "/api/v1/city/layers",
    "city-points": lambda: "/api/v1/city/points",
    "city-districts": lambda: f"/api/v1/city/layers/{_layer_slug()}/districts",
    "idea-comments": lambda: f"/api/v1/participation/ideas/{_idea_id()}/comments",
    "process-ideas": lambda: f"/api/v1/participation/processes/{_process_slug()}/ideas",
    "processes": lambda: "/api/v1/participation/processes",
}


def _assert_json_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) >= {"code", "message"}
    assert data["message"]
    assert "Traceback" not in response.content.decode()
    if code is not None:
        assert data["code"] == code
    return dict(data)


@pytest.mark.parametrize("route", LIST_ROUTES, ids=list(LIST_ROUTES))
def test_an_offset_beyond_the_bound_is_a_json_400_not_a_500(
    route: str, demo_site: None, client: Client
) -> None:
    url = LIST_ROUTES[route]()
    assert client.get(url).status_code == 200
    for offset in (HUGE, str(MAX_OFFSET + 1), "-1"):
        data = _assert_json_error(client.get(url, {"offset": offset}), 400, "invalid")
        assert "offset" in data["message"]
    for limit in (str(MAX_LIMIT + 1), "0", HUGE):
        _assert_json_error(client.get(url, {"limit": limit}), 400, "invalid")
    # the bound itself is allowed: an empty page
    page = client.get(url, {"offset": str(MAX_OFFSET), "limit": str(MAX_LIMIT)})
    assert page.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/strategy/projects?district=99999999999999999999999",
        "/api/v1/strategy/fields?version=99999999999999999999999",
        "/api/v1/strategy/goals?version=9223372036854775808",
        "/api/v1/insights/landscapes/99999999999999999999999",
        "/api/v1/participation/processes/{process}/ideas?district=99999999999999999999999",
        "/api/v1/participation/ideas/99999999999999999999999",
        "/api/v1/participation/ideas/99999999999999999999999/comments",
        "/api/v1/participation/surveys/99999999999999999999999/results",
    ],
)
def test_an_id_too_large_for_the_database_is_a_json_400(url: str, demo_site: None, client: Client) -> None:
    _assert_json_error(client.get(url.format(process=_process_slug())), 400, "invalid")


def test_a_domain_error_of_an_api_route_keeps_the_public_json_body(demo_site: None, client: Client) -> None:
    data = _assert_json_error(client.get("/api/v1/strategy/projects/gibt-es-nicht"), 404)
    assert data == {"code": "project_not_found", "message": data["message"]}


# --- Django's own errors under each API prefix ------------------------------------------------
def test_unknown_paths_answer_in_the_format_of_their_api(client: Client, db: None) -> None:
    _assert_json_error(client.get("/api/v1/gibt-es-nicht"), 404, "not_found")
    sta = client.get("/sta/gibt-es-nicht")
    assert sta.status_code == 404
    assert sta.json()["code"] == 404
    assert sta.json()["type"] == "error"
    assert client.get("/sta/v1.1/Gibtesnicht").json()["type"] == "error"
    open311 = client.get("/georeport/v2/gibt-es-nicht.json")
    assert open311.status_code == 404
    assert open311.json()[0]["code"] == 404
    assert open311.json()[0]["description"]
    xml = client.get("/georeport/v2/gibt-es-nicht.xml")
    assert xml.status_code == 404
    assert xml.content.startswith(b"<?xml")
    assert b"<errors><error><code>404</code>" in xml.content


def test_wrong_methods_answer_in_the_format_of_their_api(client: Client, db: None) -> None:
    response = client.post("/api/v1/strategy/revisions")
    _assert_json_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert client.delete("/sta/v1.1/").json()["code"] == 405
    assert client.delete("/georeport/v2/services.json").json()[0]["code"] == 405


def test_an_11_mb_body_to_open311_is_its_json_error_list(client: Client, db: None) -> None:
    body = "description=" + "x" * (11 * 1024 * 1024)
    response = client.post(
        "/georeport/v2/requests.json", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()[0]["code"] == 413


def test_more_than_1000_fields_to_open311_is_its_json_error_list(client: Client, db: None) -> None:
    body = "&".join(f"attribute[f{i}]=1" for i in range(1100))
    response = client.post(
        "/georeport/v2/requests.json", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json()[0]["description"] == "Die Anfrage enthält zu viele Felder."


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/api/v1/strategy/revisions", lambda r: json.loads(r.content)["code"] == "too_large"),
        (
            "/sta/v1.1/Things",
            lambda r: json.loads(r.content) == {"code": 413, "type": "error", "message": mock.ANY},
        ),
        ("/georeport/v2/requests.xml", lambda r: b"<code>413</code>" in r.content),
    ],
)
def test_handler400_answers_too_large_bodies_with_413_in_the_api_format(
    path: str, check: Callable[[Any], bool], db: None
) -> None:
    request = RequestFactory().post(path)
    response = views.bad_request(request, RequestDataTooBig("zu groß"))
    assert response.status_code == 413
    assert check(response)


@pytest.mark.parametrize("path", ["/api/v1/city/layers", "/sta/v1.1/Things", "/georeport/v2/requests.json"])
def test_too_many_fields_is_a_400_in_the_api_format(path: str, db: None) -> None:
    response = views.bad_request(RequestFactory().post(path), TooManyFieldsSent("viele"))
    assert response.status_code == 400
    assert "zu viele Felder" in response.content.decode()
    json.loads(response.content)


@pytest.mark.parametrize(
    ("url", "patch_target"),
    [
        ("/api/v1/strategy/revisions", "konzeptk.strategy.api.selectors.main_public_revisions"),
        ("/sta/v1.1/Things", "konzeptk.sensing.sta.views.resolve_path"),
        ("/georeport/v2/services.json", "konzeptk.servicedesk.open311._check_jurisdiction"),
    ],
)
def test_a_crash_under_an_api_prefix_is_a_json_500_without_trace(
    url: str, patch_target: str, client: Client, db: None
) -> None:
    client.raise_request_exception = False
    with mock.patch(patch_target, side_effect=RuntimeError("geheimer Stacktrace")):
        response = client.get(url)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "geheimer" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    json.loads(response.content)


def test_the_500_of_an_api_needs_no_database() -> None:
    # No ``db`` fixture: pytest-django forbids every database access in this test.
    response = views.server_error(RequestFactory().get("/api/v1/strategy/revisions"))
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"


def test_a_page_404_stays_the_german_html_page(client: Client, db: None) -> None:
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Seite nicht gefunden" in html


# --- DomainError on pages ---------------------------------------------------------------------
def _page_request(path: str = "/beteiligung/") -> Any:
    request = RequestFactory().post(path)
    request.user = AnonymousUser()
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_an_uncaught_domain_error_becomes_its_page_or_its_api_json(db: None) -> None:
    middleware = ErrorContractMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    error = DomainError("blocked", "Sie sind in diesem Prozess gesperrt.", 403)
    page = middleware.process_exception(_page_request(), error)
    assert page is not None
    assert page.status_code == 403
    assert "Sie sind in diesem Prozess gesperrt." in page.content.decode()
    assert "Kein Zugriff" in page.content.decode()
    api = middleware.process_exception(RequestFactory().get("/api/v1/x"), error)
    assert api is not None
    assert api.status_code == 403
    assert json.loads(api.content) == {"code": "blocked", "message": "Sie sind in diesem Prozess gesperrt."}
    assert middleware.process_exception(_page_request(), ValueError("x")) is None


def test_page_error_shows_a_refusal_in_the_form_or_as_a_message(db: None) -> None:
    from django import forms

    class Form(forms.Form):
        title = forms.CharField()

    form = Form(data={"title": "x"})
    form.is_valid()
    error = DomainError("invalid", fields=[("title", "Zu kurz."), ("other", "Passt nicht.")])
    assert page_error(_page_request(), error, form=form) == 400
    assert form.errors["title"] == ["Zu kurz."]
    assert form.non_field_errors() == ["Passt nicht."]
    request = _page_request()
    assert page_error(request, DomainError("denied", "Nein.", 403)) == 403
    assert [str(m) for m in request._messages] == ["Nein."]


# --- JSON bodies ------------------------------------------------------------------------------
def test_deep_json_is_refused_before_parsing() -> None:
    with pytest.raises(jsonsafe.JsonTooDeep):
        jsonsafe.loads(b"[" * 100_000)
    assert jsonsafe.depth('{"a": [1, {"b": "[[[[["}]}') == 3
    assert jsonsafe.loads('[[["\\"]]]"]]]') == [[['"]]]']]]


def test_the_api_body_parser_refuses_deep_json(db: None) -> None:
    from konzeptk.api import api

    request = RequestFactory().post("/api/v1/x", b"[" * 100_000, content_type="application/json")
    with pytest.raises(DomainError) as caught:
        api.parser.parse_body(request)
    assert caught.value.status == 400
    assert caught.value.code == "too_deep"


def test_there_is_one_error_class_for_refusals() -> None:
    """The per-app refusals (ActionDenied, ApiError, StrategyError, ReportInvalid) are gone for good."""
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    retired = re.compile(r"^class (ActionDenied|ApiError|StrategyError|ReportInvalid|NotAllowed)\b", re.M)
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts and retired.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
