"""The CKAN Action API: CKAN's envelope and errors, and the real ``ckanapi`` client against a live server."""

from __future__ import annotations

import json
from typing import Any

import ckanapi
import pytest
from django.test import Client

from konzeptk.opendata.tests.conftest import make_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def datasets(city: Any, city_org: Any) -> None:
    make_dataset(
        "baumkataster",
        "Baumkataster Krefeld",
        description="Alle Straßenbäume der Stadt.",
        publisher=city_org,
        keywords=("Bäume",),
        formats=("CSV", "GEOJSON"),
    )
    make_dataset(
        "passanten",
        "Passantenfrequenz Hochstraße",
        themes=("ECON",),
        keywords=("Innenstadt",),
        formats=("JSON",),
    )


def _call(client: Client, action: str, **params: Any) -> tuple[int, dict[str, Any]]:
    response = client.get(f"/api/3/action/{action}", params)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


@pytest.mark.usefixtures("datasets")
def test_envelope_and_package_search(client: Client) -> None:
    status, body = _call(
        client, "package_search", q="Bäume", **{"facet.field": '["organization","res_format"]'}
    )
    assert status == 200
    assert body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=package_search")
    result = body["result"]
    assert result["count"] == 1
    package = result["results"][0]
    assert package["name"] == "baumkataster"
    assert package["organization"]["name"] == "stadt"
    assert {r["format"] for r in package["resources"]} == {"CSV", "GEOJSON"}
    assert result["facets"]["res_format"] == {"CSV": 1, "GEOJSON": 1}
    assert result["search_facets"]["organization"]["items"][0]["display_name"] == "Stadt Krefeld"


@pytest.mark.parametrize(
    ("params", "status", "kind"),
    [
        ({"rows": "1001"}, 409, "Validation Error"),
        ({"rows": "zehn"}, 409, "Validation Error"),
        ({"start": "-1"}, 409, "Validation Error"),
        ({"fq": "tags:"}, 409, "Validation Error"),
        ({"fq": "owner:x"}, 409, "Validation Error"),
        ({"sort": "views desc"}, 409, "Validation Error"),
        ({"facet.field": "organization"}, 409, "Validation Error"),
        ({"facet.field": '["nope"]'}, 409, "Validation Error"),
    ],
)
def test_bad_search_parameters_are_ckan_errors(
    client: Client, params: dict[str, str], status: int, kind: str
) -> None:
    code, body = _call(client, "package_search", **params)
    assert code == status
    assert body["success"] is False
    assert body["error"]["__type"] == kind
    assert body["error"]["message"]


def test_unknown_things(client: Client, db: Any) -> None:
    assert _call(client, "package_show", id="gibt-es-nicht")[0] == 404
    assert _call(client, "package_show", id="gibt-es-nicht")[1]["error"]["__type"] == "Not Found Error"
    assert _call(client, "organization_show", id="nein")[0] == 404
    assert _call(client, "resource_show", id="x-1")[0] == 404
    status, body = _call(client, "package_delete", id="x")
    assert status == 400
    assert body["success"] is False


def test_post_with_broken_json_is_a_ckan_error(client: Client, db: Any) -> None:
    response = client.post("/api/3/action/package_search", data=b"{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["success"] is False
    response = client.post("/api/3/action/package_search", data=b"[1]", content_type="application/json")
    assert response.status_code == 400


def test_wrong_method_and_unknown_path_answer_in_ckan_form(client: Client, db: Any) -> None:
    response = client.put("/api/3/action/package_search")
    assert response.status_code == 405
    assert response.json()["success"] is False
    response = client.get("/api/3/nothing-here")
    assert response.status_code == 404
    assert response.json()["success"] is False


@pytest.mark.usefixtures("datasets")
def test_lists_and_shows(client: Client) -> None:
    assert _call(client, "package_list")[1]["result"] == ["baumkataster", "passanten"]
    assert _call(client, "organization_list")[1]["result"] == ["stadt"]
    assert _call(client, "group_list")[1]["result"] == ["econ", "envi"]
    assert _call(client, "group_show", id="envi")[1]["result"]["package_count"] == 1
    assert "Bäume" in _call(client, "tag_list")[1]["result"]
    licences = {item["id"] for item in _call(client, "license_list")[1]["result"]}
    assert {"dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0"} <= licences
    package = _call(client, "package_show", id="baumkataster")[1]["result"]
    resource = _call(client, "resource_show", id=package["resources"][0]["id"])[1]["result"]
    assert resource["package_id"] == "baumkataster"
    assert _call(client, "status_show")[1]["result"]["ckan_version"]
    with_resources = _call(client, "current_package_list_with_resources", limit="1")[1]["result"]
    assert len(with_resources) == 1


@pytest.mark.usefixtures("datasets")
def test_ckanapi_client_against_a_live_server(live_server: Any) -> None:
    portal = ckanapi.RemoteCKAN(live_server.url, user_agent="konzeptk-test")
    found = portal.action.package_search(q="Hochstraße", rows=5, **{"facet.field": ["groups", "res_format"]})
    assert [p["name"] for p in found["results"]] == ["passanten"]
    assert found["facets"]["groups"] == {"ECON": 1}
    filtered = portal.action.package_search(fq="res_format:GEOJSON")
    assert [p["name"] for p in filtered["results"]] == ["baumkataster"]
    assert portal.action.package_show(id="baumkataster")["title"] == "Baumkataster Krefeld"
    assert portal.action.organization_list() == ["stadt"]
    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="fehlt")
    with pytest.raises(ckanapi.ValidationError):
        portal.action.package_search(rows=5000)


def test_facet_counts_are_json_objects(client: Client, db: Any) -> None:
    status, body = _call(
        client, "package_search", **{"facet.field": json.dumps(["tags"]), "facet.limit": "-1"}
    )
    assert status == 200
    assert body["result"]["facets"] == {"tags": {}}
