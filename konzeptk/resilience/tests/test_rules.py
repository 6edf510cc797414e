"""The maths of the rules (felt temperature against published values, runs, episodes, derived series) and the
staff form: impossible thresholds and units are form errors; alert texts in all six languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.content import OTHER_LANGUAGES
from konzeptk.resilience import rules as maths
from konzeptk.resilience.models import Rule
from konzeptk.resilience.tests.alerts_support import HEADLINES, INSTRUCTIONS, make_city, temperature_stream

T0 = dt.datetime(2026, 7, 20, 12, 0, tzinfo=dt.UTC)


def _f(t_f: float, rh: float) -> float:
    return maths.heat_index_c((t_f - 32) * 5 / 9, rh) * 9 / 5 + 32


@pytest.mark.parametrize(
    ("t_f", "rh", "published"),
    [
        (96, 65, 121),  # the NWS's own example: 96 °F at 65 % feels like 121 °F
        (100, 40, 109),  # NWS heat index chart
        (100, 55, 124),
        (86, 90, 105),
        (80, 40, 80),
    ],
)
def test_felt_temperature_matches_the_published_heat_index(t_f: float, rh: float, published: float) -> None:
    assert round(_f(t_f, rh)) == published


def test_felt_temperature_pairs_the_nearest_humidity_within_half_an_hour() -> None:
    temps = [(T0, 32.0), (T0 + dt.timedelta(hours=2), 33.0)]
    hums = [(T0 + dt.timedelta(minutes=10), 60.0), (T0 + dt.timedelta(minutes=50), 20.0)]
    points = maths.felt_points(temps, hums)
    assert [at for at, _v in points] == [T0]  # the second temperature has no humidity near it
    assert points[0][1] == pytest.approx(maths.heat_index_c(32.0, 60.0))


def _series(values: list[float], step: int = 10) -> list[maths.Point]:
    return [(T0 + dt.timedelta(minutes=step * i), v) for i, v in enumerate(values)]


def _episodes(values: list[float], minutes: int = 30, **kw: Any) -> list[maths.SimEpisode]:
    runs = maths.runs_of(_series(values), kind=maths.HEAT, threshold=30.0, hysteresis=2.0)
    return maths.episodes_of(runs, kind=maths.HEAT, min_duration=dt.timedelta(minutes=minutes), **kw)


def test_an_episode_is_raised_after_the_minimum_duration_and_ends_past_the_hysteresis() -> None:
    (episode,) = _episodes([29, 31, 32, 33, 34, 29, 31, 27, 26])
    assert episode.start == T0 + dt.timedelta(minutes=10)
    assert episode.raised_at == T0 + dt.timedelta(minutes=40)
    assert episode.peak == 34
    assert episode.ended_at == T0 + dt.timedelta(minutes=70)  # 29 is within the hysteresis, 27 is not


def test_a_break_before_the_minimum_duration_is_no_episode() -> None:
    assert _episodes([31, 32, 29.5, 31, 32]) == [
        maths.SimEpisode(start=T0 + dt.timedelta(minutes=30), peak=32, last=T0 + dt.timedelta(minutes=40))
    ]


def test_late_cold_data_does_not_end_an_alert_already_raised() -> None:
    runs = maths.runs_of(_series([31, 32, 20, 33, 34]), kind=maths.HEAT, threshold=30.0, hysteresis=2.0)
    raised = maths.episodes_of(
        runs, kind=maths.HEAT, min_duration=dt.timedelta(minutes=10), raised_since=T0,
        raised_through=T0 + dt.timedelta(minutes=40),
    )  # fmt: skip
    assert len(raised) == 1
    assert raised[0].ended_at is None
    assert raised[0].peak == 34


def test_level_below_and_tropical_night_compare_the_other_way_and_inclusively() -> None:
    assert maths.classify(maths.LEVEL_BELOW, 9.0, 10.0, 0.5) == 1
    assert maths.classify(maths.LEVEL_BELOW, 10.2, 10.0, 0.5) == 0
    assert maths.classify(maths.LEVEL_BELOW, 10.6, 10.0, 0.5) == -1
    assert maths.classify(maths.TROPICAL_NIGHT, 20.0, 20.0, 1.0) == 1
    assert maths.classify(maths.HEAT, 30.0, 30.0, 1.0) == 0


def test_rain_amounts_become_hourly_sums() -> None:
    points = _series([1.0, 2.0, 3.0, 0.0, 0.0, 0.0, 4.0])
    assert [v for _t, v in maths.rain_hourly(points)] == [1.0, 3.0, 6.0, 6.0, 6.0, 6.0, 9.0]


def test_a_tropical_night_is_its_lowest_value_once_it_is_over_and_covered() -> None:
    night = dt.datetime(2026, 7, 20, 18, tzinfo=dt.UTC)
    points = [(night + dt.timedelta(hours=h), 24.0 - h / 2) for h in range(12)]
    points.append((night + dt.timedelta(hours=14), 30.0))  # daytime: not part of the night
    assert maths.night_minima(points, now=night + dt.timedelta(hours=11)) == []  # not over yet
    assert maths.night_minima(points, now=night + dt.timedelta(hours=13)) == [
        (night + dt.timedelta(hours=12), 18.5)
    ]
    assert (
        maths.night_minima(points[:5], now=night + dt.timedelta(days=1)) == []
    )  # 5 of 12 hours: not covered


# --- the staff form ----------------------------------------------------------------------------


def _post_data(ds_id: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Hitze", "kind": "heat", "datastream": ds_id, "threshold": "30", "unit": "°C",
        "min_duration_minutes": "60", "hysteresis": "2", "severity": "Severe", "headline": HEADLINES["de"],
        "instruction": INSTRUCTIONS["de"], "active": "on",
    }  # fmt: skip
    for code in OTHER_LANGUAGES:
        data[f"headline_{code}"] = HEADLINES[code]
        data[f"instruction_{code}"] = INSTRUCTIONS[code]
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"unit": "m"}, "unit", "passt nicht zur Art"),
        ({"unit": "mm/h"}, "unit", "passt nicht zur Art"),
        ({"threshold": "200"}, "threshold", "nicht möglich"),
        ({"threshold": "-90"}, "threshold", "nicht möglich"),
        ({"kind": "rain", "unit": "mm/h"}, "unit", "misst in"),
        ({"kind": "felt_heat"}, "humidity_datastream", "Luftfeuchte"),
        ({"hysteresis": "50"}, "hysteresis", "zu groß"),
        ({"threshold": "nan"}, "threshold", ""),
        ({"headline_ar": ""}, "headline_ar", "allen sechs Sprachen"),
        ({"min_duration_minutes": "-5"}, "min_duration_minutes", ""),
        ({"kind": "lava"}, "kind", ""),
        ({"datastream": "999999"}, "datastream", ""),
    ],
)
def test_impossible_rules_are_form_errors(
    client: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    make_city()
    ds, _token = temperature_stream()
    client.force_login(UserFactory(staff=True))
    answer = client.post("/warnungen/verwaltung/regeln/neu/", _post_data(ds.pk, **overrides))
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Rule.objects.exists()


@pytest.mark.django_db
def test_staff_save_a_rule_and_see_it_listed(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    mitte, _ost = make_city()
    ds, _token = temperature_stream()
    client.force_login(UserFactory(staff=True))
    assert client.get("/warnungen/verwaltung/regeln/neu/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/warnungen/verwaltung/regeln/neu/", _post_data(ds.pk, districts=[mitte.pk]))
    assert answer.status_code == 302
    rule = Rule.objects.get()
    assert rule.headline_uk == HEADLINES["uk"]
    assert list(rule.districts.all()) == [mitte]
    page = client.get("/warnungen/verwaltung/regeln/")
    assert page.status_code == 200
    assert "Hitze" in page.content.decode()
    assert client.get(f"/warnungen/verwaltung/regeln/{rule.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(f"/warnungen/verwaltung/regeln/{rule.pk}/", _post_data(ds.pk, threshold="32"))
    assert changed.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == 32


@pytest.mark.django_db
def test_only_staff_manage_rules(client: Client) -> None:
    assert client.get("/warnungen/verwaltung/regeln/").status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get("/warnungen/verwaltung/regeln/").status_code == 403
    assert client.post("/warnungen/verwaltung/regeln/neu/", {}).status_code == 403
