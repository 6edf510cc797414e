"""Benchmark of the strategy pages: ``python -m konzeptk.bench strategy``.

Creates a throwaway test database (Django's test database machinery: in-memory for SQLite,
``test_<name>`` for PostgreSQL; the demo database is never touched), seeds 500 projects, 200 indicators
with 20 values each and 3 revisions, and reports the server time of the overview, the project list
(unfiltered and filtered) and a revision diff through Django's test client (median of several runs),
the two CSV downloads with their whole body, and the CSV writer of ``core/csv.py`` alone (rows per
second and peak memory while streaming 100,000 rows).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from typing import Any

RUNS = 15
PROJECTS = 500
INDICATORS = 200
VALUES_PER_INDICATOR = 20


def _seed() -> dict[str, Any]:
    from konzeptk.accounts.models import Organisation
    from konzeptk.city.tests.factories import box, make_city
    from konzeptk.strategy import services
    from konzeptk.strategy.models import (
        CrossCuttingTheme,
        FieldOfAction,
        Goal,
        Indicator,
        IndicatorTarget,
        IndicatorValue,
        Measure,
        Project,
        ProjectLink,
        Revision,
        Strategy,
        SubTopic,
    )

    rng = random.Random(42)
    square = box(6.5, 51.3, 6.7, 51.4)
    _city, districts = make_city(
        slug="bench",
        name="Benchstadt",
        boundary=square,
        center=(51.35, 6.6),
        districts=[(str(i), f"Bezirk {i}", square) for i in range(1, 6)],
    )
    orgs = [Organisation.objects.create(slug=f"org-{i}", name=f"Organisation {i}") for i in range(8)]
    strategy = Strategy.objects.create(slug="bench", name="Bench")
    rev1 = Revision.objects.create(
        strategy=strategy,
        version=1,
        title="Fassung 1",
        date=dt.date(2021, 3, 1),
        status=Revision.Status.ADOPTED,
    )
    fields = [
        FieldOfAction.objects.create(revision=rev1, title=f"Handlungsfeld {i}", position=i) for i in range(6)
    ]
    for i in range(3):
        CrossCuttingTheme.objects.create(revision=rev1, title=f"Querschnitt {i}", position=i)
    goals = []
    for i in range(36):
        field = fields[i % 6]
        SubTopic.objects.create(revision=rev1, field=field, title=f"Teilthema {i}", position=i)
        goal = Goal.objects.create(
            revision=rev1, field=field, title=f"Ziel {i}", position=i, city_concept="Konzept"
        )
        goals.append(goal)
        for j in range(3):
            Measure.objects.create(revision=rev1, goal=goal, title=f"Maßnahme {i}.{j}", position=j)
    rev2 = services.revision_clone(source=rev1, by=None)
    last_field = FieldOfAction.objects.filter(revision=rev2).order_by("-pk")[0]
    for goal in Goal.objects.filter(revision=rev2)[:10]:
        services.element_update(
            revision=rev2,
            kind="goal",
            element_id=goal.pk,
            title=goal.title + " (neu)",
            parent_id=last_field.pk,
            by=None,
        )
    services.element_add(revision=rev2, kind="field", title="Neues Handlungsfeld", by=None)
    services.revision_adopt(revision=rev2, by=None, council_decision="Bench")
    rev3 = services.revision_clone(source=rev2, by=None)
    services.element_add(revision=rev3, kind="theme", title="Neues Querschnittsthema", by=None)

    stages = ["idea", "preparation", "pilot", "evaluation", "rollout", "completed", "stopped"]
    projects = Project.objects.bulk_create(
        [
            Project(
                slug=f"projekt-{i}",
                title=f"Projekt {i} {rng.choice(['Sensor', 'Kurs', 'Portal', 'Rad'])}",
                summary="Ein Projekt der Smart City mit einer kurzen Beschreibung.",
                lead=orgs[i % 8],
                stage=stages[i % 7],
                published=i % 10 != 0,
                city_wide=i % 9 == 0,
            )
            for i in range(PROJECTS)
        ]
    )
    through = Project.districts.through
    through.objects.bulk_create(
        [through(project_id=p.pk, district_id=districts[i % 5].pk) for i, p in enumerate(projects)]
    )
    ProjectLink.objects.bulk_create(
        [ProjectLink(project=p, kind="field", key=fields[i % 6].key) for i, p in enumerate(projects)]
        + [ProjectLink(project=p, kind="goal", key=goals[i % 36].key) for i, p in enumerate(projects)]
    )
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                slug=f"indikator-{i}",
                name=f"Indikator {i}",
                unit="t",
                direction="down" if i % 2 else "up",
                source="Bench",
                baseline_value=100,
                baseline_year=2015,
                goal_key=goals[i % 36].key,
            )
            for i in range(INDICATORS)
        ]
    )
    IndicatorTarget.objects.bulk_create(
        [IndicatorTarget(indicator=ind, value=50, year=2035) for ind in indicators]
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=ind,
                value=100 - j * rng.uniform(0.5, 3),
                date=dt.date(2015 + j // 2, 1 + 6 * (j % 2), 1),
            )
            for ind in indicators
            for j in range(VALUES_PER_INDICATOR)
        ]
    )
    return {"org": orgs[1].slug, "field": fields[2].key, "district": districts[1].pk}


def _median_ms(client: Any, url: str) -> tuple[float, int]:
    from django.db import connection

    client.get(url, secure=True)  # warm up
    times = []
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{url} antwortet mit {response.status_code}")
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url, secure=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(executed)


def _median_download_ms(client: Any, url: str) -> tuple[float, int]:
    """Server time of a streamed download with its whole body read; (median ms, bytes)."""
    size = 0
    times = []
    for run in range(RUNS // 3 + 1):
        start = time.perf_counter()
        response = client.get(url, secure=True)
        body = b"".join(response.streaming_content)
        if run:  # the first is the warm-up
            times.append((time.perf_counter() - start) * 1000)
        size = len(body)
    return statistics.median(times), size


def _csv_writer_figures(rows: int = 100_000) -> tuple[float, float]:
    """The one CSV writer alone (konzeptk/core/csv.py): rows per second through ``csv_lines`` with
    every text cell checked for formulas, and the peak memory while streaming (KiB)."""
    import tracemalloc

    from konzeptk.core.csv import csv_lines

    def source() -> Any:
        for i in range(rows):
            yield [i, f"Projekt {i}", "=HYPERLINK(1)" if i % 10 == 0 else "Beschreibung", 1.5 * i, None]

    tracemalloc.start()
    start = time.perf_counter()
    for _line in csv_lines(source(), header=["n", "titel", "text", "wert", "leer"]):
        pass
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return rows / seconds, peak / 1024


def main() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    # Plain static storage: the benchmark must not depend on a collectstatic run.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # No setup_test_environment(): it instruments template rendering and would distort the figures.
    overrides = override_settings(STORAGES=storages, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"])
    overrides.enable()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        ids = _seed()
        print(
            f"Daten angelegt in {time.perf_counter() - started:.1f} s: {PROJECTS} Projekte, {INDICATORS} Indikatoren "
            f"× {VALUES_PER_INDICATOR} Werte, 3 Fassungen ({connection.vendor})"
        )
        client = Client()
        pages = [
            ("Startseite (Vergleichswert)", "/"),
            ("Steuerrad (Übersicht)", "/strategie/"),
            ("Projektliste ungefiltert", "/strategie/projekte/"),
            (
                "Projektliste gefiltert",
                f"/strategie/projekte/?q=Sensor&stage=pilot&organisation={ids['org']}"
                f"&district={ids['district']}&field={ids['field']}",
            ),
            ("Projektliste Seite 10", "/strategie/projekte/?page=10"),
            ("Vergleich Fassung 1 → 2", "/strategie/fassungen/vergleich/?a=1&b=2"),
            ("Indikatorenliste", "/strategie/indikatoren/"),
            ("Indikator mit Diagramm", "/strategie/indikatoren/indikator-7/"),
            ("API Projekte (50)", "/api/v1/strategy/projects?limit=50"),
        ]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"Rechnerlast (1 min) beim Messen: {load:.1f} bei {os.cpu_count()} Kernen")
        print(f"{'Seite':<28} {'Median ms':>10} {'Abfragen':>9}  Ziel < 50 ms")
        for label, url in pages:
            ms, queries = _median_ms(client, url)
            flag = "ok" if ms < 50 else "ÜBER ZIEL"
            print(f"{label:<28} {ms:>10.1f} {queries:>9}  {flag}")
        for label, url in [
            ("CSV Projekte (500)", "/strategie/projekte.csv"),
            ("CSV Indikatorwerte (4000)", "/strategie/indikatoren/werte.csv"),
        ]:
            ms, size = _median_download_ms(client, url)
            print(f"{label:<28} {ms:>10.1f} {size // 1024:>6} KiB")
        per_second, peak_kib = _csv_writer_figures()
        print(
            f"CSV-Schreiber (core/csv.py): {per_second:,.0f} Zeilen/s mit Formelprüfung, "
            f"Spitzenspeicher beim Streamen von 100 000 Zeilen {peak_kib:,.0f} KiB"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        overrides.disable()


def seed_front_door(*, ideas: int) -> list[tuple[str, str]]:
    """Forty published indicators with targets and ten yearly values each (the home page counts the ones
    on course)."""
    from konzeptk.strategy.models import Indicator, IndicatorTarget, IndicatorValue

    Indicator.objects.bulk_create(
        [
            Indicator(
                slug=f"startseite-{i}",
                name=f"Kennzahl {i}",
                unit="%",
                direction="up",
                source="Bench",
                baseline_value=10,
                baseline_year=2015,
            )
            for i in range(40)
        ]
    )
    indicators = list(Indicator.objects.filter(slug__startswith="startseite-"))
    IndicatorTarget.objects.bulk_create(
        [IndicatorTarget(indicator=ind, value=50, year=2030) for ind in indicators]
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=ind, value=10 + 2 * year + n % 7, date=dt.date(2016 + year, 1, 1))
            for n, ind in enumerate(indicators)
            for year in range(10)
        ]
    )
    return []
