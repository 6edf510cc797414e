"""Reserving lending items: confirmation by mail, never two reservations on one day, clear form errors
naming the free days, the availability calendar on the item's page."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.errors import DomainError
from konzeptk.core.tests import live
from konzeptk.education import lending
from konzeptk.education.booking_selectors import lending_calendar
from konzeptk.education.models import Offer, Reservation, ReservedDay
from konzeptk.education.tests.booking_testdata import lending_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_hooks_run_at_once(monkeypatch: Any) -> None:
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def _day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def _reserve(
    client: Any, item: Offer, first: dt.date, last: dt.date, email: str = "leihe@beispiel.invalid"
) -> Any:
    return client.post(
        reverse("education:reserve", kwargs={"slug": item.slug}),
        {
            "name": "Jan Kowalski",
            "email": email,
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
        },
    )


def test_a_reservation_holds_its_days_and_is_confirmed_by_the_link(client: Any) -> None:
    item = lending_item()
    response = _reserve(client, item, _day(3), _day(5))
    assert response.status_code == 200
    reservation = Reservation.objects.get(offer=item)
    assert reservation.status == Reservation.Status.UNCONFIRMED
    assert sorted(ReservedDay.objects.filter(offer=item).values_list("day", flat=True)) == [
        _day(3),
        _day(4),
        _day(5),
    ]
    [message] = mail.outbox
    confirm = reverse("education:reservation_confirm", kwargs={"token": reservation.token})
    assert confirm in message.body
    assert client.get(confirm).status_code == 200  # a button, no write
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.UNCONFIRMED
    assert client.post(confirm).status_code == 302
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.RESERVED
    # a second submit of the same form is the same reservation
    _reserve(client, item, _day(3), _day(5))
    assert Reservation.objects.filter(offer=item).count() == 1


def test_an_overlapping_period_gets_a_form_error_naming_the_free_days(client: Any) -> None:
    item = lending_item()
    lending.reservation_create(
        offer=item, name="A", email="", first_day=_day(4), last_day=_day(6), user=UserFactory()
    )
    response = _reserve(client, item, _day(2), _day(5), email="zweite@beispiel.invalid")
    assert response.status_code == 409
    text = response.content.decode()
    assert "schon reserviert" in text
    for free in (_day(2), _day(3)):
        assert formats.date_format(free, "SHORT_DATE_FORMAT") in text
    assert formats.date_format(_day(7), "SHORT_DATE_FORMAT") in text  # the next free period of 4 days
    assert Reservation.objects.filter(offer=item).count() == 1
    assert ReservedDay.objects.filter(offer=item).count() == 3


@pytest.mark.parametrize(
    ("first", "last", "field", "words"),
    [
        (-1, 1, "first_day", "Vergangenheit"),
        (3, 12, "last_day", "höchstens 7 Tage"),
        (5, 3, "last_day", "vor dem ersten Tag"),
        (400, 401, "first_day", "im Voraus"),
    ],
)
def test_bad_periods_are_refused_with_a_form_error(
    client: Any, first: int, last: int, field: str, words: str
) -> None:
    item = lending_item(max_days=7)
    response = _reserve(client, item, _day(first), _day(last))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Reservation.objects.exists()
    assert mail.outbox == []


def test_garbage_dates_and_closed_or_draft_items(client: Any) -> None:
    item = lending_item()
    response = client.post(
        reverse("education:reserve", kwargs={"slug": item.slug}),
        {"name": "A", "email": "a@beispiel.invalid", "first_day": "morgen", "last_day": "2026-02-30"},
    )
    assert response.status_code == 400
    draft = lending_item(status=Offer.Status.DRAFT)
    assert _reserve(client, draft, _day(1), _day(2)).status_code == 404
    closed = lending_item(booking_open=False)
    assert _reserve(client, closed, _day(1), _day(2)).status_code == 400
    assert not Reservation.objects.exists()


def test_cancelling_frees_the_days_and_twice_is_refused(client: Any) -> None:
    item = lending_item()
    person = UserFactory()
    reservation = lending.reservation_create(
        offer=item, name="A", email="", first_day=_day(1), last_day=_day(2), user=person
    )
    cancel = reverse("education:reservation_cancel", kwargs={"token": reservation.token})
    assert client.post(cancel).status_code == 302
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.CANCELLED
    assert not ReservedDay.objects.filter(offer=item).exists()
    second = client.post(cancel, follow=True)
    assert second.status_code == 200
    assert "bereits storniert" in second.content.decode()
    with pytest.raises(DomainError):
        lending.reservation_cancel(reservation=reservation)
    # the days can be reserved again
    lending.reservation_create(
        offer=item, name="B", email="", first_day=_day(1), last_day=_day(2), user=UserFactory()
    )
    assert client.get(reverse("education:reservation", kwargs={"token": "falsch"})).status_code == 404


def test_unconfirmed_reservations_expire_and_free_their_days() -> None:
    item = lending_item()
    old = lending.reservation_create(
        offer=item, name="A", email="alt@beispiel.invalid", first_day=_day(1), last_day=_day(2)
    )
    Reservation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    fresh = lending.reservation_create(
        offer=item, name="B", email="neu@beispiel.invalid", first_day=_day(1), last_day=_day(2)
    )
    assert not Reservation.objects.filter(pk=old.pk).exists()
    assert fresh.status == Reservation.Status.UNCONFIRMED


def test_the_calendar_shows_reserved_days_without_javascript(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    item = lending_item()
    lending.reservation_create(
        offer=item, name="A", email="", first_day=_day(2), last_day=_day(3), user=UserFactory()
    )
    weeks = lending_calendar(item)
    days = {d.day: d for week in weeks for d in week}
    assert not days[_day(2)].free
    assert not days[_day(3)].free
    assert days[_day(4)].free
    assert all(len(week) == 7 and week[0].day.weekday() == 0 for week in weeks)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("education:reserve", kwargs={"slug": item.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<time datetime="{_day(2).isoformat()}">' in html
    assert html.count("edu-day--taken") == 2
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db(transaction=True)
def test_two_people_reserving_the_same_days_at_once_get_one_reservation() -> None:
    live.skip_without_real_connections()
    item = lending_item()
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def reserve(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            lending.reservation_create(
                offer=item, name=f"P{i}", email="", first_day=_day(5), last_day=_day(8), user=people[i]
            )
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    people = [UserFactory() for _ in range(8)]
    threads = [threading.Thread(target=reserve, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["days_taken"] * 7 + ["ok"]
    assert ReservedDay.objects.filter(offer=item).count() == 4
