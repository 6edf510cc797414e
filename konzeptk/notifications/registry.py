"""The registry of notification kinds.

Every app that tells people things registers its kinds from its ``AppConfig.ready()``::

    from konzeptk.notifications.registry import kinds

    kinds.register("reply", _("Kommentare und Antworten zu Ideen, denen ich folge"))

The key is stored with each inbox entry and each queued mail (``Notification.kind``, ``Mail.kind``),
so it never changes once used. The German label is what the settings page shows: there each
person chooses per kind whether and how often it reaches them by e-mail. Kinds registered with
``configurable=False`` (the confirmation of an address) are not offered there.

Apps may also add a section to the settings page (``register_settings_section``): a template and
a function giving its context for the person.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from konzeptk.accounts.models import User

#: built in: anything that has no kind of its own
OTHER = "other"
#: built in: the confirmation mail of an address without an account (optin.py)
OPT_IN = "optin"

KEY_MAX = 50


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    app: str
    configurable: bool = True
    order: int = 100


class KindRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}

    def register(
        self, key: str, label: str | Promise, *, configurable: bool = True, order: int = 100, app: str = ""
    ) -> Kind:
        """Register ``key`` (again: replaced, so a repeated ``ready()`` is harmless)."""
        if not key or len(key) > KEY_MAX or not key.replace("_", "").replace(".", "").isalnum():
            raise ValueError(f"Ungültiger Schlüssel für eine Benachrichtigungsart: {key!r}")
        kind = Kind(key=key, label=label, app=app, configurable=configurable, order=order)
        self._kinds[key] = kind
        return kind

    def unregister(self, key: str) -> None:
        self._kinds.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self._kinds

    def get(self, key: str) -> Kind:
        """The kind of ``key``; an unknown (no longer registered) key reads as a kind of its own."""
        return self._kinds.get(key) or Kind(key=key, label=key, app="", configurable=False)

    def label(self, key: str) -> str:
        return str(self.get(key).label)

    def all(self) -> list[Kind]:
        return sorted(self._kinds.values(), key=lambda k: (k.order, str(k.label)))

    def configurable(self) -> list[Kind]:
        """The kinds offered on the settings page, in their order."""
        return [k for k in self.all() if k.configurable]


kinds = KindRegistry()


@dataclass(frozen=True)
class SettingsSection:
    """A part of the settings page an app adds below the form (e.g. the processes one follows)."""

    key: str
    template: str
    context: Callable[[User], Mapping[str, object]]


_sections: dict[str, SettingsSection] = {}


def register_settings_section(
    key: str, template: str, context: Callable[[User], Mapping[str, object]]
) -> None:
    _sections[key] = SettingsSection(key=key, template=template, context=context)


def settings_sections() -> list[SettingsSection]:
    return list(_sections.values())
