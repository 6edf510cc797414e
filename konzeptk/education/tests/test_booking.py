"""Booking an offer over HTTP: with and without an account, the waiting list, cancellation and moving
up, the calendar file, the optional demographics and the hostile input."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import split_city
from konzeptk.core.errors import DomainError
from konzeptk.education import booking as services
from konzeptk.education.booking_selectors import waiting_position
from konzeptk.education.models import BOOKING_KIND, Booking, Offer
from konzeptk.education.tests.booking_testdata import course, local
from konzeptk.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_hooks_run_at_once(monkeypatch: Any) -> None:
    """Mails are queued and sent after the commit; the test's transaction never commits, so the
    hooks run at once (the outbox then shows what a committed request sends)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def _book(client: Any, offer: Offer, **data: Any) -> Any:
    return client.post(reverse("education:book", kwargs={"slug": offer.slug}), data)


def _anonymous(client: Any, offer: Offer, email: str, name: str = "Ayşe Yılmaz", **extra: Any) -> Booking:
    response = _book(client, offer, name=name, email=email, **extra)
    assert response.status_code == 200, response.content[:500]
    return Booking.objects.get(offer=offer, email=email.lower())


def _confirm(client: Any, booking: Booking) -> Any:
    return client.post(reverse("education:booking_confirm", kwargs={"token": booking.token}))


def _links(message: Any) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_an_account_books_at_once_and_gets_inbox_and_mail_with_the_calendar_file(client: Any) -> None:
    offer = course(capacity=2)
    person = UserFactory()
    client.force_login(person)
    response = _book(client, offer)
    booking = Booking.objects.get(offer=offer)
    assert response.status_code == 302
    assert response["Location"] == reverse("education:booking", kwargs={"token": booking.token})
    assert booking.status == Booking.Status.BOOKED
    assert booking.user == person
    assert booking.email == person.email.lower()
    assert booking.queued_at is not None
    offer.refresh_from_db()
    assert offer.seats_taken == 1
    assert Notification.objects.filter(recipient=person, kind=BOOKING_KIND).count() == 1
    [message] = mail.outbox
    assert message.to == [person.email]
    assert any(link.endswith(f"/anmeldung/{booking.token}/kalender.ics") for link in _links(message))
    page = client.get(response["Location"])
    assert "Sie sind angemeldet" in page.content.decode()


def test_without_an_account_only_the_confirmation_mail_goes_out_before_the_confirmation(client: Any) -> None:
    offer = course(capacity=2)
    booking = _anonymous(client, offer, "Ayse@Beispiel.invalid")
    assert booking.status == Booking.Status.UNCONFIRMED
    assert booking.queued_at is None
    offer.refresh_from_db()
    assert offer.seats_taken == 0
    [message] = mail.outbox
    confirm = reverse("education:booking_confirm", kwargs={"token": booking.token})
    assert any(link.endswith(confirm) for link in _links(message))
    # the link's page only shows a button: a GET never writes
    assert client.get(confirm).status_code == 200
    booking.refresh_from_db()
    assert booking.status == Booking.Status.UNCONFIRMED
    response = _confirm(client, booking)
    assert response.status_code == 302
    booking.refresh_from_db()
    offer.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    assert offer.seats_taken == 1
    assert len(mail.outbox) == 2
    assert any("/kalender.ics" in link for link in _links(mail.outbox[1]))
    # a second click on the link changes nothing
    _confirm(client, booking)
    offer.refresh_from_db()
    assert offer.seats_taken == 1
    assert len(mail.outbox) == 2


def test_a_double_submit_makes_one_booking_and_shows_it(client: Any) -> None:
    offer = course()
    first = _anonymous(client, offer, "doppelt@beispiel.invalid")
    response = _book(client, offer, name="Ayşe Yılmaz", email="doppelt@beispiel.invalid")
    assert response.status_code == 302
    assert response["Location"] == reverse("education:booking", kwargs={"token": first.token})
    assert Booking.objects.filter(offer=offer).count() == 1
    assert len(mail.outbox) == 1  # the confirmation mail is not sent again within the hour
    # an account clicking twice
    person = UserFactory()
    client.force_login(person)
    _book(client, offer)
    again = _book(client, offer)
    assert again.status_code == 302
    assert Booking.objects.filter(offer=offer, user=person).count() == 1


def test_signing_in_confirms_an_own_unconfirmed_booking(client: Any) -> None:
    offer = course()
    person = UserFactory()
    earlier = _anonymous(client, offer, person.email)
    assert earlier.status == Booking.Status.UNCONFIRMED
    client.force_login(person)
    response = _book(client, offer)
    assert response["Location"] == reverse("education:booking", kwargs={"token": earlier.token})
    earlier.refresh_from_db()
    assert earlier.status == Booking.Status.BOOKED
    assert earlier.user == person
    assert Booking.objects.filter(offer=offer).count() == 1


