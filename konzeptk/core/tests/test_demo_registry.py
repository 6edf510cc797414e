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


@pytest.mark.django_db
def test_finish_demo_runs_after_every_rooms_after_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """education books its demo offers in ``after_demo``; strategy computes the indicators bound to that
    reach in ``finish_demo``, which runs only when every room's ``after_demo`` is done."""
    from konzeptk.core import demo_registry

    assert "education" in [label for label, _hook in demo_registry._demo_hooks("after_demo")]
    assert [label for label, _hook in demo_registry._demo_hooks("finish_demo")] == ["strategy"]
    calls: list[tuple[str, str]] = []

    def hooks(name: str) -> list[tuple[str, demo_registry.DemoLoader]]:
        if name == "load_demo":
            return []
        return [(room, lambda *, out, room=room: calls.append((name, room))) for room in ("a", "b")]

    monkeypatch.setattr(demo_registry, "_demo_hooks", hooks)
    demo_registry.demo_load_all(out=io.StringIO())
    assert calls == [("after_demo", "a"), ("after_demo", "b"), ("finish_demo", "a"), ("finish_demo", "b")]
