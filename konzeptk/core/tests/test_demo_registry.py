"""The demo registry (core/demo_registry.py) finds each room's ``demo.py``, core's own first."""

from __future__ import annotations

import io

import pytest

from konzeptk.core.demo_registry import demo_loaders
from konzeptk.core.models import SitePage


def test_the_rooms_demo_loaders_in_the_order_of_installed_apps() -> None:
    labels = [label for label, _loader in demo_loaders()]
    assert labels[0] == "core"
    assert labels.index("accounts") < labels.index("participation")


@pytest.mark.django_db
def test_cores_own_demo_pages_are_labelled_and_idempotent() -> None:
    loader = dict(demo_loaders())["core"]
    loader(out=io.StringIO())
    loader(out=io.StringIO())
    pages = SitePage.objects.filter(slug__in=["impressum", "datenschutz"])
    assert pages.count() == 2
    assert all("Demo-Text" in page.title for page in pages)
