"""Education's dates in the city's event calendar (``events.source_registry``; registered in ``ready``).

Single events show every session; a course shows only its first session (its start), because a course
is booked as a whole and its weekly dates would fill the calendar. Cancelled sessions and unpublished
offers are left out. Reads only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from konzeptk.education.models import Offer, Session
from konzeptk.events.source_registry import MAX_PER_SOURCE, ExternalEvent

SOURCE = "education"


def _event(session: Session, *, course: bool) -> ExternalEvent:
    offer = session.offer
    title = str(getattr(offer, "title_de", "") or offer.title)
    return ExternalEvent(
        source=SOURCE,
        key=f"session-{session.pk}",
        title=f"Kursbeginn: {title}" if course else title,
        start=session.start,
        end=session.end,
        url=reverse("education:detail", kwargs={"slug": offer.slug}),
        place="online" if offer.online else offer.place_name,
        address="" if offer.online else offer.address,
        district_code=offer.district.code if offer.district is not None else "",
        topic="bildung",
        lat=offer.lat,
        lon=offer.lon,
        description=str(getattr(offer, "summary_de", "") or ""),
        is_free=offer.is_free,
    )


def external_events(start: dt.datetime, end: dt.datetime) -> Iterator[ExternalEvent]:
    """Sessions of published events and first sessions of published courses in ``[start, end)``."""
    first_of_course = Subquery(
        Session.objects.filter(offer=OuterRef("offer_id"), cancelled=False)
        .order_by("start")
        .values("start")[:1]
    )
    sessions = (
        Session.objects.filter(
            offer__status=Offer.Status.PUBLISHED,
            cancelled=False,
            start__gte=start,
            start__lt=end,
        )
        .filter(Q(offer__kind=Offer.Kind.EVENT) | Q(offer__kind=Offer.Kind.COURSE, start=first_of_course))
        .select_related("offer", "offer__district")
        .order_by("start", "pk")[:MAX_PER_SOURCE]
    )
    for session in sessions:
        yield _event(session, course=session.offer.kind == Offer.Kind.COURSE)
