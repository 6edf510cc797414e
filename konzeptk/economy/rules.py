"""Who may do what in economy: staff verify claims; verified owners (and staff) edit an entry."""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate


def is_platform_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "is_platform_staff", False))


def is_verified_owner(user: Any, business: Any) -> bool:
    if not (user and user.is_authenticated) or business is None:
        return False
    from konzeptk.economy.models import Claim

    return Claim.objects.filter(business=business, user=user, status=Claim.Status.VERIFIED).exists()


def may_change_business(user: Any, business: Any) -> bool:
    return is_platform_staff(user) or is_verified_owner(user, business)


add_perm("economy.change_own_business", predicate(may_change_business))  # type: ignore[no-untyped-call, unused-ignore]
add_perm("economy.verify_claims", predicate(is_platform_staff))  # type: ignore[no-untyped-call, unused-ignore]
