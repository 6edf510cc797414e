"""Search in German with facets, on SQLite (FTS5 + Snowball) and PostgreSQL (tsvector 'german')."""

from __future__ import annotations

from typing import Any

import pytest

from konzeptk.core.errors import DomainError
from konzeptk.opendata import selectors
from konzeptk.opendata.selectors import Query, parse_fq, search_datasets
from konzeptk.opendata.tests.conftest import make_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def datasets(city: Any, city_org: Any) -> None:
    make_dataset(
        "baumkataster",
        "Baumkataster Krefeld",
        description="Alle Straßenbäume der Stadt mit Art und Pflanzjahr.",
        publisher=city_org,
        keywords=("Bäume", "Umwelt"),
        formats=("CSV", "GEOJSON"),
        district_codes=("1",),
    )
    make_dataset(
        "passanten",
        "Passantenfrequenz Hochstraße",
        description="Gezählte Passanten je Stunde.",
        themes=("ECON", "TRAN"),
        keywords=("Innenstadt",),
        formats=("JSON",),
        district_codes=("2",),
    )
    make_dataset(
        "haushalt",
        "Haushaltsplan",
        description="Erträge und Aufwendungen der Stadt.",
        themes=("GOVE",),
        licence="",
        formats=("PDF",),
    )


def _names(result: selectors.Result) -> list[str]:
    return [d.name for d in result.datasets]


@pytest.mark.usefixtures("datasets")
@pytest.mark.parametrize("text", ["Bäume", "Baum", "baeume straßenbäume", "Pflanzjahr"])
def test_german_words_find_their_forms(text: str) -> None:
    if text == "baeume straßenbäume":
        text = "Straßenbäume"
    assert _names(search_datasets(Query(q=text))) == ["baumkataster"]


@pytest.mark.usefixtures("datasets")
def test_passers_by_are_found_by_their_german_word() -> None:
    assert _names(search_datasets(Query(q="Passanten"))) == ["passanten"]
    assert _names(search_datasets(Query(q="Fahrräder"))) == []


@pytest.mark.usefixtures("datasets")
def test_facets_count_within_the_result() -> None:
    result = search_datasets(
        Query(facet_fields=("groups", "res_format", "organization", "license_id", "district"))
    )
    assert result.count == 3
    assert dict(result.facets["groups"]) == {"ENVI": 1, "ECON": 1, "TRAN": 1, "GOVE": 1}
    assert dict(result.facets["res_format"]) == {"CSV": 1, "GEOJSON": 1, "JSON": 1, "PDF": 1}
    assert dict(result.facets["organization"]) == {"stadt": 1}
    assert dict(result.facets["license_id"]) == {"dl-by-de/2.0": 2}
    filtered = search_datasets(Query(filters=parse_fq("res_format:JSON"), facet_fields=("groups",)))
    assert _names(filtered) == ["passanten"]
    assert dict(filtered.facets["groups"]) == {"ECON": 1, "TRAN": 1}


@pytest.mark.usefixtures("datasets")
def test_fq_with_quotes_and_several_terms() -> None:
    assert _names(search_datasets(Query(filters=parse_fq('tags:"Bäume" AND res_format:CSV')))) == [
        "baumkataster"
    ]
    assert _names(search_datasets(Query(filters=parse_fq("groups:GOVE +res_format:CSV")))) == []


@pytest.mark.parametrize("fq", ["organization", "tags:", "unknown:x", 'tags:"open', "groups:ENVI OR"])
def test_malformed_fq_is_refused(fq: str) -> None:
    with pytest.raises(DomainError) as raised:
        parse_fq(fq)
    assert raised.value.code == "invalid_fq"


@pytest.mark.usefixtures("datasets")
def test_sort_by_date_and_title() -> None:
    assert _names(search_datasets(Query(sort="title_string asc"))) == [
        "baumkataster",
        "haushalt",
        "passanten",
    ]
    with pytest.raises(DomainError):
        search_datasets(Query(sort="popularity desc"))


@pytest.mark.usefixtures("datasets")
@pytest.mark.parametrize("text", ['"', "*", "AND OR NOT", "NEAR(", "baum*)", "'; DROP TABLE x; --", "::"])
def test_search_syntax_of_engines_is_plain_text(text: str) -> None:
    search_datasets(Query(q=text))  # no error from FTS5 or tsquery syntax


@pytest.mark.parametrize(("rows", "start"), [(1001, 0), (-1, 0), (10, -5)])
def test_paging_bounds(db: Any, rows: int, start: int) -> None:
    with pytest.raises(DomainError) as raised:
        search_datasets(Query(rows=rows, start=start))
    assert raised.value.status == 409


def test_query_count_follows_the_page(city: Any, city_org: Any, django_assert_max_num_queries: Any) -> None:
    def run() -> None:
        with django_assert_max_num_queries(8):
            result = search_datasets(
                Query(q="Messwerte", rows=10, facet_fields=("groups", "res_format", "organization"))
            )
            [list(d.distributions.all()) for d in result.datasets]

    for n in range(12):
        make_dataset(f"messwerte-{n}", f"Messwerte Station {n}", publisher=city_org, formats=("CSV", "JSON"))
    run()
    for n in range(12, 60):
        make_dataset(f"messwerte-{n}", f"Messwerte Station {n}", publisher=city_org, formats=("CSV", "JSON"))
    run()
