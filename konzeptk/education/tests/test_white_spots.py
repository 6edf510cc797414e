"""White spots: the pure rule on a small fixture, and the page (filters, map, hostile input, queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from konzeptk.city.selectors import forget_active_profile
from konzeptk.education import white_spot_selectors
from konzeptk.education.models import Offer
from konzeptk.education.tests.reach_helpers import OST, make_offer, make_provider, north_of
from konzeptk.education.white_spots import (
    AGE_GROUP_BY_KEY,
    Anchor,
    Need,
    Place,
    Venue,
    Window,
    coverage,
    distance_km,
    white_spots,
)

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
WINDOW = Window.weeks(NOW, 8)
SENIORS = AGE_GROUP_BY_KEY["seniors"]
CHILDREN = AGE_GROUP_BY_KEY["children"]
ADULTS = AGE_GROUP_BY_KEY["adults"]

MITTE = Anchor(district_id=1, name="Mitte", lat=51.3335, lon=6.5630, key="1")
EAST = Anchor(district_id=4, name="Ost", lat=OST[0], lon=OST[1], key="4")


def place(n: int, at: tuple[float, float], **fields: Any) -> Place:
    values: dict[str, Any] = {
        "offer_id": n,
        "slug": f"o{n}",
        "title": f"Angebot {n}",
        "provider_id": fields.pop("provider_id", n),
        "provider_name": fields.pop("provider_name", f"Anbieter {n}"),
        "kind": "course",
        "lat": at[0],
        "lon": at[1],
        "age_min": 65,
        "next_start": NOW + dt.timedelta(days=7),
    }
    values.update(fields)
    return Place(**values)


def test_distance_is_the_great_circle() -> None:
    assert distance_km(*OST, *north_of(OST, 1.0)) == pytest.approx(1.0, abs=0.01)
    # Mitte's Bürgerbüro (Theaterplatz) to Uerdingen's (Am Marktplatz): about 7.2 km as the crow flies
    assert distance_km(51.3335, 6.5630, 51.3450, 6.6650) == pytest.approx(7.2, abs=0.2)


def test_a_district_without_a_senior_course_nearby_is_a_white_spot() -> None:
    near_mitte = place(1, (51.3340, 6.5700), provider_name="VHS")
    spots = white_spots(anchors=[MITTE, EAST], places=[near_mitte], need=Need(SENIORS), window=WINDOW)
    mitte, east = spots
    assert not mitte.white
    assert mitte.offers_in_reach == 1
    assert mitte.within[0].place == near_mitte
    assert east.white
    assert east.nearest_outside is not None
    assert east.nearest_outside.place == near_mitte
    assert east.nearest_outside.km == pytest.approx(distance_km(*OST, 51.3340, 6.5700))
    assert [f.provider_name for f in east.fillers] == ["VHS"]


def test_radius_and_weeks_decide() -> None:
    offer = place(1, north_of(OST, 1.9))
    assert not white_spots(anchors=[EAST], places=[offer], need=Need(SENIORS), window=WINDOW)[0].white
    assert white_spots(anchors=[EAST], places=[offer], need=Need(SENIORS), window=WINDOW, radius_km=1.5)[
        0
    ].white
    later = place(2, OST, next_start=NOW + dt.timedelta(weeks=10))
    assert white_spots(anchors=[EAST], places=[later], need=Need(SENIORS), window=WINDOW)[0].white
    wider = Window.weeks(NOW, 12)
    assert not white_spots(anchors=[EAST], places=[later], need=Need(SENIORS), window=wider)[0].white
    past = place(3, OST, next_start=None)  # no session ahead
    assert white_spots(anchors=[EAST], places=[past], need=Need(SENIORS), window=wider)[0].white


def test_ages_languages_and_areas() -> None:
    open_age = place(1, OST, age_min=None, age_max=None)
    kids = place(2, OST, age_min=6, age_max=11)
    assert [
        s.offers_in_reach
        for s in white_spots(anchors=[EAST], places=[open_age, kids], need=Need(ADULTS), window=WINDOW)
    ] == [1]
    assert (
        white_spots(anchors=[EAST], places=[open_age, kids], need=Need(SENIORS), window=WINDOW)[0]
        .within[0]
        .place
        == open_age
    )
    children = white_spots(anchors=[EAST], places=[open_age, kids], need=Need(CHILDREN), window=WINDOW)[0]
    assert [n.place for n in children.within] == [kids]

    turkish = place(3, OST, languages=frozenset({"de", "tr"}), areas=frozenset({2}))
    german = place(4, OST, areas=frozenset({1}))
    need_tr = Need(SENIORS, language="tr")
    assert [
        n.place
        for n in white_spots(anchors=[EAST], places=[turkish, german], need=need_tr, window=WINDOW)[0].within
    ] == [turkish]
    assert white_spots(
        anchors=[EAST], places=[turkish, german], need=Need(SENIORS, language="ar"), window=WINDOW
    )[0].white
    by_area = white_spots(
        anchors=[EAST], places=[turkish, german], need=Need(SENIORS, area=1), window=WINDOW
    )[0]
    assert [n.place for n in by_area.within] == [german]


def test_kinds_online_and_learning_places() -> None:
    lending = place(1, OST, kind="lending")
    online = place(2, OST, online=True)
    cafe = place(3, OST, kind="place", next_start=None, opening_hours="Mo 14:00-17:00", age_min=None)
    closed_place = place(4, OST, kind="place", next_start=None, opening_hours="")
    spot = white_spots(
        anchors=[EAST], places=[lending, online, cafe, closed_place], need=Need(SENIORS), window=WINDOW
    )[0]
    assert [n.place for n in spot.within] == [cafe]


def test_fillers_are_providers_nearest_first_and_venues_for_the_group() -> None:
    far = place(1, north_of(OST, 9), provider_id=10, provider_name="Mediothek")
    nearer = place(2, north_of(OST, 4), provider_id=11, provider_name="VHS")
    nearer_too = place(3, north_of(OST, 5), provider_id=11, provider_name="VHS")
    venues = [
        Venue("Seniorentreff Bockum", "seniors", *north_of(OST, 0.5)),
        Venue("Jugendzentrum", "youth", *OST),
        Venue("Mediothek Uerdingen", "library", *north_of(OST, 3)),
    ]
    spot = white_spots(
        anchors=[EAST], places=[far, nearer, nearer_too], need=Need(SENIORS), window=WINDOW, venues=venues
    )[0]
    assert spot.white
    assert [(f.provider_name, f.offers) for f in spot.fillers] == [("VHS", 2), ("Mediothek", 1)]
    assert spot.fillers[0].km == pytest.approx(4, abs=0.01)
    assert [v.name for v, _km in spot.venues] == ["Seniorentreff Bockum", "Mediothek Uerdingen"]


def test_coverage_counts_each_anchor_and_group() -> None:
    counts = coverage(
        anchors=[MITTE, EAST],
        places=[place(1, OST), place(2, OST, age_min=6, age_max=11)],
        needs=[Need(SENIORS), Need(CHILDREN)],
        window=WINDOW,
    )
    assert counts == {("1", "seniors"): 0, ("4", "seniors"): 1, ("1", "children"): 0, ("4", "children"): 1}


# --- the page ----------------------------------------------------------------------------------
@pytest.fixture
def krefeld(db: None) -> Iterator[None]:
    from konzeptk.city.services import city_profile_load

    cache.clear()
    city_profile_load(source="krefeld")
    forget_active_profile()
    yield
    cache.clear()
    forget_active_profile()


def test_anchors_of_composed_districts_are_their_parts(krefeld: None) -> None:
    anchors = white_spot_selectors.anchors()
    east = [a for a in anchors if a.name.startswith("Ost")]
    assert sorted(a.name for a in east) == ["Ost (Ost)", "Ost (Uerdingen)"]
    assert {a.anchor_name for a in east} >= {"Bürgerbüro Uerdingen, Am Marktplatz 1"}
    assert len({a.key for a in anchors}) == len(anchors)


def _page(client: Client, query: str = "") -> str:
    response = client.get("/bildung/weisse-flecken/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_gaps_on_map_and_table(krefeld: None) -> None:
    provider = make_provider("VHS Krefeld")
    bockum = (51.3650, 6.6020)  # the Ost anchor of the 1975 layer
    make_offer(provider, at=north_of(bockum, 0.5), title="Smartphone für Seniorinnen")
    html = _page(Client())
    assert "Weiße Flecken" in html
    assert 'id="weisse-flecken-karte"' in html
    assert "Smartphone für Seniorinnen" in html  # listed for Ost (Ost)
    assert (
        "Kein passendes Angebot für Seniorinnen und Senioren (ab 65 Jahren) vor Ort im Umkreis von 2 km in Ost (Uerdingen)"
        in html
    )
    assert "VHS Krefeld" in html  # the provider who could fill the gap
    # children: the senior course does not count, every anchor is a white spot
    html = _page(Client(), "?group=children&radius=2&weeks=8")
    assert "Weiße Flecken für Kinder (6 bis 11 Jahre): 9 von 9 Messpunkten" in html


def test_filters_by_language_and_area(krefeld: None) -> None:
    provider = make_provider()
    make_offer(provider, at=OST, languages="|de|tr|", areas=(2,), title="Akıllı telefon kursu")
    html = _page(Client(), "?group=seniors&language=tr&area=2&radius=2,5&weeks=4")
    assert "Akıllı telefon kursu" in html
    assert "Weiße Flecken für Seniorinnen und Senioren (ab 65 Jahren): 8 von 9 Messpunkten" in html
    html = _page(Client(), "?group=seniors&area=1")
    assert "Weiße Flecken für Seniorinnen und Senioren (ab 65 Jahren): 9 von 9 Messpunkten" in html


@pytest.mark.parametrize(
    "query",
    [
        "?radius=abc",
        "?radius=-1",
        "?radius=500",
        "?weeks=0",
        "?weeks=9999999999999999999",
        "?group=aliens",
        "?area=9",
        "?language=%3Cscript%3E",
        "?radius=NaN",
        "?radius=1e400",
    ],
)
def test_hostile_input_gets_form_errors(krefeld: None, query: str) -> None:
    html = _page(Client(), query)
    assert "kern-error" in html or "errorlist" in html or "aria-invalid" in html
    assert "Weiße Flecken für" not in html  # nothing computed from bad input


def test_page_in_turkish(krefeld: None) -> None:
    response = Client().get("/tr/bildung/weisse-flecken/")
    assert response.status_code == 200


def _offers(provider: Any, n: int) -> None:
    for i in range(n):
        make_offer(
            provider,
            at=north_of(OST, i * 0.3),
            areas=(1 + i % 5,),
            starts_in=dt.timedelta(days=1 + i),
            kind=Offer.Kind.COURSE if i % 3 else Offer.Kind.EVENT,
        )


@pytest.mark.parametrize("size", [3, 60])
def test_queries_do_not_grow_with_offers(
    krefeld: None, size: int, django_assert_max_num_queries: Any
) -> None:
    _offers(make_provider(), size)
    client = Client()
    client.get("/bildung/weisse-flecken/")  # warm the profile caches
    with django_assert_max_num_queries(12):
        html = _page(client, "?group=seniors&area=1")
    assert "Weiße Flecken" in html


def test_sessions_in_the_past_or_cancelled_do_not_count(krefeld: None) -> None:
    provider = make_provider()
    offer = make_offer(provider, at=OST, starts_in=-dt.timedelta(days=2))
    assert white_spot_selectors.places(now=timezone.now())[0].next_start is None
    offer.sessions.update(
        start=timezone.now() + dt.timedelta(days=3),
        end=timezone.now() + dt.timedelta(days=3, hours=1),
        cancelled=True,
    )
    assert white_spot_selectors.places(now=timezone.now())[0].next_start is None
