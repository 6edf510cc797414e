"""The providers' staff area /bildung/verwaltung/: who may do what (edu-offers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from konzeptk.core.content import content_in_language, german
from konzeptk.education.models import Offer, Session
from konzeptk.education.tests.conftest import a_user, core_team_member, local_at, make_provider, member_of

pytestmark = pytest.mark.django_db


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "course",
        "status": "published",
        "title": "Sicher im Netz",
        "title_tr": "İnternette güvenli",
        "summary": "Passwörter, Updates, Betrug erkennen.",
        "languages": ["de", "tr"],
        "prior_knowledge": "none",
        "competences": "4.1/2\n4.2/2",
        "is_free": "on",
        "place_name": "VHS",
        "address": "Von-der-Leyen-Platz 2",
        "lat": "51.3345",
        "lon": "6.5620",
        "capacity": "12",
        "booking_open": "on",
        "first_start": local_at(10, 18).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "rrule": "FREQ=WEEKLY;COUNT=5",
        "exdates": local_at(17).strftime("%d.%m.%Y"),
    }
    data.update(changes)
    return data


def test_anonymous_people_are_sent_to_the_login(client: Client) -> None:
    response = client.get("/bildung/verwaltung/")
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_people_without_a_provider_get_403(client: Client, edu_city: Any, provider: Any) -> None:
    client.force_login(a_user())
    assert client.get("/bildung/verwaltung/").status_code == 403
    assert client.get("/bildung/verwaltung/neu/").status_code == 403


def test_a_member_creates_an_offer_with_translation_rule_and_exceptions(
    client: Client, edu_city: Any, provider: Any
) -> None:
    member = member_of(provider.organisation)
    client.force_login(member)
    assert client.get("/bildung/verwaltung/neu/").status_code == 200
    response = client.post("/bildung/verwaltung/neu/", _form(provider=str(provider.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get()
    assert response["Location"] == f"/bildung/verwaltung/{offer.slug}/"
    assert german(offer, "title") == "Sicher im Netz"
    assert content_in_language(offer, "title", "tr")[0] == "İnternette güvenli"
    assert offer.sessions.count() == 4  # five weeks, one exception
    assert sorted(offer.competences.values_list("code", flat=True)) == ["4.1", "4.2"]
    edit = client.get(f"/bildung/verwaltung/{offer.slug}/")
    assert edit.status_code == 200
    assert "FREQ=WEEKLY;COUNT=5" in edit.content.decode()


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"rrule": "FREQ=WEEKLY"}, "braucht ein Ende"),
        ({"rrule": "FREQ=DAILY;COUNT=900"}, "mehr als 500"),
        ({"competences": "7.7/2"}, "keine Kompetenz aus DigComp"),
        ({"competences": "Programmieren"}, "1.1/2"),
        ({"exdates": "morgen"}, "kein Datum"),
        ({"title": ""}, "Pflichtfeld"),
    ],
)
def test_bad_input_is_shown_in_the_form(
    client: Client, edu_city: Any, provider: Any, changes: dict[str, Any], text: str
) -> None:
    client.force_login(member_of(provider.organisation))
    response = client.post("/bildung/verwaltung/neu/", _form(provider=str(provider.pk), **changes))
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Offer.objects.exists()


def test_overlap_warnings_are_shown_after_saving(
    client: Client, edu_city: Any, provider: Any, make_offer: Callable[..., Offer]
) -> None:
    make_offer(title="Schon da", address="Von-der-Leyen-Platz 2", first_start=local_at(10, 18, 30))
    client.force_login(member_of(provider.organisation))
    response = client.post("/bildung/verwaltung/neu/", _form(provider=str(provider.pk)), follow=True)
    assert "findet am selben Ort auch „Schon da“ statt" in response.content.decode()


def test_a_member_of_another_provider_gets_404_and_cannot_post_for_it(
    client: Client, edu_city: Any, provider: Any, make_offer: Callable[..., Offer]
) -> None:
    offer = make_offer()
    other = make_provider("Hochschule Niederrhein", "hsnr")
    client.force_login(member_of(other.organisation))
    assert client.get(f"/bildung/verwaltung/{offer.slug}/").status_code == 404
    assert client.post(f"/bildung/verwaltung/{offer.slug}/", _form(provider=str(other.pk))).status_code == 404
    assert client.get(f"/bildung/verwaltung/{offer.slug}/termine/").status_code == 404
    session = offer.sessions.first()
    assert session is not None
    assert (
        client.post(f"/bildung/verwaltung/{offer.slug}/termine/", {"session": session.pk}).status_code == 404
    )
    response = client.post("/bildung/verwaltung/neu/", _form(provider=str(provider.pk)))
    assert response.status_code == 400
    assert not Offer.objects.filter(provider=other).exists()
    assert [o.pk for o in client.get("/bildung/verwaltung/").context["offers"]] == []


def test_the_core_team_manages_every_provider(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    offer = make_offer()
    core = core_team_member()
    client.force_login(core)
    assert [o.pk for o in client.get("/bildung/verwaltung/").context["offers"]] == [offer.pk]
    data = _form(provider=str(offer.provider_id), title="Smartphone für Einsteiger", summary="Neu")
    assert client.post(f"/bildung/verwaltung/{offer.slug}/", data).status_code == 302
    offer.refresh_from_db()
    assert german(offer, "summary") == "Neu"
    assert offer.slug == "smartphone-fuer-einsteiger"


def test_sessions_are_cancelled_and_restored_one_by_one(
    client: Client, edu_city: Any, provider: Any, make_offer: Callable[..., Offer]
) -> None:
    offer = make_offer()
    first, second = list(offer.sessions.order_by("start"))[:2]
    client.force_login(member_of(provider.organisation))
    listing = client.get(f"/bildung/verwaltung/{offer.slug}/termine/")
    assert listing.status_code == 200
    assert len(listing.context["sessions"]) == 4
    response = client.post(
        f"/bildung/verwaltung/{offer.slug}/termine/", {"session": first.pk, "action": "cancel", "page": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?page=1")
    offer.refresh_from_db()
    assert Session.objects.get(pk=first.pk).cancelled
    assert offer.next_start == second.start
    public = client.get(f"/bildung/{offer.slug}/").content.decode()
    assert "fällt aus" in public
    client.post(f"/bildung/verwaltung/{offer.slug}/termine/", {"session": first.pk, "action": "restore"})
    assert not Session.objects.get(pk=first.pk).cancelled
    for bad in ("x", "99999999999999999999999", ""):
        assert client.post(f"/bildung/verwaltung/{offer.slug}/termine/", {"session": bad}).status_code == 404
