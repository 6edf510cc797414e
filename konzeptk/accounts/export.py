"""Registry of personal-data export sections (DSGVO Art. 15 and 20).

Every app that stores something about a person registers a section, best in its own
``konzeptk/<app>/exports.py`` (found automatically)::

    from konzeptk.accounts.export import register_export_section

    def ideas_of(user):
        return [{"id": idea.pk, "title": idea.title, ...} for idea in user.ideas.all()]

    register_export_section("participation.ideas", ideas_of)

A section is a callable ``(user) -> JSON-serialisable value``. ``collect_export(user)`` runs all
of them and returns one document.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.utils import timezone

ExportSection = Callable[[Any], Any]

_sections: dict[str, ExportSection] = {}
_discovered = False

FORMAT_VERSION = 1


def register_export_section(name: str, section: ExportSection) -> ExportSection:
    """Register (or replace) the section ``name``; returns the callable so it can be a decorator's body."""
    _sections[name] = section
    return section


def export_section(name: str) -> Callable[[ExportSection], ExportSection]:
    """Decorator form of :func:`register_export_section`."""

    def decorate(section: ExportSection) -> ExportSection:
        return register_export_section(name, section)

    return decorate


def discover(module_name: str = "exports") -> None:
    """Import ``<app>.<module_name>`` for every installed Konzept K app that has one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("konzeptk."):
            continue
        candidate = f"{config.name}.{module_name}"
        if importlib.util.find_spec(candidate) is not None:
            importlib.import_module(candidate)


def registered_sections() -> dict[str, ExportSection]:
    global _discovered
    if not _discovered:
        discover("exports")
        _discovered = True
    return dict(sorted(_sections.items()))


def collect_export(user: Any) -> dict[str, Any]:
    """Everything stored about ``user``, as one JSON-serialisable document."""
    return {
        "format": "konzeptk-personal-data",
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "sections": {name: section(user) for name, section in registered_sections().items()},
    }
