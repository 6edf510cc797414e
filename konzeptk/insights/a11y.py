"""Insights pages the browser test checks with axe-core (German paths; /ar/ is added there)."""

from __future__ import annotations

import io
from typing import Any


def a11y_pages() -> list[str]:
    """Load the Krefeld profile and a small simulated Meinungsbild; return the public pages."""
    from konzeptk.city.services import city_profile_load
    from konzeptk.insights import demo, phases
    from konzeptk.participation.models import Phase

    city_profile_load(source="krefeld")
    demo.load_demo(out=io.StringIO(), simulated_people=60)
    phase = Phase.objects.get(process__slug="meinungsbild-digitales-krefeld", type=phases.KEY)
    return pages_of(phase)


def pages_of(phase: Any) -> list[str]:
    """The public pages of a Meinungsbild phase's process, the platform pages and the overview."""
    slug = phase.process.slug
    return [
        "/auswertung/",
        "/auswertung/beteiligte/",
        "/auswertung/zusammenhalt/",
        "/auswertung/bildung/",  # reach of the education offers
        f"/auswertung/prozess/{slug}/",
        f"/auswertung/prozess/{slug}/gewichtet/",
        f"/auswertung/prozess/{slug}/zusammenhalt/",
        f"/auswertung/meinungsbild/{phase.pk}/",
        f"/auswertung/meinungsbild/{phase.pk}/ergebnis/",
    ]
