"""A booking keeps the language it was made in: its opt-in mail, confirmation, move-up notice,
reminder and links are in that language (issue #16) – whatever language is active when they go out."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.education import booking as services
from konzeptk.education.models import BOOKING_KIND, Booking, Offer, Reservation
from konzeptk.education.reminders import reminders_send
from konzeptk.education.tests.booking_testdata import course, lending_item
from konzeptk.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_hooks_run_at_once(monkeypatch: Any) -> None:
    """The mails go out after the commit; the test's transaction never commits, so the hooks run at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def _paths(message: Any) -> list[str]:
    return [urlsplit(link).path for link in re.findall(r"https?://\S+", message.body)]


def _path(language: str, name: str, row: Booking | Reservation) -> str:
    """The path of a page of ``row`` in ``language`` (the test client leaves the last request's active)."""
    with translation.override(language):
        return reverse(name, kwargs={"token": row.token})


def _form(name: str, offer: Offer) -> str:
    """The German path of a form of ``offer`` (prefix ``/tr`` for the Turkish page)."""
    with translation.override("de"):
        return reverse(name, kwargs={"slug": offer.slug})


def _book_on(client: Any, prefix: str, offer: Offer, email: str) -> Booking:
    url = prefix + _form("education:book", offer)
    response = client.post(url, {"name": "Ayşe Yılmaz", "email": email})
    assert response.status_code == 200, response.content[:500]
    return Booking.objects.get(offer=offer, email=email)


def test_a_booking_on_the_turkish_page_gets_turkish_mails_with_turkish_links(client: Any) -> None:
    offer = course(capacity=2)
    booking = _book_on(client, "/tr", offer, "ayse@beispiel.invalid")
    assert booking.language == "tr"
    [optin] = mail.outbox
    assert optin.subject.startswith("Lütfen onaylayın")
    assert "Bunu siz yaptıysanız" in optin.body
    confirm = _path("tr", "education:booking_confirm", booking)
    stop = _path("tr", "education:unsubscribe", booking)
    assert confirm in _paths(optin)
    assert urlsplit(optin.extra_headers["List-Unsubscribe"].strip("<>")).path == stop
    assert client.post(confirm).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    confirmation = mail.outbox[1]
    assert confirmation.subject.startswith("Kayıt yapıldı")
    paths = _paths(confirmation)
    assert _path("tr", "education:booking", booking) in paths
    assert _path("tr", "education:booking_ics", booking) in paths


def test_a_booking_on_the_german_page_stays_german(client: Any) -> None:
    offer = course(capacity=2)
    booking = _book_on(client, "", offer, "karl@beispiel.invalid")
    assert booking.language == "de"
    [optin] = mail.outbox
    assert optin.subject.startswith("Bitte bestätigen")
    assert _path("de", "education:booking_confirm", booking) in _paths(optin)


def test_the_move_up_notice_goes_to_each_in_their_own_language(client: Any) -> None:
    offer = course(capacity=1)
    holder = UserFactory()
    services.booking_create(offer=offer, name="x", email="", user=holder, language="de")
    turkish = _book_on(client, "/tr", offer, "ayse@beispiel.invalid")
    german = _book_on(client, "", offer, "karl@beispiel.invalid")
    for booking in (turkish, german):  # the Turkish one arrives first on the waiting list
        assert client.post(_path("de", "education:booking_confirm", booking)).status_code == 302
    turkish.refresh_from_db()
    assert turkish.status == Booking.Status.WAITING
    assert mail.outbox[-2].subject.startswith("Bekleme listesi")  # confirmed on a German page: still Turkish
    mail.outbox.clear()
    with translation.override("de"):  # staff raise the capacity on a German page
        Offer.objects.filter(pk=offer.pk).update(capacity=3)
        offer.refresh_from_db()
        moved = services.waiting_list_advance(offer=offer)
    assert {b.pk for b in moved} == {turkish.pk, german.pk}
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["ayse@beispiel.invalid"].subject.startswith("Bir yer boşaldı")
    assert _path("tr", "education:booking", turkish) in _paths(by_address["ayse@beispiel.invalid"])
    assert by_address["karl@beispiel.invalid"].subject.startswith("Ein Platz ist frei")
    assert not any(p.startswith("/tr/") for p in _paths(by_address["karl@beispiel.invalid"]))


def test_an_account_gets_inbox_and_mail_in_the_booking_language(client: Any) -> None:
    offer = course(capacity=1)
    person = UserFactory()
    client.force_login(person)
    response = client.post("/tr" + _form("education:book", offer))
    assert response.status_code == 302
    booking = Booking.objects.get(offer=offer, user=person)
    assert booking.language == "tr"
    [message] = mail.outbox
    assert message.subject.startswith("Kayıt yapıldı")
    entry = Notification.objects.get(recipient=person, kind=BOOKING_KIND)
    assert entry.subject.startswith("Kayıt yapıldı")
    assert entry.url.endswith(_path("tr", "education:booking", booking))


def test_the_reminder_is_in_the_booking_language() -> None:
    offer = course(capacity=5, first_in_days=1)
    turkish = services.booking_create(
        offer=offer, name="x", email="", user=UserFactory(), language="tr"
    ).booking
    german = services.booking_create(
        offer=offer, name="y", email="", user=UserFactory(), language="de"
    ).booking
    mail.outbox.clear()
    with translation.override("de"):  # the beat runs without a request
        assert reminders_send() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert german.user is not None
    assert turkish.user is not None
    assert by_address[turkish.user.email].subject.startswith("Hatırlatma: yarın")
    assert _path("tr", "education:booking", turkish) in _paths(by_address[turkish.user.email])
    assert by_address[german.user.email].subject.startswith("Erinnerung: morgen")


def test_an_unknown_language_falls_back_to_the_default_and_regions_count() -> None:
    assert services.mail_language("tr-tr") == "tr"
    assert services.mail_language("xx") == "de"
    assert services.mail_language("") == "de"


def test_a_reservation_on_the_turkish_page_gets_its_mail_in_turkish(client: Any) -> None:
    item = lending_item()
    first = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        "/tr" + _form("education:reserve", item),
        {
            "name": "Ayşe Yılmaz",
            "email": "ayse@beispiel.invalid",
            "first_day": first.isoformat(),
            "last_day": (first + dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200, response.content[:500]
    reservation = Reservation.objects.get(offer=item)
    assert reservation.language == "tr"
    [message] = mail.outbox
    assert message.subject.startswith("Lütfen onaylayın")
    assert _path("tr", "education:reservation_confirm", reservation) in _paths(message)
