"""offer_save, the RRULE expansion and the DigComp vocabulary (edu-offers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from konzeptk.core.errors import DomainError
from konzeptk.education import digcomp, sessions
from konzeptk.education.models import Competence, Offer, Session
from konzeptk.education.services import offer_save, session_cancel
from konzeptk.education.tests.conftest import (
    a_user,
    core_team_member,
    course_data,
    local_at,
    make_provider,
    member_of,
)


def test_digcomp_has_5_areas_21_competences_8_levels_in_4_groups() -> None:
    assert sorted(digcomp.AREAS) == [1, 2, 3, 4, 5]
    assert len(digcomp.COMPETENCES) == 21
    assert [len(digcomp.competences_of(a)) for a in range(1, 6)] == [3, 6, 4, 4, 4]
    assert sorted(digcomp.LEVELS) == list(range(1, 9))
    assert [g.levels for g in digcomp.LEVEL_GROUPS] == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert digcomp.is_known("3.4")
    assert not digcomp.is_known("6.1")
    assert not digcomp.is_known("")
    assert digcomp.COMPETENCES["3.4"].names == {"de": "Programmieren", "en": "Programming"}


def test_a_weekly_rule_makes_sessions_in_local_time_across_the_clock_change() -> None:
    zone = sessions.city_zone()
    first = dt.datetime(2026, 10, 20, 18, 0, tzinfo=zone)  # summer time; the 25th is the change
    spans = sessions.expand(first_start=first, duration_minutes=90, rule="FREQ=WEEKLY;COUNT=3")
    assert [s.astimezone(zone).hour for s, _e in spans] == [18, 18, 18]
    assert [s.utcoffset() for s, _e in spans] == [
        dt.timedelta(hours=2),
        dt.timedelta(hours=1),
        dt.timedelta(hours=1),
    ]
    assert all(e - s == dt.timedelta(minutes=90) for s, e in spans)


def test_exdates_and_until_in_utc_or_as_a_date() -> None:
    zone = sessions.city_zone()
    first = dt.datetime(2027, 3, 2, 10, 0, tzinfo=zone)
    by_date = sessions.expand(
        first_start=first,
        duration_minutes=60,
        rule="RRULE:FREQ=WEEKLY;UNTIL=20270323",
        exdates=[dt.date(2027, 3, 9)],
    )
    assert [s.date() for s, _e in by_date] == [
        dt.date(2027, 3, 2),
        dt.date(2027, 3, 16),
        dt.date(2027, 3, 23),
    ]
    by_utc = sessions.expand(
        first_start=first, duration_minutes=60, rule="FREQ=WEEKLY;UNTIL=20270316T090000Z"
    )
    assert len(by_utc) == 3


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY", "braucht ein Ende"),
        ("FREQ=DAILY;COUNT=501", "mehr als 500"),
        ("FREQ=DAILY;UNTIL={in_two_years}", "mehr als 500"),
        ("FREQ=SECONDLY;COUNT=3", "täglich, wöchentlich"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "nicht beides"),
        ("FREQ=WEEKLY;COUNT=-1", "COUNT"),
        ("FREQ=WEEKLY;COUNT=3;BYDAY=XX", "nicht lesbar"),
        ("FREQ=WEEKLY;UNTIL=2027-13-45", "UNTIL"),
        ("FREQ=WEEKLY;COUNT=2;X-EVIL=1", "nicht unterstützt"),
        ("FREQ=WEEKLY;COUNT=2\nDTSTART:19000101", "leer oder zu lang"),
        ("nonsense", "nicht lesbar"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "keinen einzigen"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "keinen einzigen"),
        ("FREQ=YEARLY;COUNT=20", "zehn Jahre"),
        ("FREQ=YEARLY;UNTIL=21000101", "zehn Jahre"),
    ],
)
def test_hostile_rules_are_refused_with_an_explanation(rule: str, words: str) -> None:
    in_two_years = (timezone.localdate() + dt.timedelta(days=730)).strftime("%Y%m%d")
    text = rule.format(in_two_years=in_two_years)
    with pytest.raises(DomainError) as caught:
        sessions.expand(first_start=local_at(3), duration_minutes=60, rule=text)
    assert caught.value.code == "invalid_rrule"
    assert words in caught.value.message


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_any_text_as_a_rule_gives_sessions_or_a_domain_error(rule: str) -> None:
    try:
        spans = sessions.expand(first_start=local_at(3), duration_minutes=60, rule=rule)
    except DomainError:
        return
    assert 1 <= len(spans) <= sessions.MAX_SESSIONS


@pytest.mark.django_db
def test_offer_save_creates_sessions_competences_district_and_next_start(
    edu_city: Any, provider: Any
) -> None:
    _profile, _west, east = edu_city
    result = offer_save(provider=provider, data=course_data())
    offer = result.offer
    assert result.created
    assert result.warnings == []
    assert offer.slug == "smartphone-fuer-einsteiger"
    assert offer.district == east
    assert offer.languages == "|de|tr|"
    assert offer.next_start == local_at(7)
    assert Session.objects.filter(offer=offer).count() == 4
    assert sorted(Competence.objects.filter(offer=offer).values_list("code", "area", "level")) == [
        ("2.1", 2, 2),
        ("4.2", 4, 1),
    ]
    again = offer_save(provider=provider, data=course_data()).offer
    assert again.slug == "smartphone-fuer-einsteiger-2"


@pytest.mark.django_db
def test_changing_the_rule_keeps_sessions_that_stay_with_their_cancellation(
    edu_city: Any, provider: Any
) -> None:
    staff = a_user(staff=True)
    offer = offer_save(provider=provider, data=course_data()).offer
    first = offer.sessions.order_by("start").first()
    assert first is not None
    session_cancel(session=first, actor=staff)
    offer_save(provider=provider, offer=offer, data=course_data(rrule="FREQ=WEEKLY;COUNT=6"))
    rows = list(offer.sessions.order_by("start"))
    assert len(rows) == 6
    assert rows[0].pk == first.pk
    assert rows[0].cancelled
    offer.refresh_from_db()
    assert offer.next_start == rows[1].start
    offer_save(provider=provider, offer=offer, data=course_data(rrule="FREQ=WEEKLY;COUNT=2"))
    assert offer.sessions.count() == 2


@pytest.mark.django_db
def test_overlapping_sessions_at_the_same_place_are_warned_about(edu_city: Any, provider: Any) -> None:
    other = make_provider("Mediothek", "mediothek")
    offer_save(provider=other, data=course_data(title="Tablet-Treff", first_start=local_at(14, 11)))
    result = offer_save(provider=provider, data=course_data())
    assert len(result.warnings) == 3  # weeks 2 to 4 of ours meet weeks 1 to 3 of the other
    assert "Tablet-Treff" in result.warnings[0]
    elsewhere = offer_save(provider=provider, data=course_data(address="Von-der-Leyen-Platz 2"))
    assert elsewhere.warnings == []
    online = offer_save(provider=provider, data=course_data(online=True))
    assert online.warnings == []
    twice = offer_save(
        provider=provider,
        data=course_data(address="Anderswo 1", rrule="", sessions=[(local_at(7, 10, 30), local_at(7, 12))]),
    )
    assert any("überschneiden sich" in w for w in twice.warnings)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"competences": [("9.9", 2)]}, "competences"),
        ({"competences": [("1.1", 9)]}, "competences"),
        ({"competences": [("1.1", 2), ("1.1", 3)]}, "competences"),
        ({"title": "  "}, "title"),
        ({"kind": "party"}, "kind"),
        ({"age_min": 70, "age_max": 10}, "age_max"),
        ({"languages": []}, "languages"),
        ({"languages": ["de; DROP"]}, "languages"),
        ({"is_free": True, "price": 5}, "price"),
        ({"lat": 51.3, "lon": None}, "lat"),
        ({"lat": 95.0, "lon": 6.5}, "lat"),
        ({"rrule": "FREQ=WEEKLY", "first_start": None, "duration_minutes": None}, "first_start"),
        ({"rrule": "FREQ=WEEKLY"}, "rrule"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"booking_open": True, "capacity": None}, "capacity"),
    ],
)
def test_refusals_name_the_field(edu_city: Any, provider: Any, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        offer_save(provider=provider, data=course_data(**changes))
    assert field in dict(caught.value.errors)
    assert not Offer.objects.exists()


@pytest.mark.django_db
def test_only_members_core_team_and_staff_may_save(edu_city: Any, provider: Any) -> None:
    stranger = a_user()
    with pytest.raises(DomainError) as caught:
        offer_save(provider=provider, data=course_data(), actor=stranger)
    assert caught.value.status == 403
    member = member_of(provider.organisation)
    assert offer_save(provider=provider, data=course_data(), actor=member).created
    core = core_team_member()
    assert offer_save(provider=provider, data=course_data(), actor=core).created
    other = make_provider("Hochschule", "hochschule")
    offer = Offer.objects.first()
    assert offer is not None
    with pytest.raises(DomainError):
        offer_save(provider=other, data=course_data(), offer=offer, actor=core)


@pytest.mark.django_db
def test_capacity_cannot_drop_below_the_seats_taken(edu_city: Any, provider: Any) -> None:
    offer = offer_save(provider=provider, data=course_data()).offer
    Offer.objects.filter(pk=offer.pk).update(seats_taken=8)
    with pytest.raises(DomainError) as caught:
        offer_save(provider=provider, offer=offer, data=course_data(capacity=5))
    assert caught.value.code == "capacity_below_bookings"


@pytest.mark.django_db
def test_a_slug_never_shadows_a_page_of_the_room(edu_city: Any, provider: Any) -> None:
    offer = offer_save(provider=provider, data=course_data(title="Digital-Check")).offer
    assert offer.slug == "digital-check-2"
