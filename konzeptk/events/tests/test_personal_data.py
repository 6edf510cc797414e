"""Export and erasure of what organisers submitted."""

from __future__ import annotations

from typing import Any

import pytest

from konzeptk.events.erasure import erase_events
from konzeptk.events.exports import moderated_section, submitted_section
from konzeptk.events.models import Event
from konzeptk.events.services import event_publish, event_submit
from konzeptk.events.tests.conftest import event_data

pytestmark = pytest.mark.django_db


def test_export_and_erasure(city: Any, organiser: Any, staff: Any) -> None:
    published = event_submit(by=organiser, data=event_data(title="Öffentlich"))
    event_publish(event=published, by=staff)
    pending = event_submit(by=organiser, data=event_data(title="Wartet"))
    rows = submitted_section(organiser)
    assert [r["title"] for r in rows] == ["Öffentlich", "Wartet"]
    assert rows[0]["status"] == "published"
    assert rows[0]["place"] == "Mediothek"
    assert [r["title"] for r in moderated_section(staff)] == ["Öffentlich"]
    erase_events(organiser)
    assert not Event.objects.filter(pk=pending.pk).exists()
    published.refresh_from_db()
    assert published.submitted_by is None
    assert published.status == Event.Status.PUBLISHED
    assert submitted_section(organiser) == []
