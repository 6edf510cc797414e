"""Every insights page renders from the demo data; the numbers shown are the suppressed ones."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_demo_pages_render(client: Any, demo: Any) -> None:
    slug = demo.process.slug
    for path in [
        "/auswertung/",
        "/auswertung/beteiligte/",
        "/auswertung/zusammenhalt/",
        f"/auswertung/prozess/{slug}/",
        f"/auswertung/prozess/{slug}/gewichtet/",
        f"/auswertung/prozess/{slug}/zusammenhalt/",
        f"/auswertung/meinungsbild/{demo.pk}/",
        f"/auswertung/meinungsbild/{demo.pk}/ergebnis/",
        f"/ar/auswertung/meinungsbild/{demo.pk}/ergebnis/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
