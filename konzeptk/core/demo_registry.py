"""The demo-content registry: each app may offer ``konzeptk.<app>.demo.load_demo(*, out)``.

``konzeptk demo`` calls them in the order of INSTALLED_APPS (foundation first), each in its own
transaction, and every loader must be idempotent: running the demo twice duplicates nothing. Then the
optional ``after_demo`` and ``finish_demo`` of every room, in two passes (:data:`LATER_PASSES`).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import transaction

DemoLoader = Callable[..., None]


def _demo_hooks(name: str) -> list[tuple[str, DemoLoader]]:
    """The function ``name`` of every room's ``demo.py`` that has one, in the order of INSTALLED_APPS."""
    hooks = []
    for config in apps.get_app_configs():
        if not config.name.startswith("konzeptk."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        hook = getattr(module, name, None)
        if hook is not None:
            hooks.append((config.label, hook))
    return hooks


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    return _demo_hooks("load_demo")


#: The passes after every room's ``load_demo``, in this order. ``after_demo(*, out)``: work that needs
#: the demo content of apps loaded later (e.g. education's simulated bookings, opendata's catalogue of
#: every room's datasets). ``finish_demo(*, out)``: work that needs what the ``after_demo`` hooks made
#: (strategy computes the indicators bound to data series and to other rooms' figures, among them the
#: education offers' reach from those bookings; pages never compute).
LATER_PASSES = ("after_demo", "finish_demo")


def demo_load_all(*, out: Any) -> None:
    for label, loader in demo_loaders():
        with transaction.atomic():
            loader(out=out)
        out.write(f"  Demo-Inhalte geladen: {label}\n")
    for name in LATER_PASSES:
        for _label, hook in _demo_hooks(name):
            with transaction.atomic():
                hook(out=out)
