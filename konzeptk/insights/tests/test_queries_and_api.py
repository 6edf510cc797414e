"""Query counts of the pages do not grow with the number of participants; the JSON API answers
with aggregates and JSON errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from konzeptk.accounts.models import Consent
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.insights import analysis, selectors
from konzeptk.insights.a11y import pages_of
from konzeptk.insights.models import DemographicProfile, Statement, StatementVote
from konzeptk.participation.models import Channel, Idea, Support

pytestmark = pytest.mark.django_db


def _counts(client: Any, phase: Any) -> dict[str, int]:
    out = {}
    for path in pages_of(phase):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        out[path] = len(ctx.captured_queries)
    return out


def _more_people(phase: Any, n: int) -> None:
    layer = selectors.reference_layer()
    district = layer.districts.order_by("code").first()
    statements = list(Statement.objects.filter(phase=phase).approved()[:10])
    idea = Idea.objects.filter(process=phase.process).first()
    for _ in range(n):
        user = UserFactory()
        DemographicProfile.objects.create(user=user, district=district, age_band="65+", gender="f")
        Consent.objects.create(user=user, purpose=Consent.Purpose.DEMOGRAPHICS)
        StatementVote.objects.bulk_create(
            [StatementVote(statement=s, user=user, value=1) for s in statements]
        )
        Support.objects.create(idea=idea, user=user)


def test_query_counts_do_not_grow_with_participants(client: Any, demo: Any) -> None:
    _counts(client, demo)  # warm the caches of population, districts and places
    _more_people(demo, 1)  # reports are cached by their data: each count below computes afresh
    before = _counts(client, demo)
    _more_people(demo, 15)
    after = _counts(client, demo)
    assert after == before
    for path, count in after.items():
        assert count <= 30, (path, count)


def test_api_representation_and_landscape(client: Any, demo: Any) -> None:
    data = client.get(f"/api/v1/insights/processes/{demo.process.slug}/representation").json()
    assert {t["key"] for t in data["tables"]} == {"district", "age", "sex", "district_age", "age_sex"}
    assert client.get("/api/v1/insights/representation").status_code == 200
    landscape = client.get(f"/api/v1/insights/landscapes/{demo.pk}").json()
    assert landscape["status"] == "ok"
    assert landscape["bridging"]
    # group sizes and participants as published (cell-key method), never the true counts
    from konzeptk.insights.models import OpinionLandscape

    stored = OpinionLandscape.objects.get(phase=demo).result
    assert landscape["groups"] == stored["published"]["group_sizes"]
    assert landscape["participants"] == stored["published"]["participants"]
    assert all(abs(a - b) <= 2 for a, b in zip(landscape["groups"], stored["group_sizes"], strict=True))


def test_api_errors_are_json(client: Any, db: None) -> None:
    response = client.get("/api/v1/insights/processes/gibt-es-nicht/representation")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_process"
    response = client.get("/api/v1/insights/landscapes/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_phase"
    response = client.get("/api/v1/insights/landscapes/abc")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_offline_contributions_count_with_their_recorded_profile(demo: Any) -> None:
    process = demo.process
    layer = selectors.reference_layer()
    before = selectors.people(process, layer=layer)
    district = layer.districts.order_by("code").last()
    for _ in range(6):
        Idea.objects.create(
            process=process,
            title="Vom Bürgerkoffer",
            text="Auf Papier erfasst.",
            channel=Channel.KOFFER,
            district=district,
            contributor_profile={"age_band": "65+", "gender": "f"},
        )
    after = selectors.people(process, layer=layer)
    assert after.count == before.count + 6
    assert len(after.profiles) == len(before.profiles) + 6
    in_group = [
        k for k, p in after.profiles.items() if p.district_id == district.pk and p.population_band == "65+"
    ]
    assert sum(k.startswith("o") for k in in_group) == 6
    report = analysis.representation_report(process)
    assert abs(report.participants - after.count) <= 2
    combos = next(t for t in report.tables if t.key == "district_age")
    row = next(r for r in combos.rows if r.group == f"{district.pk}|65+")
    assert row.participants is not None
    assert abs(row.participants - len(in_group)) <= 2
