"""The demo's DWD-format warnings: a heat warning in force (its update replaced it), a cancelled and
expired ones in the past, all simulated; loading twice changes nothing; the a11y pages answer."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client

from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.services import city_profile_load
from konzeptk.resilience import selectors
from konzeptk.resilience.a11y import warnings_a11y_pages
from konzeptk.resilience.demo import load_warnings
from konzeptk.resilience.heat import heat_warning_active
from konzeptk.resilience.models import Warning


def test_the_demo_warnings_load_once_and_the_heat_warning_is_in_force(db: Any, client: Client) -> None:
    city_profile_load(source="krefeld")
    forget_active_profile()
    assert load_warnings(out=io.StringIO()) == 6
    assert load_warnings(out=io.StringIO()) == 0  # idempotent
    assert Warning.objects.count() == 6
    assert not Warning.objects.filter(simulated=False).exists()
    (current,) = selectors.current_warnings()
    assert current.headline == "Amtliche WARNUNG vor EXTREMER HITZE"
    assert heat_warning_active()
    past = [w.event for w in selectors.past_warnings()]
    assert past == ["GEWITTER", "WINDBÖEN", "FROST"]
    html = client.get("/warnungen/").content.decode()
    assert "Beispielinhalt (simuliert)" in html
    for path in warnings_a11y_pages():
        assert client.get(path).status_code == 200, path
    forget_active_profile()
