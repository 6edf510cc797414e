"""The MOOChub v3 endpoint: every page valid against MOOChub's JSON Schema, JSON:API paging and errors,
bounded queries at two data sizes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse

from konzeptk.education.models import Offer
from konzeptk.education.tests.conftest import course_data, local_at

SCHEMA = json.loads((Path(__file__).parent / "data/moochub/moochub-schema.json").read_text(encoding="utf-8"))
URL = "/bildung/api/moochub/courses"

pytestmark = pytest.mark.django_db


def _validate(body: dict[str, Any]) -> None:
    """Valid against the schema, with the formats jsonschema does not check itself (uuid, iri)."""
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(
        body
    )
    for link in body["links"].values():
        assert urlsplit(link).scheme in {"http", "https"}
        assert "[" not in link
    for course in body["data"]:
        uuid.UUID(course["id"])
        assert course["attributes"]["url"].startswith("http")


def _get(client: Client, query: str = "") -> Any:
    return client.get(URL + query)


def test_route_name() -> None:
    assert reverse("education:moochub_courses") == URL


def test_pages_are_valid_moochub_and_link_each_other(
    client: Client, make_offer: Callable[..., Offer]
) -> None:
    make_offer(title="Smartphone für Einsteiger", price=None)
    make_offer(title="Sicher im Netz", is_free=False, price=25, reduced_price=12, licence="")
    make_offer(
        title="Online-Material Passwörter",
        kind=Offer.Kind.RESOURCE,
        online=True,
        url="https://oer.example/pw",
        licence="CC-BY-4.0",
        first_start=None,
        duration_minutes=None,
        rrule="",
        place_name="",
        address="",
        lat=None,
        lon=None,
        booking_open=False,
        capacity=None,
    )
    make_offer(title="Entwurf", status=Offer.Status.DRAFT)
    first = _get(client, "?page[size]=2")
    assert first.status_code == 200
    assert first["Content-Type"] == "application/vnd.api+json"
    body = first.json()
    _validate(body)
    assert body["meta"] == {"total": 3, "pages": 2}
    assert len(body["data"]) == 2
    assert "prev" not in body["links"]
    query = parse_qs(urlsplit(body["links"]["next"]).query)
    assert query == {"page[number]": ["2"], "page[size]": ["2"]}
    second = _get(client, "?page%5Bnumber%5D=2&page%5Bsize%5D=2").json()
    _validate(second)
    assert "next" not in second["links"]
    assert "prev" in second["links"]
    names = [c["attributes"]["name"] for c in body["data"] + second["data"]]
    assert sorted(names) == ["Online-Material Passwörter", "Sicher im Netz", "Smartphone für Einsteiger"]
    course = next(
        c for c in body["data"] + second["data"] if c["attributes"]["name"] == "Smartphone für Einsteiger"
    )
    attributes = course["attributes"]
    assert attributes["courseMode"] == ["onsite"]
    assert attributes["inLanguage"] == ["de", "tr"]
    assert {s["shortCode"] for s in attributes["teaches"]} == {"2.1", "4.2"}
    assert attributes["startDate"][0].startswith(local_at(7).date().isoformat())
    paid = next(c for c in body["data"] + second["data"] if c["attributes"]["name"] == "Sicher im Netz")
    assert [o["price"] for o in paid["attributes"]["offer"]] == [25.0, 12.0]
    resource = next(c for c in body["data"] + second["data"] if c["attributes"]["courseMode"] == ["online"])
    assert resource["attributes"]["license"][0]["identifier"] == "CC-BY-4.0"


def test_empty_catalogue_is_one_valid_page(client: Client) -> None:
    body = _get(client).json()
    _validate(body)
    assert body["data"] == []
    assert body["meta"]["pages"] == 1


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ("?page[size]=101", 400, "page[size]"),
        ("?page[size]=0", 400, "page[size]"),
        ("?page[number]=-1", 400, "page[number]"),
        ("?page[number]=abc", 400, "page[number]"),
        ("?page[number]=99999999999999999999", 400, "page[number]"),
        ("?page[number]=7", 404, "page[number]"),
    ],
)
def test_bad_paging_is_a_jsonapi_error(client: Client, query: str, status: int, parameter: str) -> None:
    response = _get(client, query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/vnd.api+json"
    error = response.json()["errors"][0]
    assert error["status"] == str(status)
    assert error["source"] == {"parameter": parameter}
    assert error["detail"]


def test_other_errors_under_the_api_are_jsonapi_too(client: Client) -> None:
    for response in (
        client.post(URL),
        client.get("/bildung/api/moochub/unbekannt"),
        client.get("/en" + URL + "?page[size]=x"),
    ):
        assert response.status_code in {400, 404, 405}
        assert response["Content-Type"].startswith("application/vnd.api+json"), response.content[:200]
        assert response.json()["errors"][0]["status"] == str(response.status_code)


@pytest.mark.parametrize("count", [5, 40])
def test_a_page_costs_a_fixed_number_of_queries(
    client: Client, make_offer: Callable[..., Offer], django_assert_max_num_queries: Any, count: int
) -> None:
    for number in range(count):
        make_offer(title=f"Kurs {number}")
    with django_assert_max_num_queries(4):
        response = _get(client, "?page[size]=100")
    assert len(response.json()["data"]) == count


def test_course_ids_are_stable(client: Client, make_offer: Callable[..., Offer]) -> None:
    make_offer()
    assert _get(client).json()["data"][0]["id"] == _get(client).json()["data"][0]["id"]
    assert course_data().title
