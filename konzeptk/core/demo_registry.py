"""The demo-content registry: each app may offer ``konzeptk.<app>.demo.load_demo(*, out)``.

``konzeptk demo`` calls them in the order of INSTALLED_APPS (foundation first), each in its own
transaction, and every loader must be idempotent: running the demo twice duplicates nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import transaction

DemoLoader = Callable[..., None]


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("konzeptk."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        loader = getattr(module, "load_demo", None)
        if loader is not None:
            loaders.append((config.label, loader))
    return loaders


def demo_load_all(*, out: Any) -> None:
    for label, loader in demo_loaders():
        with transaction.atomic():
            loader(out=out)
        out.write(f"  Demo-Inhalte geladen: {label}\n")
    # ``after_demo(*, out)``: work that needs the demo content of apps loaded later (e.g. strategy
    # computes the indicator values bound to the sensing demo's data series; pages never compute).
    for config in apps.get_app_configs():
        if not config.name.startswith("konzeptk."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        after = getattr(module, "after_demo", None)
        if after is not None:
            with transaction.atomic():
                after(out=out)
