"""The public pages of the offers: list with filters and map, offer page with JSON-LD, provider page,
Digital-Check (edu-offers)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from konzeptk.education.models import Offer, Session
from konzeptk.education.services import offer_next_start, offer_save
from konzeptk.education.tests.conftest import course_data, local_at, make_provider

pytestmark = pytest.mark.django_db


def _titles(response: Any) -> list[str]:
    return [card["offer"].title_de for card in response.context["cards"]]


def _jsonld(response: Any) -> dict[str, Any]:
    found = re.search(rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_list_shows_published_current_offers_with_numbers_on_the_map(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    make_offer(title="Smartphone-Kurs")
    make_offer(title="Entwurf", status=Offer.Status.DRAFT)
    past = make_offer(title="Vorbei")
    Session.objects.filter(offer=past).update(start=local_at(-30), end=local_at(-30, 12))
    offer_next_start(past)
    make_offer(title="Ohne Termine", kind=Offer.Kind.PLACE, rrule="", first_start=None, duration_minutes=None)
    response = client.get("/bildung/")
    assert response.status_code == 200
    assert sorted(_titles(response)) == ["Ohne Termine", "Smartphone-Kurs"]
    body = response.content.decode()
    assert '<form method="get" action="/bildung/"' in body  # works without JavaScript
    assert response.context["points"][0]["mark"] == "1"
    assert "<svg" in body  # the server-drawn map


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=tablet", ["Tablet für Kinder"]),
        ("q=TABLET+kinder", ["Tablet für Kinder"]),
        ("age=10", ["Tablet für Kinder", "Für alle"]),
        ("age=70", ["Smartphone für Senioren", "Für alle"]),
        ("district=1", ["Tablet für Kinder"]),
        ("language=tr", ["Smartphone für Senioren"]),
        ("area=3", ["Tablet für Kinder"]),
        ("level=5", ["Tablet für Kinder"]),
        ("area=2&level=2", ["Smartphone für Senioren"]),
        ("free=on", ["Smartphone für Senioren", "Für alle"]),
        ("access=easy_language", ["Für alle"]),
        ("access=step_free&access=sign_language", ["Smartphone für Senioren"]),
        ("mode=online", ["Für alle"]),
        ("mode=onsite", ["Smartphone für Senioren", "Tablet für Kinder"]),
        ("kind=event", ["Für alle"]),
    ],
)
def test_each_filter(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer], query: str, expected: list[str]
) -> None:
    make_offer(title="Smartphone für Senioren", age_min=60, sign_language=True)
    make_offer(
        title="Tablet für Kinder",
        age_min=8,
        age_max=12,
        languages=["de"],
        lon=6.50,
        is_free=False,
        price=Decimal("20"),
        step_free=False,
        competences=[("3.4", 5)],
    )
    make_offer(
        title="Für alle",
        kind=Offer.Kind.EVENT,
        age_min=None,
        languages=["de", "en"],
        online=True,
        step_free=False,
        easy_language=True,
        lat=None,
        lon=None,
        rrule="",
        competences=[("1.1", 1)],
    )
    response = client.get(f"/bildung/?{query}")
    assert response.status_code == 200
    assert sorted(_titles(response)) == sorted(expected)


def test_the_date_range_keeps_offers_with_a_session_in_it(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    make_offer(title="Bald", first_start=local_at(2), rrule="")
    make_offer(title="Später", first_start=local_at(40), rrule="")
    make_offer(title="Lernort", kind=Offer.Kind.PLACE, rrule="", first_start=None, duration_minutes=None)
    day = local_at(40).date().isoformat()
    response = client.get(f"/bildung/?date_from={day}&date_to={day}")
    assert _titles(response) == ["Später"]
    response = client.get(f"/bildung/?date_to={local_at(10).date().isoformat()}")
    assert _titles(response) == ["Bald"]


@pytest.mark.parametrize(
    "query",
    [
        "age=-3",
        "age=abc",
        "age=99999999999999999999",
        "district=999",
        "language=xx",
        "area=9",
        "level=0",
        "date_from=2027-02-30",
        "date_from=2027-03-01&date_to=2027-01-01",
        "date_from=0001-01-01",
        "access=admin",
        "page=-1",
        "page=99999999999999999999999",
        "q=" + "x" * 500,
        "q=%27%22%3C",
    ],
)
def test_hostile_filters_answer_200_with_the_error_shown(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer], query: str
) -> None:
    make_offer()
    response = client.get(f"/bildung/?{query}")
    assert response.status_code == 200
    if not query.startswith("page") and not query.startswith("q=%27"):
        assert response.context["form"].errors


def test_list_and_offer_page_in_turkish(client: Client, edu_city: Any, provider: Any) -> None:
    offer = offer_save(
        provider=provider,
        data=course_data(),
        translations={
            "title_tr": "Yeni başlayanlar için akıllı telefon",
            "summary_tr": "Akıllı telefonunuzu güvenle kullanın.",
        },
    ).offer
    listing = client.get("/tr/bildung/")
    assert listing.status_code == 200
    assert 'lang="tr"' in listing.content.decode()
    assert "Yeni başlayanlar için akıllı telefon" in listing.content.decode()
    assert client.get("/tr/bildung/?q=akıllı").context["cards"][0]["offer"] == offer
    page = client.get(f"/tr/bildung/{offer.slug}/")
    assert page.status_code == 200
    assert "Yeni başlayanlar için akıllı telefon" in page.content.decode()
    assert _jsonld(page)["name"] == "Yeni başlayanlar için akıllı telefon"


def test_the_offer_page_shows_everything_and_pages_its_sessions(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    offer = make_offer(rrule="FREQ=WEEKLY;COUNT=25", description="Wir üben gemeinsam.", simulated=True)
    response = client.get(f"/bildung/{offer.slug}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Beispielinhalt" in body
    assert "Wir üben gemeinsam." in body
    assert "Theaterplatz 2" in body
    assert "Mithilfe digitaler Technologien interagieren" in body
    assert len(response.context["sessions"]) == 10
    assert len(client.get(f"/bildung/{offer.slug}/?page=3").context["sessions"]) == 5
    assert client.get("/bildung/gibt-es-nicht/").status_code == 404
    draft = make_offer(title="Entwurf", status=Offer.Status.DRAFT)
    assert client.get(f"/bildung/{draft.slug}/").status_code == 404


def test_json_ld_of_a_course(client: Client, edu_city: Any, make_offer: Callable[..., Offer]) -> None:
    offer = make_offer()
    data = _jsonld(client.get(f"/bildung/{offer.slug}/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Course"
    for key in ("name", "description", "provider", "hasCourseInstance", "url"):
        assert data[key]
    instance = data["hasCourseInstance"][0]
    assert instance["@type"] == "CourseInstance"
    assert instance["courseMode"] == "onsite"
    assert instance["startDate"].startswith(local_at(7).date().isoformat())
    assert instance["location"]["address"]["streetAddress"] == "Theaterplatz 2"
    assert {t["termCode"] for t in data["teaches"]} == {"2.1", "4.2"}
    assert data["audience"] == {"@type": "PeopleAudience", "suggestedMinAge": 60}
    assert data["offers"]["price"] == "0.00"


@pytest.mark.parametrize(
    ("changes", "schema_type", "required"),
    [
        (
            {"kind": Offer.Kind.EVENT, "rrule": ""},
            "EducationEvent",
            ("name", "startDate", "location", "organizer"),
        ),
        (
            {
                "kind": Offer.Kind.PLACE,
                "rrule": "",
                "first_start": None,
                "duration_minutes": None,
                "opening_hours": "Mo-Fr 10:00-18:00",
            },
            "CivicStructure",
            ("name", "address", "openingHours"),
        ),
        (
            {
                "kind": Offer.Kind.LENDING,
                "rrule": "",
                "first_start": None,
                "duration_minutes": None,
                "max_lending_days": 14,
            },
            "Product",
            ("name", "offers"),
        ),
        (
            {
                "kind": Offer.Kind.RESOURCE,
                "rrule": "",
                "first_start": None,
                "duration_minutes": None,
                "online": True,
                "licence": "CC BY 4.0",
                "url": "https://example.org/kurs",
            },
            "LearningResource",
            ("name", "license", "url", "teaches"),
        ),
    ],
)
def test_json_ld_of_the_other_kinds(
    client: Client,
    edu_city: Any,
    make_offer: Callable[..., Offer],
    changes: dict[str, Any],
    schema_type: str,
    required: tuple[str, ...],
) -> None:
    offer = make_offer(**changes)
    data = _jsonld(client.get(f"/bildung/{offer.slug}/"))
    assert data["@type"] == schema_type
    for key in required:
        assert data[key], key
    if schema_type == "Product":
        assert data["offers"]["businessFunction"] == "http://purl.org/goodrelations/v1#LeaseOut"


def test_json_ld_cannot_be_closed_by_a_title(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    offer = make_offer(title="</script><script>alert(1)</script>")
    response = client.get(f"/bildung/{offer.slug}/")
    assert b"<script>alert(1)" not in response.content
    assert _jsonld(response)["name"] == "</script><script>alert(1)</script>"


def test_the_provider_page(
    client: Client, edu_city: Any, provider: Any, make_offer: Callable[..., Offer]
) -> None:
    make_offer(title="Eins")
    make_offer(title="Zwei", status=Offer.Status.DRAFT)
    response = client.get(f"/bildung/anbieter/{provider.slug}/")
    assert response.status_code == 200
    assert [o.title_de for o in response.context["offers"]] == ["Eins"]
    assert client.get("/bildung/anbieter/niemand/").status_code == 404


def test_the_digital_check_recommends_offers_one_step_up_without_storing(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    make_offer(title="Erste Schritte", competences=[("1.1", 1)])
    make_offer(title="Für Geübte", competences=[("1.1", 6)])
    empty = client.get("/bildung/digital-check/")
    assert empty.status_code == 200
    assert empty.context["results"] == []
    answers = "a1=0&a2=3&a3=0&a4=5&a5=1"
    before = Offer.objects.count(), Session.objects.count()
    response = client.get(f"/bildung/digital-check/?{answers}")
    assert response.status_code == 200
    by_area = {r["area"].number: [o.title_de for o in r["offers"]] for r in response.context["results"]}
    assert by_area[1] == ["Erste Schritte"]
    assert [level.number for level in response.context["results"][3]["levels"]] == [6, 7]
    assert (Offer.objects.count(), Session.objects.count()) == before
    invalid = client.get("/bildung/digital-check/?a1=7&a2=x")
    assert invalid.status_code == 400
    assert "Bitte beantworten Sie alle fünf Fragen." in invalid.content.decode()


def _bulk(provider: Any, count: int) -> None:
    for n in range(count):
        offer_save(provider=provider, data=course_data(title=f"Kurs {n}", rrule="FREQ=WEEKLY;COUNT=3"))


@pytest.mark.parametrize("count", [3, 30])
def test_query_counts_do_not_grow_with_the_data(
    client: Client, edu_city: Any, provider: Any, django_assert_max_num_queries: Any, count: int
) -> None:
    _bulk(make_provider("Anderer Anbieter", "anderer"), count)
    offer = Offer.objects.order_by("pk").first()
    assert offer is not None
    client.get("/bildung/")  # the base map is built once per profile
    with django_assert_max_num_queries(10):
        assert client.get("/bildung/?area=2&free=on&language=tr&age=65&mode=onsite").status_code == 200
    with django_assert_max_num_queries(14):  # 3 of them are the booking box's
        assert client.get(f"/bildung/{offer.slug}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/bildung/anbieter/anderer/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/bildung/digital-check/?a1=0&a2=0&a3=0&a4=0&a5=0").status_code == 200


def test_german_is_the_default_language(client: Client, edu_city: Any) -> None:
    with translation.override("de"):
        response = client.get("/bildung/")
    assert 'lang="de"' in response.content.decode()


def test_the_home_page_counts_offers_of_the_coming_week(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    from konzeptk.education.front_door import contribution

    make_offer(title="Bald", first_start=local_at(2), rrule="")
    make_offer(title="Später", first_start=local_at(30), rrule="")
    (figure,) = contribution(4).figures
    assert figure.value == "1"
    assert client.get(figure.url).context["page"].paginator.count == 1
    assert "Lernangebote mit Terminen in den nächsten sieben Tagen" in client.get("/").content.decode()
