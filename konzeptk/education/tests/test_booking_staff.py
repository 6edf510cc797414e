"""The provider's list of bookings with attendance, the reminder the day before, the box on the offer
page, and the DSGVO export and erasure of bookings and reservations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from konzeptk.accounts.export_registry import collect_export
from konzeptk.accounts.services import user_erase
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.education import booking as services
from konzeptk.education import lending
from konzeptk.education.models import Booking, Reservation, ReservedDay
from konzeptk.education.reminders import reminders_send
from konzeptk.education.tests.booking_testdata import course, lending_item, local, member, provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_hooks_run_at_once(monkeypatch: Any) -> None:
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def _fill(offer: Any, count: int, prefix: str = "p") -> list[Booking]:
    bookings = []
    for i in range(count):
        result = services.booking_create(
            offer=offer, name=f"Person {i}", email=f"{prefix}{i}@beispiel.invalid"
        )
        bookings.append(services.booking_confirm(token=result.booking.token))
    return bookings


def test_only_members_of_the_provider_see_the_bookings(client: Any) -> None:
    owner = provider()
    offer = course(owner, capacity=2)
    _fill(offer, 3)
    url = reverse("education:staff_bookings", kwargs={"slug": offer.slug})
    assert client.get(url).status_code == 302  # login first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(member(provider("Andere Schule")))
    assert client.get(url).status_code == 404
    client.force_login(member(owner))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "p0@beispiel.invalid" in html
    assert "p2@beispiel.invalid" in html
    assert "2 von 2 Plätzen belegt" in html


def test_staff_mark_attendance_of_booked_people_only(client: Any) -> None:
    owner = provider()
    offer = course(owner, capacity=2)
    booked_a, booked_b, waiting = _fill(offer, 3)
    client.force_login(member(owner))
    url = reverse("education:staff_bookings", kwargs={"slug": offer.slug})
    response = client.post(url, {f"b{booked_a.pk}": "yes", f"b{booked_b.pk}": "no", f"b{waiting.pk}": "yes"})
    assert response.status_code == 302
    attended = dict(Booking.objects.values_list("pk", "attended"))
    assert attended == {booked_a.pk: True, booked_b.pk: False, waiting.pk: None}
    assert client.post(url, {f"b{booked_a.pk}": "vielleicht"}).status_code == 200  # a form error, no 500
    assert Booking.objects.get(pk=booked_a.pk).attended is True


def test_the_staff_page_has_bounded_queries_at_two_sizes(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    owner = provider()
    client.force_login(member(owner))
    for size in (3, 40):
        offer = course(owner, capacity=size // 2)
        _fill(offer, size, prefix=f"s{size}-")
        with django_assert_max_num_queries(14):
            page = client.get(reverse("education:staff_bookings", kwargs={"slug": offer.slug}))
        assert page.status_code == 200


def test_the_reminder_goes_once_the_day_before(capsys: Any) -> None:
    tomorrow = course(capacity=5, first_in_days=1)
    later = course(capacity=5, first_in_days=3)
    reminded = _fill(tomorrow, 2, prefix="morgen")
    _fill(later, 1, prefix="spaeter")
    stopped = reminded[1]
    services.booking_stop_mails(token=stopped.token)
    cancelled = services.booking_create(offer=tomorrow, name="X", email="", user=UserFactory()).booking
    services.booking_cancel(booking=cancelled)
    mail.outbox.clear()
    assert reminders_send() == 2
    assert [m.to for m in mail.outbox] == [["morgen0@beispiel.invalid"]]  # the other stopped her mails
    assert "Erinnerung" in mail.outbox[0].subject
    assert reminders_send() == 0  # idempotent
    call_command("send_education_reminders")
    assert "0 Erinnerungen" in capsys.readouterr().out
    assert len(mail.outbox) == 1
    # the next day (the course's second session is a week later): nothing is due
    assert reminders_send(now=timezone.now() + dt.timedelta(days=1)) == 0
    # the day before the second session the reminder goes again
    assert reminders_send(now=local(7, 12)) == 2


def test_the_booking_box_shows_seats_waiting_list_and_the_calendar() -> None:
    offer = course(capacity=1)
    request = RequestFactory().get("/")
    request.user = UserFactory()
    template = Template('{% include "education/_booking_box.html" %}')

    def box() -> str:
        return template.render(Context({"offer": offer, "request": request}))

    assert "Noch 1 Platz frei" in box()
    _fill(offer, 2)
    offer.refresh_from_db()
    html = box()
    assert "Ausgebucht" in html
    assert "Auf die Warteliste" in html
    services.booking_create(offer=offer, name="x", email="", user=request.user)
    assert "Warteliste, Platz 2" in box()
    item = lending_item()
    lending.reservation_create(
        offer=item,
        name="A",
        email="",
        first_day=timezone.localdate() + dt.timedelta(days=1),
        last_day=timezone.localdate() + dt.timedelta(days=1),
        user=UserFactory(),
    )
    html = template.render(Context({"offer": item, "request": request}))
    assert "Zeitraum reservieren" in html
    assert html.count("edu-day--taken") == 1


def test_export_and_erasure_cover_bookings_and_reservations() -> None:
    person = UserFactory()
    offer = course(capacity=1)
    services.booking_create(offer=offer, name="x", email="", user=person)
    # a booking made without the account, with the same (verified) address
    other = course()
    anonymous = services.booking_create(offer=other, name="Ohne Konto", email=person.email).booking
    services.booking_confirm(token=anonymous.token)
    waiting = services.booking_create(offer=offer, name="y", email="", user=UserFactory()).booking
    item = lending_item()
    lending.reservation_create(
        offer=item,
        name="x",
        email="",
        first_day=timezone.localdate() + dt.timedelta(days=2),
        last_day=timezone.localdate() + dt.timedelta(days=3),
        user=person,
    )
    sections = collect_export(person)["sections"]
    assert sorted(b["offer"] for b in sections["education.bookings"]) == sorted([offer.title, other.title])
    assert [r["offer"] for r in sections["education.reservations"]] == [item.title]
    mail.outbox.clear()
    user_erase(user=person)
    assert not Booking.objects.filter(email=person.email.lower()).exists()
    assert not Reservation.objects.filter(offer=item).exists()
    assert not ReservedDay.objects.filter(offer=item).exists()
    # the place they held went to the waiting list, and the person moving up was told
    waiting.refresh_from_db()
    offer.refresh_from_db()
    assert waiting.status == Booking.Status.BOOKED
    assert offer.seats_taken == 1
    assert any("Platz ist frei" in m.subject for m in mail.outbox)


def test_the_demo_bookings_are_simulated_consistent_and_idempotent() -> None:
    from io import StringIO

    from konzeptk.education.booking_demo import load_bookings

    offers = [course(capacity=8) for _ in range(12)]
    out = StringIO()
    created = load_bookings(out=out)
    assert created > 0
    assert "simulierte Anmeldungen" in out.getvalue()
    bookings = Booking.objects.filter(offer__in=offers)
    assert bookings.count() == created
    assert not bookings.filter(simulated=False).exists()
    assert bookings.filter(demographics_consent=True).exclude(age_band="").exists()
    assert not bookings.filter(demographics_consent=False).exclude(age_band="").exists()
    for offer in offers:
        offer.refresh_from_db()
        assert offer.seats_taken == bookings.filter(offer=offer, status=Booking.Status.BOOKED).count()
    assert mail.outbox == []
    assert load_bookings(out=StringIO()) == 0
