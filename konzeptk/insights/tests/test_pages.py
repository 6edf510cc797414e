"""Every insights page renders from the demo data, in German and Arabic."""

from __future__ import annotations

from typing import Any

import pytest

from konzeptk.insights.a11y import pages_of

pytestmark = pytest.mark.django_db


def test_demo_pages_render(client: Any, demo: Any) -> None:
    for path in pages_of(demo):
        assert client.get(path).status_code == 200, path
        assert client.get(f"/ar{path}").status_code == 200, path
