"""Who may do what with events (django-rules permissions as thin wrappers around these functions)."""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate


def is_platform_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_platform_staff)


def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_submitter_or_staff(user: Any, event: Any) -> bool:
    if is_platform_staff(user):
        return True
    return bool(
        event is not None and getattr(user, "is_authenticated", False) and event.submitted_by_id == user.pk
    )


add_perm("events.submit", predicate(is_signed_in))  # type: ignore[no-untyped-call, unused-ignore]
add_perm("events.moderate", predicate(is_platform_staff))  # type: ignore[no-untyped-call, unused-ignore]
add_perm("events.manage_feeds", predicate(is_platform_staff))  # type: ignore[no-untyped-call, unused-ignore]
add_perm("events.view_own", predicate(is_submitter_or_staff))  # type: ignore[no-untyped-call, unused-ignore]
