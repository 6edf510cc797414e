"""The fan-out of an alert: idempotent through Delivery, a bounded number of queries at two sizes, facilities
only for heat alerts, nothing to stopped or unconfirmed subscriptions."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.notifications.models import Mail, Notification
from konzeptk.resilience import fanout
from konzeptk.resilience.models import Delivery, Facility, Source, Warning
from konzeptk.resilience.tests.alerts_support import make_city, subscribe

pytestmark = pytest.mark.django_db


def _warning(districts: list[Any], *, event_code: str = "heat") -> Warning:
    warning = Warning.objects.create(
        source=Source.OWN, identifier=f"test-{event_code}-{Warning.objects.count()}", sent=timezone.now(),
        event="HITZE", event_code=event_code, headline_de="Hitze", headline_en="Heat", instruction_de="Trinken",
    )  # fmt: skip
    warning.districts.set(districts)
    return warning


def test_a_second_run_tells_nobody_twice() -> None:
    mitte, _ost = make_city()
    subscribe(email="a@beispiel.invalid", districts=[mitte], language="en")
    subscribe(user=UserFactory(), districts=[mitte])
    warning = _warning([mitte])
    first = fanout.warning_fanout(warning_id=warning.pk)
    second = fanout.warning_fanout(warning_id=warning.pk)
    assert (first.subscriptions, second.subscriptions) == (2, 0)
    assert Delivery.objects.count() == 2
    assert Notification.objects.count() == 1
    assert Mail.objects.get(to="a@beispiel.invalid").subject == "Heat"


def test_facilities_get_heat_alerts_only() -> None:
    mitte, _ost = make_city()
    school = Facility.objects.create(
        kind=Facility.Kind.SCHOOL, name="Schule", token="t", confirmed_at=timezone.now()
    )
    sub = subscribe(email="schule@beispiel.invalid", districts=[mitte])
    sub.facility = school
    sub.save()
    rain = _warning([mitte], event_code="rain")
    assert fanout.warning_fanout(warning_id=rain.pk).subscriptions == 0
    heat = _warning([mitte])
    assert fanout.warning_fanout(warning_id=heat.pk).subscriptions == 1


def test_an_ended_warning_is_not_sent() -> None:
    mitte, _ost = make_city()
    subscribe(email="a@beispiel.invalid", districts=[mitte])
    warning = _warning([mitte])
    Warning.objects.filter(pk=warning.pk).update(ended_at=timezone.now())
    assert fanout.warning_fanout(warning_id=warning.pk).subscriptions == 0


@pytest.mark.parametrize("count", [10, 120])
def test_the_fan_out_costs_a_bounded_number_of_queries(
    count: int, django_assert_max_num_queries: Any
) -> None:
    mitte, ost = make_city()
    for i in range(count):
        subscribe(email=f"p{i}@beispiel.invalid", districts=[mitte], language=("de", "en", "ar")[i % 3])
        subscribe(user=UserFactory(), districts=[mitte, ost], language=("tr", "uk")[i % 2])
    subscribe(email="elsewhere@beispiel.invalid", districts=[ost])
    warning = _warning([mitte])
    with django_assert_max_num_queries(40):
        result = fanout.warning_fanout(warning_id=warning.pk)
    assert result.subscriptions == 2 * count
    assert result.mails == count
    assert result.inbox == count
