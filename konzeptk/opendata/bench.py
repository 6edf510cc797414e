"""``python -m konzeptk.bench opendata``: the catalogue at 50,000 datasets, through the full request cycle.

Runs on SQLite and on PostgreSQL (see ``konzeptk/bench.py``) in a throwaway database. Seeds 50,000 simulated
datasets (10 publishers, 13 themes, 2 distributions and 3 keywords each) and measures the median of:

- ``package_search`` with a word and three facets (target ≤ 50 ms on PostgreSQL),
- deep paging ``start=49000&rows=1000`` (target ≤ 500 ms),
- one page of 100 datasets of ``/catalog.ttl`` (target ≤ 200 ms),
- a harvest of 10,000 records from a CKAN source (recorded answers, 10 pages of 1,000; target ≤ 60 s).
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from typing import Any

N_DATASETS = int(os.environ.get("KONZEPTK_BENCH_DATASETS", "50000"))
N_HARVEST = int(os.environ.get("KONZEPTK_BENCH_HARVEST", "10000"))
REPEAT = 7
WORDS = [
    "Bäume",
    "Straßenbäume",
    "Passanten",
    "Hochstraße",
    "Luftqualität",
    "Feinstaub",
    "Grundwasser",
    "Haushalt",
    "Schulen",
    "Kitas",
    "Radwege",
    "Parkhäuser",
    "Ladesäulen",
    "Wahlergebnisse",
    "Bevölkerung",
    "Bebauungspläne",
    "Spielplätze",
    "Sporthallen",
    "Veranstaltungen",
    "Mängelmeldungen",
    "Sensoren",
    "Temperatur",
    "Niederschlag",
    "Lärm",
    "Verkehrszählung",
    "Haltestellen",
    "Fahrplan",
    "Parks",
    "Denkmäler",
]
THEMES = (
    "AGRI",
    "ECON",
    "EDUC",
    "ENER",
    "ENVI",
    "GOVE",
    "HEAL",
    "INTR",
    "JUST",
    "REGI",
    "SOCI",
    "TECH",
    "TRAN",
)
FORMATS = (
    ("CSV", "text/csv"),
    ("JSON", "application/json"),
    ("GEOJSON", "application/geo+json"),
    ("PDF", "application/pdf"),
)


def _median(run: Callable[[], object]) -> float:
    from konzeptk.bench import median_ms

    return median_ms(run, REPEAT)


def main() -> None:
    from konzeptk.bench import on_both_databases

    on_both_databases("opendata", _main_here)


def _main_here() -> None:
    from konzeptk.bench import in_throwaway_database

    in_throwaway_database(_run, RATELIMIT_ENABLE=False)


def _seed() -> float:
    from django.db import connection, transaction

    from konzeptk.accounts.models import Organisation
    from konzeptk.city.services import city_profile_load
    from konzeptk.opendata import quality, search
    from konzeptk.opendata.models import Dataset, Distribution, Tag

    start = time.perf_counter()
    city_profile_load(source="krefeld")
    organisations = [
        Organisation.objects.create(
            slug=f"herausgeber-{n}", name=f"Herausgeber {n}", kind=Organisation.Kind.CITY
        )
        for n in range(10)
    ]
    rng = random.Random(2026)
    with transaction.atomic():
        for offset in range(0, N_DATASETS, 5000):
            datasets = []
            for n in range(offset, min(offset + 5000, N_DATASETS)):
                words = rng.sample(WORDS, 3)
                title = f"{words[0]} {words[1]} Nr. {n}"
                dataset = Dataset(
                    name=f"datensatz-{n}",
                    title=title,
                    description=f"Simulierte Daten zu {' und '.join(words)}.",
                    publisher=organisations[n % 10],
                    themes=[THEMES[n % 13]],
                    keywords=words,
                    licence="dl-zero-de/2.0",
                    origin=Dataset.Origin.STAFF,
                    contact_email="opendata@example.org",
                )
                dataset.search_text = search.document(dataset)
                datasets.append(dataset)
            Dataset.objects.bulk_create(datasets)
            if datasets[0].pk is None:
                ids = dict(
                    Dataset.objects.filter(name__in=[d.name for d in datasets]).values_list("name", "pk")
                )
                for d in datasets:
                    d.pk = ids[d.name]
            distributions, tags = [], []
            for d in datasets:
                chosen = rng.sample(FORMATS, 2)
                for key, (fmt, media) in enumerate(chosen):
                    distributions.append(
                        Distribution(
                            dataset=d,
                            key=str(key),
                            title=f"{d.title} ({fmt})",
                            access_url=f"https://example.org/{d.name}.{fmt.lower()}",
                            download_url=f"https://example.org/{d.name}.{fmt.lower()}",
                            file_format=fmt,
                            media_type=media,
                        )
                    )
                    tags.append(Tag(dataset=d, kind=Tag.Kind.FORMAT, value=fmt))
                tags += [
                    Tag(dataset=d, kind=Tag.Kind.THEME, value=d.themes[0]),
                    Tag(dataset=d, kind=Tag.Kind.LICENCE, value=d.licence),
                    Tag(dataset=d, kind=Tag.Kind.ORGANISATION, value=d.publisher.slug if d.publisher else ""),
                ]
                tags += [Tag(dataset=d, kind=Tag.Kind.KEYWORD, value=k) for k in d.keywords]
            Distribution.objects.bulk_create(distributions)
            Tag.objects.bulk_create(tags)
            search.index(datasets)
    score = quality.score(quality.assess(datasets[0], list(datasets[0].distributions.all())))
    Dataset.objects.update(quality_score=score)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - start


def _ckan_pages(count: int) -> dict[str, bytes]:
    pages: dict[str, bytes] = {}
    base = "https://portal.example/api/3/action/package_search?rows=1000&start={start}&sort=name+asc"
    for start in range(0, count, 1000):
        results = [
            {
                "id": f"id-{n}",
                "name": f"geerntet-{n}",
                "title": f"Geernteter Datensatz {n}",
                "notes": "Simulierter Datensatz eines anderen Portals.",
                "license_id": "dl-de-zero-2.0",
                "metadata_modified": "2026-11-01T10:00:00",
                "metadata_created": "2025-01-01T10:00:00",
                "tags": [{"name": "Test"}, {"name": WORDS[n % len(WORDS)]}],
                "groups": [{"name": "umwelt"}],
                "resources": [
                    {
                        "id": f"r-{n}",
                        "name": "Daten",
                        "url": f"https://portal.example/{n}.csv",
                        "format": "CSV",
                    }
                ],
            }
            for n in range(start, min(start + 1000, count))
        ]
        body = {"success": True, "result": {"count": count, "results": results}}
        pages[base.format(start=start)] = json.dumps(body).encode()
    return pages


def _run() -> None:
    from django.db import connection
    from django.test import Client

    from konzeptk.opendata.harvest.records import Recorded
    from konzeptk.opendata.harvest.run import harvest
    from konzeptk.opendata.models import HarvestSource

    seconds = _seed()
    print(f"{connection.vendor}: {N_DATASETS:,} Datensätze angelegt in {seconds:.0f} s", flush=True)
    client = Client()

    def get(url: str, **params: Any) -> None:
        response = client.get(url, params, secure=True)
        assert response.status_code == 200, (response.status_code, response.headers, response.content[:300])

    facets = json.dumps(["organization", "groups", "res_format"])
    search_ms = _median(
        lambda: get("/api/3/action/package_search", q="Grundwasser", rows=10, **{"facet.field": facets})
    )
    deep_ms = _median(lambda: get("/api/3/action/package_search", start=N_DATASETS - 1000, rows=1000))
    ttl_ms = _median(lambda: get("/catalog.ttl", page=max(1, N_DATASETS // 200)))
    html_ms = _median(lambda: get("/offene-daten/", q="Bäume Hochstraße"))
    print(f"package_search q + 3 Facetten: {search_ms:.1f} ms (Ziel ≤ 50 ms auf PostgreSQL)")
    print(f"package_search start={N_DATASETS - 1000}&rows=1000: {deep_ms:.0f} ms (Ziel ≤ 500 ms)")
    print(f"/catalog.ttl, eine Seite mit 100 Datensätzen: {ttl_ms:.0f} ms (Ziel ≤ 200 ms)")
    print(f"/offene-daten/ mit Suche und Facetten: {html_ms:.0f} ms")

    source = HarvestSource.objects.create(
        name="Bench", url="https://portal.example", kind=HarvestSource.Kind.CKAN
    )
    fetch = Recorded(_ckan_pages(N_HARVEST))
    start = time.perf_counter()
    run = harvest(source, fetch=fetch)
    harvest_s = time.perf_counter() - start
    assert run.created == N_HARVEST, (run.created, run.errors[:3])
    print(
        f"Ernte von {N_HARVEST:,} Datensätzen aus einer CKAN-Quelle: {harvest_s:.1f} s (Ziel ≤ 60 s)",
        flush=True,
    )
