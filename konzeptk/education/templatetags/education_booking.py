"""``{% booking_box offer %}``: the booking box of an offer page (seats, waiting list, the person's own
booking, or the availability calendar of a lending item) – included through
``education/_booking_box.html``."""

from __future__ import annotations

from typing import Any

from django import template

from konzeptk.education import booking_selectors as sel
from konzeptk.education.lending import max_days
from konzeptk.education.models import Offer

register = template.Library()


@register.inclusion_tag("education/_booking_box_inner.html", takes_context=True)
def booking_box(context: template.Context, offer: Offer) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    box: dict[str, Any] = {"offer": offer, "request": request, "mode": ""}
    if offer.status != Offer.Status.PUBLISHED or not offer.booking_open:
        return box
    if offer.kind in sel.BOOKABLE_KINDS:
        mine = sel.active_booking(offer, user)
        box.update(
            mode="booking",
            open=sel.has_future_session(offer),
            seats_left=sel.seats_left(offer),
            waiting=sel.waiting_count(offer),
            mine=mine,
            position=sel.waiting_position(mine) if mine is not None else None,
        )
    elif offer.kind in sel.LENDING_KINDS:
        box.update(mode="lending", weeks=sel.lending_calendar(offer), max_days=max_days(offer))
    return box
