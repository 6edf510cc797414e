"""The nightly task moves an offer's next date on once it has begun (the list's order and "still on")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from konzeptk.education.models import Offer
from konzeptk.education.tasks import refresh_next_start


@pytest.mark.django_db
def test_the_next_date_moves_on_after_a_session_has_begun(
    edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    offer = make_offer()
    starts = list(offer.sessions.order_by("start").values_list("start", flat=True))
    assert len(starts) >= 2
    assert offer.next_start == starts[0]
    with time_machine.travel(starts[0] + dt.timedelta(minutes=5), tick=False):
        assert refresh_next_start() == 1
        assert refresh_next_start() == 0  # nothing stale any more: idempotent
    offer.refresh_from_db()
    assert offer.next_start == starts[1]
