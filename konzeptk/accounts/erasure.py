"""Registry of erasers: what every app does with a person's data when the person deletes the account.

An app registers an eraser, best in its own ``konzeptk/<app>/erasure.py`` (found automatically)::

    from konzeptk.accounts.erasure import register_eraser

    def anonymise_ideas(user):
        # Contributions stay, but without anything that identifies the person.
        user.ideas.update(author_contact="")

    register_eraser("participation.ideas", anonymise_ideas)

An eraser is a callable ``(user) -> None``. ``konzeptk.accounts.services.user_erase`` calls all of
them inside its transaction before it empties the account itself; if one fails, nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from konzeptk.accounts.export import discover

Eraser = Callable[[Any], None]

_erasers: dict[str, Eraser] = {}
_discovered = False


def register_eraser(name: str, eraser: Eraser) -> Eraser:
    _erasers[name] = eraser
    return eraser


def registered_erasers() -> dict[str, Eraser]:
    global _discovered
    if not _discovered:
        discover("erasure")
        _discovered = True
    return dict(sorted(_erasers.items()))


def run_erasers(user: Any) -> list[str]:
    """Run every registered eraser for ``user``; returns their names in the order they ran."""
    names = []
    for name, eraser in registered_erasers().items():
        eraser(user)
        names.append(name)
    return names
