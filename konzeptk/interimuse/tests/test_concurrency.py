"""A founder's application sent from several tabs at once (a double click, a reload) against a live server:
one application is stored, every tab lands on it – never an error page, never "bad input"."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from konzeptk.accounts.models import User
from konzeptk.core.tests import live
from konzeptk.core.tests.live import at_once, signed_in_form
from konzeptk.interimuse.models import Application, Call, Unit
from konzeptk.interimuse.tests.test_pages import form_data

pytestmark = pytest.mark.django_db(transaction=True)

TABS = 6


needs_real_connections = live.needs_real_connections  # autouse: SQLite in memory is skipped


def test_an_application_from_six_tabs_at_once_is_stored_once(
    live_server: Any, call: Call, applicant: User, units: list[Unit]
) -> None:
    path = reverse("interimuse:apply", args=[call.slug])
    tabs = [signed_in_form(live_server, applicant, path) for _ in range(TABS)]
    data = form_data(unit=units[0].pk)

    def send(i: int) -> int:
        client, token = tabs[i]
        answer = client.post(
            live_server.url + path,
            data={**data, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=60,
        )
        return answer.status_code

    statuses = at_once(TABS, send)
    assert statuses == [302] * TABS  # each tab is led to the one application
    assert Application.objects.filter(call=call, applicant=applicant).count() == 1