def test_a_full_course_puts_people_on_the_waiting_list_with_their_position(client: Any) -> None:
    offer = course(capacity=1)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        client.force_login(person)
        assert _book(client, offer).status_code == 302
    statuses = [Booking.objects.get(user=p).status for p in people]
    assert statuses == [Booking.Status.BOOKED, Booking.Status.WAITING, Booking.Status.WAITING]
    third = Booking.objects.get(user=people[2])
    assert waiting_position(third) == 2
    page = client.get(reverse("education:booking", kwargs={"token": third.token}))
    assert page.status_code == 200
    assert "Warteliste, Platz 2" in page.content.decode()
    # the booking form of a full course offers the waiting list, never an error page
    client.logout()
    form = client.get(reverse("education:book", kwargs={"slug": offer.slug}))
    assert form.status_code == 200
    assert "ausgebucht" in form.content.decode()
    assert "Warteliste" in mail.outbox[-1].subject


def test_the_dates_on_the_booking_form_follow_the_language(client: Any) -> None:
    offer = course(sessions=1, first_in_days=7)
    day = local(7).day
    url = reverse("education:book", kwargs={"slug": offer.slug})
    assert f", {day}. " in client.get(url).content.decode()  # "Montag, 14. Dezember 2026, 10:00"
    turkish = client.get(f"/tr{url}").content.decode()
    assert f", {day} " in turkish  # "Pazartesi, 14 Aralık 2026, 10:00"
    assert f", {day}. " not in turkish


def test_a_cancellation_moves_the_first_in_queue_order_up_and_tells_them(client: Any) -> None:
    offer = course(capacity=1)
    holder, early, late = UserFactory(), UserFactory(), UserFactory()
    for person in (holder, late, early):
        services.booking_create(offer=offer, name="x", email="", user=person)
    # "early" has the later primary key but arrived first on the waiting list
    Booking.objects.filter(user=early).update(queued_at=timezone.now() - dt.timedelta(hours=1))
    mail.outbox.clear()
    held = Booking.objects.get(user=holder)
    client.force_login(holder)
    response = client.post(reverse("education:booking_cancel", kwargs={"token": held.token}))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Booking.Status.CANCELLED
    assert Booking.objects.get(user=early).status == Booking.Status.BOOKED
    assert Booking.objects.get(user=late).status == Booking.Status.WAITING
    assert waiting_position(Booking.objects.get(user=late)) == 1
    offer.refresh_from_db()
    assert offer.seats_taken == 1
    [message] = mail.outbox
    assert message.to == [early.email]
    assert "Platz ist frei" in message.subject
    assert Notification.objects.filter(recipient=early, kind=BOOKING_KIND, subject__contains="Platz").exists()


def test_an_address_moved_up_gets_a_mail_unless_it_stopped_them(client: Any) -> None:
    offer = course(capacity=1)
    holder = UserFactory()
    services.booking_create(offer=offer, name="x", email="", user=holder)
    waiting = _anonymous(client, offer, "warteliste@beispiel.invalid")
    _confirm(client, waiting)
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.WAITING
    mail.outbox.clear()
    services.booking_cancel(booking=Booking.objects.get(user=holder))
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.BOOKED
    [message] = mail.outbox
    assert message.to == ["warteliste@beispiel.invalid"]
    # the "abbestellen" link: a page with a button, the POST stops further mails
    stop = reverse("education:unsubscribe", kwargs={"token": waiting.token})
    assert client.get(stop).status_code == 200
    assert client.post(stop).status_code == 200
    waiting.refresh_from_db()
    assert waiting.mails_stopped_at is not None
    mail.outbox.clear()
    services.booking_notify(waiting, subject="Test", text="Test")
    assert mail.outbox == []


def test_cancelling_twice_and_wrong_tokens_get_clear_answers(client: Any) -> None:
    offer = course()
    person = UserFactory()
    booking = services.booking_create(offer=offer, name="x", email="", user=person).booking
    cancel = reverse("education:booking_cancel", kwargs={"token": booking.token})
    assert client.get(cancel).status_code == 200
    client.post(cancel)
    second = client.post(cancel, follow=True)
    assert second.status_code == 200
    assert "bereits abgesagt" in second.content.decode()
    offer.refresh_from_db()
    assert offer.seats_taken == 0
    with pytest.raises(DomainError) as refused:
        services.booking_cancel(booking=booking)
    assert refused.value.status == 409
    for name in ("booking", "booking_confirm", "booking_cancel", "unsubscribe"):
        wrong = client.get(reverse(f"education:{name}", kwargs={"token": "falsch"}))
        assert wrong.status_code == 404, name
        assert "ungültig" in wrong.content.decode()
    assert client.post(reverse("education:booking_confirm", kwargs={"token": "x" * 300})).status_code == 404
    assert client.get(reverse("education:booking_ics", kwargs={"token": "falsch"})).status_code == 404


