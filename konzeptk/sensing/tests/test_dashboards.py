from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from konzeptk.sensing import models as m
from konzeptk.sensing.a11y import a11y_pages, seed_dashboard_data
from konzeptk.sensing.selectors import aggregate_series, aggregate_value
from konzeptk.sensing.tests.factories import make_test_city

pytestmark = pytest.mark.django_db


def test_aggregations_hourly_daily_monthly() -> None:
    seed_dashboard_data()
    ds = m.Datastream.objects.get()
    start, end = dt.datetime(2024, 7, 1, tzinfo=dt.UTC), dt.datetime(2024, 7, 31, tzinfo=dt.UTC)
    days = aggregate_series(datastream=ds, interval="day", start=start, end=end)
    assert 29 <= len(days) <= 31
    full = [d for d in days if d.count == 24]
    assert full
    assert all(d.min == 15.0 and d.max == 26.5 for d in full)
    assert full[0].mean == pytest.approx(20.75)
    months = aggregate_series(
        datastream=ds, interval="month", start=start - dt.timedelta(days=40), end=end + dt.timedelta(hours=1)
    )
    assert sum(b.count for b in months) == 24 * 40
    hours = aggregate_series(datastream=ds, interval="hour", start=end - dt.timedelta(days=1), end=end)
    assert len(hours) == 24
    assert aggregate_value(datastream=ds, statistic="count", start=start, end=end) == 30 * 24
    with pytest.raises(ValueError):
        aggregate_value(datastream=ds, statistic="median", start=start, end=end)


def test_dashboard_pages_render_chart_table_and_note(client: Any, django_assert_max_num_queries: Any) -> None:
    for path in a11y_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert html.count("<h1") == 1
    with django_assert_max_num_queries(20):
        html = client.get("/daten/klima/?period=7").content.decode()
    assert 'role="img"' in html
    assert '<title id="chart-title">' in html
    assert "Simulierte Daten" in html
    assert "Quelle: Testdaten" in html
    assert len(re.findall(r'<th scope="row"', html)) >= 7
    assert "Hitze" in html


def test_csv_download_and_bad_parameters(client: Any) -> None:
    seed_dashboard_data()
    ds = m.Datastream.objects.get()
    response = client.get(f"/daten/klima/daten.csv?sensor={ds.pk}&period=7")
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8")
    # the one CSV format: BOM, commas, a header row, no comment lines; simulated is a column
    assert text.startswith("\ufeffdatenreihe,einheit,beginn,mittelwert,minimum,maximum,anzahl,simuliert\r\n")
    lines = text.strip().splitlines()
    assert not any(line.lstrip("\ufeff").startswith("#") for line in lines)
    assert len(lines) == 1 + 8  # 7 days of 24 h touch 8 local calendar days
    assert all(line.endswith(",ja") for line in lines[1:])
    assert client.get("/daten/klima/?period=abc&sensor=xyz").status_code == 200
    assert client.get("/daten/gibtsnicht/").status_code == 404
    assert client.get("/daten/wasser/daten.csv").status_code == 404


def test_demo_is_idempotent_and_labelled(settings: Any) -> None:
    import io

    from konzeptk.sensing import demo

    out = io.StringIO()
    demo.load_demo(out=out)
    demo.load_demo(out=out)
    assert "schon da" in out.getvalue()
    hoch = m.Datastream.objects.get(name="Passant:innen Hochstraße")
    berlin = ZoneInfo("Europe/Berlin")
    year = dt.datetime.now(berlin).year - 1  # the simulation covers the whole previous calendar year
    total = aggregate_value(
        datastream=hoch,
        statistic="sum",
        start=dt.datetime(year, 1, 1, tzinfo=berlin),
        end=dt.datetime(year + 1, 1, 1, tzinfo=berlin),
    )
    assert 5_400_000 < (total or 0) < 5_800_000
    assert hoch.observations.order_by("phenomenon_time_start").first().phenomenon_time_start == dt.datetime(  # type: ignore[union-attr]
        year, 1, 1, tzinfo=berlin
    )
    assert all((ds.properties or {}).get("simulated") for ds in m.Datastream.objects.all())
    assert m.Datastream.objects.filter(properties__topic="wasser").count() == 2


def test_topic_page_has_a_sensor_map_with_the_table_as_its_list(client: Any) -> None:
    from konzeptk.city.selectors import forget_active_profile

    make_test_city()
    seed_dashboard_data()
    try:
        html = client.get("/daten/klima/").content.decode()
    finally:
        forget_active_profile()
    # the platform's map component: SVG without JavaScript, numbered points, the selected one named
    assert 'aria-labelledby="sensor-karte-caption"' in html
    assert "<title>1: Lufttemperatur Ostwall (Test) (gewählt)</title>" in html
    assert 'class="kk-map__mark" x="' in html
    assert ">Mitte</text>" in html
    # the list alternative: the table names the same sensor with the same number
    assert re.search(r'<td class="kern-table__cell kern-table__cell--numeric">1</td>\s*<th scope="row"', html)


def test_topic_page_without_city_profile_still_lists_sensors(client: Any) -> None:
    seed_dashboard_data()
    html = client.get("/daten/klima/").content.decode()
    assert "kk-map__dot" not in html
    assert "Lufttemperatur Ostwall (Test)" in html
