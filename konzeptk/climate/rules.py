"""Who may enter climate figures: platform staff (the Smart City core team)."""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate


def is_platform_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_platform_staff)


add_perm("climate.edit", predicate(is_platform_staff))  # type: ignore[no-untyped-call, unused-ignore]
