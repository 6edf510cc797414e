"""The fast paths of search and harvest give the same answers as the careful ones: packages built from rows
equal ``package_show``, facets count within the result, the query count does not grow with the data, and a
harvest batch that the database refuses is stored record by record with the error at the right record."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.tests.factories import OrganisationFactory
from konzeptk.opendata.harvest.records import Recorded
from konzeptk.opendata.harvest.run import harvest
from konzeptk.opendata.models import Dataset, HarvestSource, Tag
from konzeptk.opendata.services import DistributionData, dataset_write
from konzeptk.opendata.services.datasets import free_names
from konzeptk.opendata.tests.conftest import make_dataset

pytestmark = pytest.mark.django_db
FACETS = json.dumps(["organization", "groups", "res_format"])


def _search(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get("/api/3/action/package_search", params)
    assert response.status_code == 200, response.content[:300]
    result: dict[str, Any] = response.json()["result"]
    return result


def _catalogue(count: int, city_org: Any) -> None:
    other = OrganisationFactory(slug="zweite", name="Zweite Stelle")
    for n in range(count):
        make_dataset(
            f"baeume-{n:03d}",
            f"Bäume Nummer {n}",
            publisher=city_org if n % 3 else other,
            themes=("ENVI",) if n % 2 else ("TRAN", "GOVE"),
            keywords=("Bäume",),
            formats=("CSV", "JSON") if n % 4 else ("PDF",),
        )
    make_dataset("passanten", "Passantenfrequenz", publisher=city_org, keywords=("Innenstadt",))


@pytest.mark.parametrize("size", [3, 25])
def test_query_count_does_not_grow_with_the_catalogue(
    client: Client, city: Any, city_org: Any, size: int, django_assert_max_num_queries: Any
) -> None:
    _catalogue(size, city_org)
    with django_assert_max_num_queries(8):
        result = _search(client, q="Bäume", rows=1000, **{"facet.field": FACETS})
    assert result["count"] == size
    with django_assert_max_num_queries(8):
        everything = _search(client, rows=1000, **{"facet.field": FACETS})
    assert everything["count"] == size + 1
    with django_assert_max_num_queries(6):
        listed = client.get("/api/3/action/current_package_list_with_resources", {"limit": 1000})
    assert len(listed.json()["result"]) == size + 1


def test_packages_from_rows_equal_package_show(client: Client, city: Any, city_org: Any) -> None:
    _catalogue(6, city_org)
    found = _search(client, q="Bäume", rows=100)["results"]
    assert len(found) == 6
    for package in found:
        shown = client.get("/api/3/action/package_show", {"id": package["name"]}).json()["result"]
        assert package == shown


def test_facets_count_within_the_result_and_follow_writes(client: Client, city: Any, city_org: Any) -> None:
    _catalogue(8, city_org)
    result = _search(client, q="Bäume", rows=2, start=3, **{"facet.field": FACETS})
    assert result["count"] == 8
    assert len(result["results"]) == 2
    matching = Dataset.objects.filter(name__startswith="baeume-")
    expected = {
        field: {
            value: Tag.objects.filter(kind=kind, value=value, dataset__in=matching).count()
            for value in Tag.objects.filter(kind=kind, dataset__in=matching).values_list("value", flat=True)
        }
        for field, kind in (("organization", "organization"), ("groups", "theme"), ("res_format", "format"))
    }
    assert result["facets"] == expected
    # counts follow a change of the dataset's distributions (PostgreSQL: the facet column follows Tag)
    dataset = Dataset.objects.get(name="baeume-000")
    dataset_write(
        dataset=dataset,
        distributions=[
            DistributionData(
                key="geo", title="Karte", access_url="https://x.example/a.geojson", file_format="GEOJSON"
            )
        ],
    )
    after = _search(client, q="Bäume", **{"facet.field": FACETS})["facets"]["res_format"]
    assert after["GEOJSON"] == 1
    assert after["PDF"] == expected["res_format"]["PDF"] - 1


def test_score_order_and_paging_agree(client: Client, city: Any, city_org: Any) -> None:
    _catalogue(12, city_org)
    whole = [p["name"] for p in _search(client, q="Bäume", rows=100)["results"]]
    pages = [
        p["name"]
        for start in range(0, 12, 5)
        for p in _search(client, q="Bäume", rows=5, start=start)["results"]
    ]
    assert pages == whole
    by_title = [p["name"] for p in _search(client, q="Bäume", rows=100, sort="title_string desc")["results"]]
    assert by_title == sorted(whole, key=lambda n: Dataset.objects.get(name=n).title, reverse=True)
    beyond = _search(client, q="Bäume", rows=5, start=50)
    assert (beyond["count"], beyond["results"]) == (12, [])


def _package(n: int, resources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": f"id-{n}",
        "name": {1: "Gleich", 2: "gleich"}.get(n, f"paket-{n}"),
        "title": f"Paket {n}",
        "notes": "Ein Paket.",
        "license_id": "dl-de-zero-2.0",
        "tags": [{"name": "Test"}],
        "groups": [{"name": "umwelt"}],
        "resources": resources
        if resources is not None
        else [{"id": f"r-{n}", "url": f"https://portal.example/{n}.csv", "format": "CSV"}],
    }


def _answer(packages: list[dict[str, Any]]) -> bytes:
    return json.dumps({"success": True, "result": {"count": len(packages), "results": packages}}).encode()


def test_a_refused_record_in_a_batch_is_reported_and_the_rest_stored(city: Any) -> None:
    source = HarvestSource.objects.create(
        name="Portal", url="https://portal.example", kind=HarvestSource.Kind.CKAN
    )
    twice = [
        {"id": "doppelt", "url": "https://portal.example/a.csv", "format": "CSV"},
        {"id": "doppelt", "url": "https://portal.example/b.csv", "format": "CSV"},
    ]
    packages = [_package(n) for n in range(6)]
    packages[4] = {**_package(4, twice), "name": "kaputt"}  # two resources with one key: the database refuses
    fetch = Recorded({"https://portal.example/api/3/action/package_search*": _answer(packages)})
    run = harvest(source, fetch=fetch)
    assert not run.failed
    assert run.created == 5
    assert [e["identifier"] for e in run.errors] == ["kaputt"]
    names = sorted(Dataset.objects.filter(harvest_source=source).values_list("name", flat=True))
    assert names == ["gleich", "gleich-2", "paket-0", "paket-3", "paket-5"]
    stored = Dataset.objects.get(name="paket-3")
    assert stored.distributions.get().file_format == "CSV"
    assert set(Tag.objects.filter(dataset=stored).values_list("kind", flat=True)) >= {
        "format",
        "keyword",
        "licence",
    }
    assert stored.quality_score > 0
    assert stored.search_text
    again = harvest(source, fetch=fetch)
    assert (again.created, again.updated, again.unchanged, again.deleted) == (0, 0, 5, 0)
    assert [e["identifier"] for e in again.errors] == ["kaputt"]


def test_free_names_skip_reserved_taken_and_repeated(city: Any) -> None:
    make_dataset("baum", "Baum")
    make_dataset("baum-2", "Baum 2")
    assert free_names(["baum", "verwaltung", "neu", "neu", ""]) == [
        "baum-3",
        "verwaltung-2",
        "neu",
        "neu-2",
        "datensatz",
    ]
