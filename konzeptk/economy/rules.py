"""Who may do what in economy (django-rules predicates)."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_platform_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "is_platform_staff", False))


@rules.predicate
def is_verified_owner(user: Any, business: Any) -> bool:
    if not (user and user.is_authenticated) or business is None:
        return False
    from konzeptk.economy.models import Claim

    return Claim.objects.filter(business=business, user=user, status=Claim.Status.VERIFIED).exists()


rules.add_perm("economy.change_own_business", is_verified_owner | is_platform_staff)
rules.add_perm("economy.verify_claims", is_platform_staff)
