"""Facilities for heat alerts: staff invite from the city profile's points, the facility confirms its address
by the token link (double opt-in), declines by the link; DSGVO."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from konzeptk.accounts.export_registry import collect_export
from konzeptk.accounts.services import user_erase
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.models import PointOfInterest
from konzeptk.notifications.models import Mail
from konzeptk.resilience.models import Facility, Subscription
from konzeptk.resilience.tests.alerts_support import make_city

pytestmark = pytest.mark.django_db
STAFF_URL = "/warnungen/verwaltung/einrichtungen/"


def _care_home() -> PointOfInterest:
    mitte, _ost = make_city()
    return PointOfInterest.objects.create(
        profile=mitte.layer.profile, category="seniors", name="Seniorenzentrum Am Park", address="Parkstraße 1",
        lat=51.35, lon=6.55,
    )  # fmt: skip


def _link(body: str, part: str) -> str:
    found = re.search(rf"https?://\S+{part}\S+/", body)
    assert found, body
    return "/" + found.group(0).split("/", 3)[3]


def test_staff_invite_a_care_home_which_confirms_its_address(client: Client) -> None:
    point = _care_home()
    client.force_login(UserFactory(staff=True))
    page = client.get(STAFF_URL)
    assert page.status_code == 200
    assert "Seniorenzentrum Am Park" in page.content.decode()
    answer = client.post(STAFF_URL, {"point": point.pk, "email": "heim@beispiel.invalid"})
    assert answer.status_code == 302
    facility = Facility.objects.get()
    assert facility.kind == Facility.Kind.CARE_HOME
    assert facility.district is not None
    assert facility.district.name == "Mitte"
    assert facility.confirmed_at is None
    assert [m.to for m in Mail.objects.all()] == ["heim@beispiel.invalid"]  # the invitation only
    assert not Subscription.objects.exists()
    # invited again at once: no second mail within the hour
    client.post(f"{STAFF_URL}{facility.pk}/einladen/")
    assert Mail.objects.count() == 1
    confirm = _link(
        Mail.objects.order_by("pk").first().body,  # type: ignore[union-attr]
        "/einrichtung/bestaetigen/",
    )
    facility_client = Client()
    page = facility_client.get(confirm)
    assert page.status_code == 200
    assert "Parkstraße 1" in page.content.decode()
    facility.refresh_from_db()
    assert facility.confirmed_at is None
    assert facility_client.post(confirm, {"address": ""}).status_code == 400
    assert facility_client.post(confirm, {"address": "Parkstraße 1a"}).status_code == 302
    facility.refresh_from_db()
    assert facility.confirmed_at is not None
    assert facility.address == "Parkstraße 1a"
    sub = Subscription.objects.get(facility=facility)
    assert sub.confirmed_at is not None
    assert list(sub.districts.all()) == [facility.district]


def test_the_invitation_can_be_declined_in_one_click(client: Client) -> None:
    point = _care_home()
    client.force_login(UserFactory(staff=True))
    client.post(STAFF_URL, {"point": point.pk, "email": "heim@beispiel.invalid"})
    invitation = Mail.objects.get()
    assert "/warnungen/einrichtung/abbestellen/" in invitation.unsubscribe_url  # List-Unsubscribe (RFC 8058)
    decline = "/" + invitation.unsubscribe_url.split("/", 3)[3]
    assert Client(enforce_csrf_checks=True).post(decline).status_code == 302
    facility = Facility.objects.get()
    assert facility.contact_email == ""
    assert facility.confirm_token is None


def test_invitations_refuse_bad_input_and_strangers(client: Client) -> None:
    point = _care_home()
    client.force_login(UserFactory())
    assert client.get(STAFF_URL).status_code == 403
    client.force_login(UserFactory(staff=True))
    assert client.post(STAFF_URL, {"point": point.pk, "email": "keine"}).status_code == 400
    assert (
        client.post(STAFF_URL, {"email": "a@beispiel.invalid"}).status_code == 400
    )  # neither point nor name
    assert client.post(STAFF_URL, {"point": "999999", "email": "a@beispiel.invalid"}).status_code == 400
    answer = client.post(
        STAFF_URL,
        {
            "name": "Kita Sonnenschein",
            "kind": "kindergarten",
            "address": "Weg 2",
            "email": "kita@beispiel.invalid",
        },
    )
    assert answer.status_code == 302
    assert Facility.objects.get().kind == Facility.Kind.KINDERGARTEN
    assert client.get("/warnungen/einrichtung/bestaetigen/falsch/").status_code == 404


def test_export_and_erasure_cover_the_facility_contact() -> None:
    make_city()
    person = UserFactory(email="leitung@beispiel.invalid")
    facility = Facility.objects.create(
        kind=Facility.Kind.SCHOOL, name="Schule", contact_email=person.email, contact_user=person, token="t1",
    )  # fmt: skip
    Subscription.objects.create(facility=facility, email=person.email, token="t2", by_email=True)
    rows = collect_export(person)["sections"]["resilience.facilities"]
    assert rows[0]["name"] == "Schule"
    user_erase(user=person)
    facility.refresh_from_db()
    assert facility.contact_email == ""
    assert facility.contact_user is None
    assert not Subscription.objects.exists()
