"""A NUL character in a request is a 400, never a 500 (issue 11, finding 5).

Found by Schemathesis on PostgreSQL: ``/api/v1/strategy/projects?q=%00`` answered 500, because
PostgreSQL refuses NUL in text (SQLite stores it). One guard in core/middleware.py refuses NUL in
the path, a query value or key, a form field and a JSON string, in the format of each API and as the
German error page for pages.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MESSAGE = "Nullzeichen"


def _json_error(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert "Traceback" not in response.content.decode()
    return dict(response.json())


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/strategy/projects?q=%00",
        "/api/v1/strategy/projects?q=a%00b&limit=5",
        "/api/v1/strategy/projects?a%00=1",
        "/api/v1/strategy/projects/a%00b",
        "/api/v1/participation/processes?q=%00",
    ],
)
def test_api_v1_query_with_nul_is_its_json_400(client: Client, url: str) -> None:
    data = _json_error(client.get(url))
    assert data["code"] == "invalid_character"
    assert MESSAGE in data["message"]


def test_api_v1_json_body_with_nul_is_its_json_400(client: Client) -> None:
    body = json.dumps({"text": "Hallo\x00Welt"})  # json.dumps writes the escape \u0000
    assert "\\u0000" in body
    response = client.post("/api/v1/strategy/projects", body, content_type="application/json")
    assert _json_error(response)["code"] == "invalid_character"


def test_an_escaped_backslash_before_u0000_is_not_a_nul(client: Client) -> None:
    body = json.dumps({"text": "C:\\u0000"})  # the text backslash-u-0-0-0-0, no NUL
    assert "\\\\u0000" in body
    response = client.post("/api/v1/strategy/projects", body, content_type="application/json")
    assert response.status_code == 405  # on to the view, which takes no POST


def test_sta_query_and_body_with_nul_are_its_json_400(client: Client) -> None:
    data = _json_error(client.get("/sta/v1.1/Things?$filter=name eq 'a%00'"))
    assert data["type"] == "error"
    assert data["code"] == 400
    assert MESSAGE in data["message"]
    body = json.dumps({"name": "Ding\x00", "description": "x"})
    data = _json_error(client.post("/sta/v1.1/Things", body, content_type="application/json"))
    assert data["type"] == "error"


def test_open311_query_and_form_with_nul_are_its_json_400(client: Client) -> None:
    response = client.get("/georeport/v2/requests.json?service_code=%00")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert MESSAGE in response.json()[0]["description"]
    posted = client.post("/georeport/v2/requests.json", {"description": "kaputt\x00", "api_key": "x"})
    assert posted.status_code == 400
    assert MESSAGE in posted.json()[0]["description"]
    xml = client.get("/georeport/v2/requests.xml?status=%00")
    assert xml.status_code == 400
    assert xml.content.startswith(b"<?xml")


def test_a_page_form_with_nul_is_the_german_400_page(client: Client) -> None:
    page = client.get("/maengel/?q=%00")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert MESSAGE in page.content.decode()
    posted = client.post("/maengel/melden/", {"step": "1", "description": "Loch\x00", "address": "x"})
    assert posted.status_code == 400
    assert MESSAGE in posted.content.decode()


def test_multipart_files_may_contain_nul_bytes(client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.bin", b"\x00\x01\x00", content_type="application/octet-stream")
    response = client.post("/maengel/melden/", {"step": "1", "description": "Loch", "photos": upload})
    assert response.status_code != 400 or MESSAGE not in response.content.decode()


def test_a_multipart_body_to_sta_is_still_read_by_its_view(client: Client) -> None:
    response = client.post("/sta/v1.1/Things", {"name": "Ding\x00"})  # multipart, not JSON
    assert response.status_code in (400, 401)  # the view's own answer (no token here), not a 500
    assert response.json()["type"] == "error"
