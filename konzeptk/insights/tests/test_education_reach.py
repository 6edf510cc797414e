"""Who the education offers reach: every count passes the disclosure control (small cells never
shown as themselves, rates hidden for small groups, the same people give the same number in every
table, on every page, in the CSV and in the strategy indicator), differencing tables and days does not
pin a booking, and the page, the CSV and the indicator binding work."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone
from scipy.optimize import Bounds, LinearConstraint, milp

from konzeptk.city.models import District
from konzeptk.education.models import Booking, Offer
from konzeptk.education.reach_selectors import person_of_booking, reached_people
from konzeptk.education.tests.reach_helpers import make_booking, make_offer, make_provider
from konzeptk.insights import education_reach, privacy, selectors
from konzeptk.insights.models import POPULATION_BANDS

pytestmark = pytest.mark.django_db


def _districts() -> list[District]:
    layer = selectors.reference_layer()
    assert layer is not None
    return list(layer.districts.order_by("code"))


def _year() -> int:
    return timezone.localdate().year


def _report() -> education_reach.ReachReport:
    report = education_reach.reach_report(year=_year())
    assert report is not None
    return report


def _cell(report: education_reach.ReachReport, district: District, band: str) -> education_reach.Figure:
    row = next(r for r in report.rows if r.district_id == district.pk)
    return row.bands[POPULATION_BANDS.index(band)]


def _people(offer: Offer, n: int, *, district: District, band: str) -> list[Booking]:
    return [make_booking(offer, district=district, band=band) for _ in range(n)]


def test_small_cells_never_show_their_true_count_and_hide_the_rate(krefeld: None) -> None:
    offer = make_offer(make_provider())
    mitte, west, nord, ost, sued = _districts()
    for district, k in ((mitte, 1), (west, 2), (nord, 3), (ost, 4)):
        _people(offer, k, district=district, band="65+")
    _people(offer, 40, district=sued, band="18-64")
    report = _report()
    for district, k in ((mitte, 1), (west, 2), (nord, 3), (ost, 4)):
        figure = _cell(report, district, "65+")
        assert figure.published != k
        assert abs(figure.published - k) <= privacy.MAX_DEVIATION
        assert figure.per_thousand is None  # "zu wenige Angaben"
    big = _cell(report, sued, "18-64")
    assert abs(big.published - 40) <= privacy.MAX_DEVIATION
    population = selectors.population()
    assert population is not None
    residents = population.by_district_band()[(sued.pk, "18-64")]
    assert big.per_thousand == pytest.approx(1000 * big.published / residents)
    assert _cell(report, sued, "65+").published == 0  # zero stays zero


def test_what_counts(krefeld: None) -> None:
    offer = make_offer(make_provider())
    other = make_offer(make_provider(), kind=Offer.Kind.EVENT, areas=(3,))
    mitte = _districts()[0]
    counted = make_booking(offer, district=mitte, email="a@example.org")
    make_booking(other, district=mitte, email="A@example.org")  # the same person again: counted once
    make_booking(offer, district=mitte, attended=True)
    make_booking(offer, district=mitte, consent=False)
    make_booking(offer, district=mitte, status=Booking.Status.WAITING)
    make_booking(offer, district=mitte, status=Booking.Status.CANCELLED)
    make_booking(offer, district=mitte, status=Booking.Status.UNCONFIRMED)
    make_booking(offer, district=mitte, attended=False)
    people = {p.person: p for p in reached_people(year=_year())}
    assert len(people) == 2
    first = people[person_of_booking(user_id=None, email=counted.email)]
    assert first.kinds == {"course", "event"}
    assert first.areas == {3}


def test_the_same_people_give_the_same_number_everywhere(krefeld: None, settings: Any) -> None:
    from konzeptk.strategy.source_registry import get_source

    offer = make_offer(make_provider(), areas=(1,))
    mitte, west, *_rest = _districts()
    seniors = _people(offer, 3, district=mitte, band="65+") + _people(offer, 6, district=west, band="65+")
    _people(offer, 5, district=west, band="18-64")
    report = _report()
    ids = [person_of_booking(user_id=None, email=b.email) for b in seniors]
    expected = privacy.keyring().cell(ids)
    senior_total = report.band_totals[POPULATION_BANDS.index("65+")].published
    assert senior_total == expected == education_reach.seniors_reached(year=_year())
    source = get_source(education_reach.INDICATOR_SOURCE)
    assert source is not None
    assert source.value() == float(expected)
    # asking again (another request, another day) gives the very same numbers
    assert education_reach.reach_report(year=_year()) == report
    assert education_reach.compute_reach_report(year=_year()) == report  # the cache holds the same
    _people(offer, 1, district=west, band="65+")  # a new booking: a new report, not the cached one
    assert education_reach.reach_report(year=_year()) == education_reach.compute_reach_report(year=_year())
    assert education_reach.seniors_reached(year=_year()) == privacy.keyring().cell(
        [*ids, person_of_booking(user_id=None, email=Booking.objects.latest("pk").email)]
    )
    # the CSV publishes exactly the page's numbers
    csv = b"".join(Client().get("/auswertung/bildung/reichweite.csv").streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    line = next(row for row in csv.splitlines() if row.startswith(f"{_year()},{mitte.name},65+,"))
    assert line.split(",")[4] == str(_cell(report, mitte, "65+").published)
    assert line.endswith(",zu wenige Angaben")


def _attacker_range(
    published: list[list[tuple[list[int], int]]], target: dict[int, int], n: int
) -> tuple[int, int]:
    """Smallest and largest value of ``sum(coef * x)`` over all whole-number tables ``x`` (cells of
    every day, ``n`` unknowns) that agree with every published number up to ±MAX_DEVIATION and only
    grow from one day to the next."""
    rows: list[Any] = []
    low: list[float] = []
    high: list[float] = []
    for day, sums in enumerate(published):
        for cells, value in sums:
            row = np.zeros(n)
            row[[day * (n // len(published)) + c for c in cells]] = 1
            rows.append(row)
            low.append(value - privacy.MAX_DEVIATION)
            high.append(value + privacy.MAX_DEVIATION)
    per_day = n // len(published)
    for day in range(1, len(published)):
        for c in range(per_day):
            row = np.zeros(n)
            row[day * per_day + c], row[(day - 1) * per_day + c] = 1, -1
            rows.append(row)
            low.append(0)
            high.append(np.inf)
    constraint = LinearConstraint(np.array(rows), low, high)
    objective = np.zeros(n)
    for index, coef in target.items():
        objective[index] = coef
    found = []
    for sign in (1, -1):
        result = milp(
            sign * objective, constraints=constraint, integrality=np.ones(n), bounds=Bounds(0, np.inf)
        )
        assert result.success
        found.append(round(sign * result.fun))
    return found[0], found[1]


def test_differencing_tables_and_days_does_not_pin_a_booking(krefeld: None) -> None:
    """An attacker reads every published table of two days (cells, district and band totals, the
    grand total, the senior indicator); between the days exactly one senior from Mitte booked. Whatever
    they combine, the number of new seniors in Mitte stays open (0 is as possible as 1), and no small
    cell is pinned to its true count."""
    offer = make_offer(make_provider())
    districts = _districts()
    plan = {
        (0, "65+"): 2,
        (0, "18-64"): 9,
        (1, "65+"): 7,
        (1, "6-17"): 1,
        (2, "18-64"): 12,
        (3, "65+"): 3,
        (4, "18-64"): 5,
    }
    for (d, band), k in plan.items():
        _people(offer, k, district=districts[d], band=band)
    cells = list(itertools.product(range(len(districts)), POPULATION_BANDS))
    index = {cell: i for i, cell in enumerate(cells)}

    def tables() -> list[tuple[list[int], int]]:
        report = _report()
        sums: list[tuple[list[int], int]] = []
        for d, row in enumerate(report.rows):
            sums.append(([index[(d, b)] for b in POPULATION_BANDS], row.total.published))
            sums.extend(
                ([index[(d, b)]], f.published) for b, f in zip(POPULATION_BANDS, row.bands, strict=True)
            )
        for b, f in zip(POPULATION_BANDS, report.band_totals, strict=True):
            sums.append(([index[(d, b)] for d in range(len(districts))], f.published))
        sums.append((list(range(len(cells))), report.total.published))
        return sums

    day1 = tables()
    make_booking(offer, district=districts[0], band="65+")  # the booking the attacker is after
    day2 = tables()
    n = 2 * len(cells)
    target = index[(0, "65+")]
    low, high = _attacker_range([day1, day2], {len(cells) + target: 1, target: -1}, n)
    assert low <= 0 < 1 <= high, (low, high)
    for day, truth in ((0, plan), (1, {**plan, (0, "65+"): 3})):
        for cell, k in truth.items():
            if 1 <= k <= 4:
                i = day * len(cells) + index[cell]
                low, high = _attacker_range([day1, day2], {i: 1}, n)
                assert low < high, (day, cell, k, low, high)


def test_page_shows_table_chart_and_explanations(krefeld: None, django_assert_max_num_queries: Any) -> None:
    offer = make_offer(make_provider())
    mitte, west, *_ = _districts()
    _people(offer, 12, district=west, band="65+")
    _people(offer, 2, district=mitte, band="6-17")
    client = Client()
    client.get("/auswertung/bildung/")  # population and profile caches
    with django_assert_max_num_queries(25):
        response = client.get("/auswertung/bildung/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reichweite je 1.000 Einwohner" in html
    assert "zu wenige Angaben" in html
    assert 'class="kk-bars"' in html
    assert "Cell-Key-Methode" in html
    assert "/bildung/weisse-flecken/" in html
    west_cell = _cell(_report(), west, "65+")
    assert west_cell.per_thousand is not None
    # more people, same number of queries
    _people(offer, 60, district=west, band="18-64")
    with django_assert_max_num_queries(25):
        assert client.get("/auswertung/bildung/").status_code == 200


@pytest.mark.parametrize("query", ["?year=abc", "?year=1800", "?year=-1", "?year=99999999999999999999"])
def test_bad_year_is_answered_not_crashed(krefeld: None, query: str) -> None:
    response = Client().get("/auswertung/bildung/" + query)
    assert response.status_code == 200
    assert Client().get("/auswertung/bildung/reichweite.csv" + query).status_code == 200


def test_pages_in_other_languages(krefeld: None) -> None:
    for prefix in ("/tr", "/ar", "/en"):
        assert Client().get(f"{prefix}/auswertung/bildung/").status_code == 200


def test_strategy_indicator_binds_to_seniors_reached(krefeld: None) -> None:
    from konzeptk.strategy import services
    from konzeptk.strategy.models import Indicator, IndicatorValue

    indicator = Indicator.objects.create(
        slug="erreichte-senioren",
        name="Erreichte Seniorinnen und Senioren",
        unit="Personen",
        direction=Indicator.Direction.UP,
        source="Konzept K, Bildungsangebote",
        baseline_value=0,
        baseline_year=2025,
    )
    services.indicator_bind(indicator=indicator, source=education_reach.INDICATOR_SOURCE)
    services.indicator_refresh_from_data(indicator=indicator)
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()  # nothing booked yet

    offer = make_offer(make_provider())
    seniors = _people(offer, 9, district=_districts()[2], band="65+")
    binding = services.indicator_refresh_from_data(indicator=indicator, force=True)
    assert binding is not None
    assert binding.state == "ok"
    value = IndicatorValue.objects.get(indicator=indicator, source=IndicatorValue.Source.SERIES)
    ids = [person_of_booking(user_id=None, email=b.email) for b in seniors]
    assert value.value == privacy.keyring().cell(ids)
    assert value.date.year == timezone.now().year