def test_drafts_unknown_and_closed_offers_cannot_be_booked(client: Any) -> None:
    draft = course(status=Offer.Status.DRAFT)
    assert client.get(reverse("education:book", kwargs={"slug": draft.slug})).status_code == 404
    assert _book(client, draft, name="A", email="a@beispiel.invalid").status_code == 404
    assert client.get(reverse("education:book", kwargs={"slug": "gibt-es-nicht"})).status_code == 404
    closed = course(booking_open=False, capacity=None)
    response = _book(client, closed, name="A", email="a@beispiel.invalid")
    assert response.status_code == 400
    assert "keine Anmeldung" in response.content.decode()
    over = course()
    over.sessions.update(start=local(-3), end=local(-3) + dt.timedelta(hours=1))
    response = _book(client, over, name="A", email="a@beispiel.invalid")
    assert response.status_code == 400
    assert "vorbei" in response.content.decode()
    assert not Booking.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "email": "a@beispiel.invalid"},
        {"name": "   ", "email": "a@beispiel.invalid"},
        {"name": "A", "email": "keine-adresse"},
        {"name": "A" * 500, "email": "a@beispiel.invalid"},
        {"name": "A", "email": "a@beispiel.invalid", "age_band": "99+", "consent": "on"},
        {"name": "A", "email": "a@beispiel.invalid", "district": "999999", "consent": "on"},
    ],
)
def test_bad_form_input_gets_form_errors_in_german(client: Any, data: dict[str, str]) -> None:
    offer = course()
    response = _book(client, offer, **data)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Booking.objects.exists()


def test_demographics_are_stored_only_with_consent(client: Any) -> None:
    _profile, west, _east = split_city()
    try:
        offer = course()
        without = _anonymous(client, offer, "ohne@beispiel.invalid", age_band="65+", district=str(west.pk))
        assert (without.demographics_consent, without.age_band, without.district) == (False, "", None)
        withc = _anonymous(
            client, offer, "mit@beispiel.invalid", age_band="65+", district=str(west.pk), consent="on"
        )
        assert (withc.demographics_consent, withc.age_band, withc.district) == (True, "65+", west)
    finally:
        forget_active_profile()


def test_the_calendar_file_holds_every_session_and_parses(client: Any) -> None:
    offer = course(sessions=4)
    person = UserFactory()
    booking = services.booking_create(offer=offer, name="x", email="", user=person).booking
    offer.sessions.filter(start=local(14)).update(cancelled=True)
    response = client.get(reverse("education:booking_ics", kwargs={"token": booking.token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 4
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts == sorted(s.start for s in offer.sessions.all())
    assert all(str(e["summary"]) == offer.title for e in events)
    assert sorted(str(e["status"]) for e in events) == ["CANCELLED", "CONFIRMED", "CONFIRMED", "CONFIRMED"]
    assert len({str(e["uid"]) for e in events}) == 4
    assert str(calendar["version"]) == "2.0"


def test_my_bookings_lists_and_cancels_and_needs_a_login(client: Any) -> None:
    mine = reverse("education:my_bookings")
    assert client.get(mine).status_code == 302
    person = UserFactory()
    offers = [course() for _ in range(2)]
    for offer in offers:
        services.booking_create(offer=offer, name="x", email="", user=person)
    client.force_login(person)
    page = client.get(mine)
    assert page.status_code == 200
    assert all(o.title in page.content.decode() for o in offers)
    booking = Booking.objects.filter(user=person).first()
    assert booking is not None
    response = client.post(
        reverse("education:booking_cancel", kwargs={"token": booking.token}), {"next": "mine"}
    )
    assert response.status_code == 302
    assert response["Location"] == mine
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_booking_pages_have_bounded_queries_at_two_sizes(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    person = UserFactory()
    for size in (2, 30):
        offer = course(capacity=size)
        bookings = [
            services.booking_create(
                offer=offer, name=f"P{i}", email=f"p{size}-{i}@beispiel.invalid", user=None
            )
            for i in range(size)
        ]
        for result in bookings:
            services.booking_confirm(token=result.booking.token)
        mine = services.booking_create(offer=offer, name="x", email="", user=person).booking
        client.force_login(person)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("education:booking", kwargs={"token": mine.token})).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(reverse("education:my_bookings")).status_code == 200
        with django_assert_max_num_queries(10):
            assert (
                client.get(reverse("education:booking_ics", kwargs={"token": mine.token})).status_code == 200
            )
