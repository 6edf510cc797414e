"""Public pages of the event calendar for the accessibility browser test (creates the data they need).

Pages behind the sign-in (submitting, own events, the administration) are checked by
``events/tests/test_browser.py``, signed in; the administration's pages are also in
:func:`a11y_staff_pages`, which the core browser tests open signed in as staff."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def a11y_event() -> int:
    """A published event with a place on the map and full accessibility facts (created once)."""
    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.events.models import Event
    from konzeptk.events.services import EventData, event_create

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    title = "Lesung in der Mediothek (Testveranstaltung)"
    existing = Event.objects.filter(title=title).values_list("pk", flat=True).first()
    if existing is not None:
        return existing
    start = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=2), dt.time(18), tzinfo=timezone.get_current_timezone()
    )
    event = event_create(
        data=EventData(
            title=title,
            description="Eine Lesung mit Gespräch.\n\nMit Gebärdensprache.",
            start=start,
            end=start + dt.timedelta(hours=2),
            topic="kultur",
            venue_name="Mediothek",
            address="Theaterplatz 2, 47798 Krefeld",
            lat=51.334958,
            lon=6.562989,
            step_free=True,
            accessible_toilet=True,
            induction_loop=False,
            seating=None,
            sign_language=True,
            organiser_name="Mediothek Krefeld",
            link="https://example.org/lesung",
            price=None,
            is_free=True,
        ),
        simulated=True,
    )
    return event.pk


def a11y_pages() -> list[str]:
    pk = a11y_event()
    return ["/veranstaltungen/", "/veranstaltungen/?topic=kultur&free=1", f"/veranstaltungen/{pk}/"]


def a11y_staff_pages() -> list[str]:
    """The administration's pages (the queue, one event to moderate, the calendar feeds), signed in."""
    pk = a11y_event()
    return [
        "/veranstaltungen/verwaltung/",
        f"/veranstaltungen/verwaltung/{pk}/",
        "/veranstaltungen/verwaltung/kalender/",
    ]
