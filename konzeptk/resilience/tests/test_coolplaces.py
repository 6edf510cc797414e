"""Cool places: open now (weekday, Sunday, NRW holiday, seasons), filters, pages, bounded queries, bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.selectors import forget_active_profile
from konzeptk.core.errors import DomainError
from konzeptk.resilience import coolplaces
from konzeptk.resilience.heat_forms import CoolPlaceForm
from konzeptk.resilience.models import CoolPlace, CoolPlaceInterval
from konzeptk.resilience.tests.heat_support import CENTRE, EAST, at, make_city, make_place

URL = "/warnungen/kuehle-orte/"


@pytest.fixture
def city(db: Any) -> Any:
    made = make_city()
    yield made
    forget_active_profile()


def open_names(when: dt.datetime) -> list[str]:
    flt = coolplaces.CoolPlaceFilter(open_now=True)
    return [p.name for p in coolplaces.cool_places(flt, when=coolplaces.moment(when))]


def test_open_now_on_a_weekday_a_sunday_and_a_holiday(city: Any) -> None:
    make_place("Bibliothek", opening_hours="Mo-Sa 10:00-18:00; PH off")
    make_place("Park", kind=CoolPlace.Kind.PARK, opening_hours="24/7")
    make_place("Kirche", kind=CoolPlace.Kind.CHURCH, opening_hours="Mo-Su 09:00-17:00; PH 12:00-17:00")
    # Wednesday 1 July 2026, 11:00
    assert open_names(at(2026, 7, 1, 11, 0)) == ["Bibliothek", "Kirche", "Park"]
    # Sunday 5 July 2026: the library is closed
    assert open_names(at(2026, 7, 5, 11, 0)) == ["Kirche", "Park"]
    # Thursday 4 June 2026 is Fronleichnam, a public holiday in NRW: library closed, church from noon
    assert open_names(at(2026, 6, 4, 11, 0)) == ["Park"]
    assert open_names(at(2026, 6, 4, 12, 30)) == ["Kirche", "Park"]
    # the evening: only the park
    assert open_names(at(2026, 7, 1, 18, 0)) == ["Park"]


def test_a_place_without_hours_is_never_open(city: Any) -> None:
    make_place("Unbekannt", opening_hours="")
    assert CoolPlaceInterval.objects.count() == 0
    assert open_names(at(2026, 7, 1, 11, 0)) == []


def test_seasonal_hours_are_renewed(city: Any) -> None:
    place = make_place("Brunnen", kind=CoolPlace.Kind.FOUNTAIN, opening_hours="Apr-Oct 00:00-24:00")
    assert open_names(at(2026, 7, 1, 11, 0)) == ["Brunnen"]
    assert coolplaces.coolplace_hours_refresh(on=dt.date(2026, 12, 1)) == 1
    assert not CoolPlaceInterval.objects.filter(place=place, holiday=False).exists()
    assert open_names(at(2026, 12, 1, 11, 0)) == []


def test_district_comes_from_the_point_and_outside_is_refused(city: Any) -> None:
    _profile, mitte, ost = city
    assert make_place("West").district == mitte
    assert make_place("Ost", where=EAST).district == ost
    with pytest.raises(DomainError) as caught:
        make_place("Draußen", where=(52.5, 13.4))
    assert caught.value.code == "outside_city"


def test_bad_opening_hours_are_refused_by_the_service(city: Any) -> None:
    with pytest.raises(DomainError) as caught:
        make_place("Kaputt", opening_hours="Mo-Fx 09:00-18:00")
    [(field, message)] = caught.value.errors
    assert field == "opening_hours"
    assert "Zeichen 4" in message
    assert "Beispiel" in message
    assert not CoolPlace.objects.exists()


def test_nearest_open_places(city: Any) -> None:
    make_place("Fern", kind=CoolPlace.Kind.PARK, opening_hours="24/7", where=EAST)
    make_place("Nah", kind=CoolPlace.Kind.PARK, opening_hours="24/7", where=(CENTRE[0] + 0.001, CENTRE[1]))
    make_place("Zu", opening_hours="Mo-Fr 08:00-09:00", where=CENTRE)
    when = coolplaces.moment(at(2026, 7, 1, 11, 0))
    found = coolplaces.open_places_near(lat=CENTRE[0], lon=CENTRE[1], when=when, limit=5)
    assert [p.name for p in found] == ["Nah", "Fern"]
    assert found[0].today == ["00:00–24:00"]  # type: ignore[attr-defined]


@time_machine.travel(at(2026, 7, 5, 11, 0), tick=False)  # a Sunday
def test_list_page_with_filters(client: Any, city: Any) -> None:
    _profile, _mitte, ost = city
    make_place("Mediothek Test", step_free=True)
    make_place("Park Test", kind=CoolPlace.Kind.PARK, opening_hours="24/7", where=EAST)
    make_place("Kirche Test", kind=CoolPlace.Kind.CHURCH, opening_hours="Su 10:00-12:00")
    page = client.get(URL).content.decode()
    assert "3 kühle Orte" in page
    assert "jetzt geschlossen" in page
    assert "jetzt geöffnet" in page
    assert 'id="kuehle-orte"' in page  # the map component
    assert "Mediothek Test" not in client.get(URL + "?open_now=on").content.decode()
    assert "2 kühle Orte" in client.get(URL + "?open_now=on").content.decode()
    only_parks = client.get(URL + "?kind=park").content.decode()
    assert "Park Test" in only_parks
    assert "Kirche Test" not in only_parks
    step_free = client.get(URL + "?step_free=on").content.decode()
    assert "1 kühler Ort" in step_free
    assert "Mediothek Test" in step_free
    east = client.get(URL + f"?district={ost.pk}").content.decode()
    assert "Park Test" in east
    assert "Mediothek Test" not in east


def test_hostile_filters_get_a_form_answer_not_a_500(client: Any, city: Any) -> None:
    make_place("Bibliothek")
    for query in (
        "?kind=../../etc",
        "?district=abc",
        "?district=999999",
        "?page=-1",
        "?page=zz",
        "?open_now=x%00",
    ):
        response = client.get(URL + query)
        assert response.status_code in (200, 400), query
    page = client.get(URL + "?district=abc&kind=bad").content.decode()
    assert "Bibliothek" in page  # the valid part of the filter still applies
    assert "aria-invalid" in page


def test_pagination_and_bounded_queries(client: Any, city: Any, django_assert_max_num_queries: Any) -> None:
    for n in range(3):
        make_place(f"Ort {n:02d}")
    client.get(URL)  # warm the caches (profile, base map)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    for n in range(3, 60):
        make_place(f"Ort {n:02d}", kind=CoolPlace.Kind.PARK, opening_hours="24/7")
    with django_assert_max_num_queries(16), CaptureQueriesContext(connection) as large:
        first = client.get(URL).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)  # the page does not grow with its rows
    assert "Seite 1 von 3" in first
    assert "Ort 24" in first
    assert "Ort 25" not in first
    assert "Ort 25" in client.get(URL + "?page=2").content.decode()


def test_detail_page(client: Any, city: Any) -> None:
    place = make_place("Bibliothek", opening_hours="Mo-Fr 10:00-18:00; PH 12:00-14:00", step_free=True)
    page = client.get(f"{URL}{place.pk}/").content.decode()
    assert "Bibliothek" in page
    assert "10:00–18:00" in page
    assert "wenn Feiertag ist" in page
    assert "stufenlos erreichbar" in page
    assert client.get(f"{URL}999999/").status_code == 404


def test_staff_form_shows_where_the_hours_break(city: Any) -> None:
    data = {"kind": "library", "name": "Test", "address": "", "lat": CENTRE[0], "lon": CENTRE[1],
            "opening_hours": "Mo-Fr 25:00-26:00", "step_free": "unknown", "note_de": "", "source_note": ""}  # fmt: skip
    form = CoolPlaceForm(data=data)
    assert not form.is_valid()
    message = form.errors["opening_hours"][0]
    assert "Zeichen 7" in message
    assert "25:00-26:00" in message
    assert "Beispiel: Mo-Fr" in message
    form = CoolPlaceForm(data={**data, "opening_hours": "Mo-Fr 09:00-18:00", "lat": 52.5, "lon": 13.4})
    assert not form.is_valid()
    assert "lat" in form.errors


def test_admin_add_goes_through_the_service(client: Any, city: Any) -> None:
    assert CoolPlace in site._registry
    admin = UserFactory(platform_role=User.PlatformRole.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:resilience_coolplace_add")
    data = {"kind": "park", "name": "Neuer Park", "address": "Weg 1", "lat": str(CENTRE[0]), "lon": str(CENTRE[1]),
            "opening_hours": "Mo-Fx", "step_free": "unknown", "simulated": "", "source_note": ""}  # fmt: skip
    bad = client.post(url, data)
    assert bad.status_code == 200
    assert "Zeichen" in bad.content.decode()
    good = client.post(url, {**data, "opening_hours": "24/7"})
    assert good.status_code == 302, good.content.decode()[:2000]
    place = CoolPlace.objects.get(name="Neuer Park")
    assert place.district is not None
    assert place.intervals.count() == 14
