"""An owner's claim sent from several tabs at once against a live server: one claim, every tab led to
"Meine Einträge" – never an error page, never "bad input"."""

from __future__ import annotations

from typing import Any

import pytest

from konzeptk.accounts.models import User
from konzeptk.core.tests import live
from konzeptk.core.tests.live import at_once, signed_in_form
from konzeptk.economy.models import Claim

pytestmark = pytest.mark.django_db(transaction=True)

TABS = 6


needs_real_connections = live.needs_real_connections  # autouse: SQLite in memory is skipped


def test_a_claim_from_six_tabs_at_once_is_stored_once(
    live_server: Any, make_business: Any, owner: User
) -> None:
    business = make_business(name="Laden an der Hochstraße")
    path = f"/innenstadt/geschaefte/{business.slug}/anspruch/"
    tabs = [signed_in_form(live_server, owner, path) for _ in range(TABS)]

    def send(i: int) -> int:
        client, token = tabs[i]
        answer = client.post(
            live_server.url + path,
            data={
                "role": "Inhaberin",
                "evidence": "Gewerbeanmeldung liegt vor",
                "csrfmiddlewaretoken": token,
            },
            allow_redirects=False,
            timeout=60,
        )
        assert answer.status_code == 302
        assert answer.headers["Location"].endswith("/innenstadt/geschaefte/meine/")
        return answer.status_code

    assert at_once(TABS, send) == [302] * TABS
    assert Claim.objects.filter(business=business, user=owner).count() == 1
