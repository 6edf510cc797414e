"""``/api/v1/`` and ``/georeport/v2/`` have index pages (issue 13, item 6): HTML for browsers, JSON when
asked, both linking the documentation; every other path keeps its API's error format."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "service_desc", "service_doc"),
    [
        ("/api/v1/", "/api/v1/openapi.json", "/api/v1/docs"),
        ("/georeport/v2/", "/georeport/v2/discovery.json", "http://wiki.open311.org/GeoReport_v2"),
    ],
)
def test_index_is_a_page_for_people_and_json_for_programs(
    path: str, service_desc: str, service_doc: str
) -> None:
    client = Client()
    page = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert f'href="{service_desc}"' in html
    assert f'href="{service_doc}"' in html
    assert html.count("<h1") == 1
    assert 'rel="service-desc"' in page["Link"]
    for kwargs in ({"data": {"format": "json"}}, {"HTTP_ACCEPT": "application/json"}):
        answer = client.get(path, **kwargs)
        assert answer.status_code == 200
        assert answer["Content-Type"] == "application/json"
        links = {link["rel"]: link["href"] for link in answer.json()["links"]}
        assert links["service-desc"].endswith(service_desc)
        assert links["service-doc"].endswith(service_doc.removeprefix("http://testserver"))
        assert answer.json()["sections"]


def test_api_index_lists_the_parts_of_the_api() -> None:
    data = Client().get("/api/v1/?format=json").json()
    paths = [section["path"] for section in data["sections"]]
    assert "http://testserver/api/v1/strategy/" in paths
    assert "http://testserver/api/v1/city/" in paths


def test_other_paths_keep_the_error_contract_of_their_api() -> None:
    client = Client()
    missing = client.get("/api/v1/gibt-es-nicht/")
    assert missing.status_code == 404
    assert set(json.loads(missing.content)) >= {"code", "message"}
    open311 = client.get("/georeport/v2/gibt-es-nicht.json")
    assert open311.status_code == 404
    body = json.loads(open311.content)
    assert isinstance(body, list)
    assert set(body[0]) == {"code", "description"}
    assert client.get("/georeport/v2/discovery.json").status_code == 200
    refused = client.post("/georeport/v2/")
    assert refused.status_code == 405
    assert isinstance(json.loads(refused.content), list)
