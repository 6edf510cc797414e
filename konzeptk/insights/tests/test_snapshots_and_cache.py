"""Representation tracked over time (daily snapshots: idempotent per day, published counts only) and
the report cache (never older than the data it was computed from)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from konzeptk.accounts.models import Consent
from konzeptk.accounts.services import consent_give, consent_withdraw
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.insights import analysis, background, selectors, services
from konzeptk.insights.models import DemographicProfile, RepresentationSnapshot
from konzeptk.insights.tests.conftest import published
from konzeptk.participation.models import Process, Support
from konzeptk.participation.tests.factories import IdeaFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(krefeld: None) -> Any:
    process = ProcessFactory(status=Process.Status.PUBLISHED)
    PhaseFactory(process=process)
    return process


def _people(process: Any, district: Any, n: int, *, age: str = "30-49", gender: str = "f") -> list[Any]:
    idea = IdeaFactory(process=process, author=None)
    users = []
    for _ in range(n):
        user = UserFactory()
        DemographicProfile.objects.create(user=user, district=district, age_band=age, gender=gender)
        consent_give(user=user, purpose=Consent.Purpose.DEMOGRAPHICS)
        users.append(user)
    Support.objects.bulk_create([Support(idea=idea, user=u) for u in users])
    return users


def _districts() -> list[Any]:
    layer = selectors.reference_layer()
    assert layer is not None
    return list(layer.districts.order_by("code"))


def test_snapshot_is_idempotent_per_day_and_stores_published_counts_only(process: Any) -> None:
    first, second = _districts()[:2]
    many = _people(process, first, 12)
    few = _people(process, second, 3, age="65+")  # a cell of 3 people: never stored as 3
    stored = services.representation_snapshot_take(process=process)
    again = services.representation_snapshot_take(process=process)
    rows = RepresentationSnapshot.objects.filter(process=process, day=timezone.localdate())
    assert stored == again == rows.count()
    total = rows.get(table="total", group="")
    assert total.participants == published(many + few)
    small = rows.get(table="district", group=str(second.pk))
    assert small.participants == published(few)
    assert small.participants != 3
    assert abs(small.participants - 3) <= 2
    assert not small.suppressed
    # the same people give the same number in every table: the sex table's "female" is everyone
    assert rows.get(table="sex", group="f").participants == published(many + few)
    assert rows.get(table="district_age", group=f"{second.pk}|65+").participants == published(few)
    assert rows.get(table="total", group="district").participants == published(many + few)


def test_command_takes_running_processes_and_platform_once_a_day(process: Any) -> None:
    finished = ProcessFactory(status=Process.Status.PUBLISHED)
    PhaseFactory(
        process=finished,
        start=timezone.now() - dt.timedelta(days=60),
        end=timezone.now() - dt.timedelta(days=30),
    )
    _people(process, _districts()[0], 6)
    out = io.StringIO()
    call_command("recompute_insights", stdout=out)
    call_command("recompute_insights", stdout=out)
    totals = RepresentationSnapshot.objects.filter(table="total", group="")
    assert sorted(totals.values_list("process_id", flat=True), key=str) == sorted([process.pk, None], key=str)
    assert "2 Stände" in out.getvalue()
    # the background worker only fills in what is missing today
    RepresentationSnapshot.objects.filter(process=None).delete()
    services.opinion_landscapes_recompute_pending()
    assert RepresentationSnapshot.objects.filter(table="total", group="").count() == 2


def test_monitor_page_shows_history_with_suppression_and_asks_for_a_missing_snapshot(
    client: Any, process: Any, monkeypatch: Any
) -> None:
    first, second = _districts()[:2]
    _people(process, first, 20)
    asked: list[int] = []
    monkeypatch.setattr(background, "enqueue", asked.append)
    response = client.get(f"/auswertung/prozess/{process.slug}/")
    assert asked == [0]  # no snapshot today yet: asked the background, computed nothing here
    assert not RepresentationSnapshot.objects.exists()
    assert "Noch ist kein Tag festgehalten" in response.content.decode()
    today = timezone.localdate()
    services.representation_snapshot_take(process=process, day=today - dt.timedelta(days=7))
    _people(process, second, 2, age="65+")
    services.representation_snapshot_take(process=process, day=today)
    # A week ago the first flagged group was a small cell: stored suppressed, as the service does.
    report = analysis.representation_report(process)
    flagged = report.flagged[0]
    RepresentationSnapshot.objects.filter(
        process=process, day=today - dt.timedelta(days=7), table=flagged.table, group=flagged.group
    ).update(participants=None, ratio=None, ci_low=None, ci_high=None, suppressed=True)
    asked.clear()
    html = client.get(f"/auswertung/prozess/{process.slug}/").content.decode()
    assert asked == []
    section = html.split('id="entwicklung"')[1].split("</section>")[0]
    assert section.count("<svg") == sum(1 for r in report.flagged if r.ratio is not None)
    assert "<table" in section
    history = analysis.representation_history(process, report.flagged)
    suppressed = [(x.label, p.day) for x in history.series for p in x.points if p.suppressed]
    assert suppressed == [(flagged.label, today - dt.timedelta(days=7))]
    assert section.count(">verdeckt<") == 1
    row = next(r for r in section.split("<tr") if f"<bdi>{flagged.label}</bdi></th>" in r)
    assert row.count("<td") == 2
    assert ">verdeckt<" in row.split("<td")[1]
    # its chart has one point (today), not two: the suppressed day is a gap
    series = next(x for x in history.series if x.label == flagged.label)
    assert series.chart is not None
    assert len(series.chart.points) == 1


def test_cached_report_follows_new_contributions_and_withdrawn_consents(client: Any, process: Any) -> None:
    district = _districts()[0]
    people = _people(process, district, 10)
    url = f"/auswertung/prozess/{process.slug}/"

    def shown(participants: list[Any], profiles: list[Any]) -> None:
        html = client.get(url).content.decode()
        assert f"Beteiligt haben sich {published(participants)} Personen" in html
        assert f"{published(profiles)} von ihnen" in html

    shown(people, people)
    more = people + _people(process, district, 1)
    shown(more, more)
    consent_withdraw(user=people[0], purpose=Consent.Purpose.DEMOGRAPHICS)
    shown(more, more[1:])
    Support.objects.filter(user=people[1]).delete()  # a withdrawn support: fewer participants
    shown([u for u in more if u != people[1]], [u for u in more[1:] if u != people[1]])


def test_fingerprint_is_one_query(process: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        a = selectors.contributions_fingerprint(process)
    with django_assert_num_queries(1):
        selectors.contributions_fingerprint(None)
    _people(process, _districts()[0], 1)
    assert selectors.contributions_fingerprint(process) != a


def test_history_of_report_flags(process: Any) -> None:
    first, second = _districts()[:2]
    everyone = _people(process, first, 20) + _people(process, second, 6)
    services.representation_snapshot_take(process=process)
    report = analysis.representation_report(process)
    history = analysis.representation_history(process, report.flagged)
    assert history.days == [timezone.localdate()]
    assert history.totals == [published(everyone)]
    assert {s.label for s in history.series} == {r.label for r in report.flagged}


def test_api_gives_a_stored_day_as_published_then(
    client: Any, process: Any, django_assert_max_num_queries: Any
) -> None:
    first, second = _districts()[:2]
    people = _people(process, first, 9) + _people(process, second, 2, age="65+")
    services.representation_snapshot_take(process=process, day=timezone.localdate() - dt.timedelta(days=3))
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    url = f"/api/v1/insights/processes/{process.slug}/representation"
    with django_assert_max_num_queries(4):
        stored = client.get(f"{url}?day={day}").json()
    live = client.get(url).json()
    assert stored["day"] == day
    assert live["day"] is None
    # the same people: the stored day and today publish the same numbers in every table
    assert stored["participants"] == live["participants"] == published(people)
    assert [t["rows"] for t in stored["tables"]] == [
        [{**r, "participant_share": pytest.approx(r["participant_share"])} for r in t["rows"]]
        for t in live["tables"]
    ]
    assert [t["total"] for t in stored["tables"]] == [t["total"] for t in live["tables"]]
    missing = client.get(f"{url}?day=2001-01-01")
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_day"
    assert client.get(f"{url}?day=gestern").status_code == 400


def test_migration_drops_snapshots_of_the_old_method(process: Any) -> None:
    """Snapshots stored before the cell-key method held true counts: the data migration deletes them."""
    from importlib import import_module

    from django.apps import apps

    _people(process, _districts()[0], 6)
    services.representation_snapshot_take(process=process)
    assert RepresentationSnapshot.objects.exists()
    import_module("konzeptk.insights.migrations.0003_snapshots_cell_key").drop_unprotected(apps, None)
    assert not RepresentationSnapshot.objects.exists()


def test_the_last_week_publishes_the_same_numbers_as_the_tables(process: Any) -> None:
    first, second = _districts()[:2]
    _people(process, first, 8)
    _people(process, second, 3)
    report = analysis.representation_report(process)
    district = next(t for t in report.tables if t.key == "district")
    assert report.weeks[-1].participants == report.participants
    assert report.weeks[-1].with_district == district.known
