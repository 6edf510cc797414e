"""Who may do what with the register of units (django-rules predicates).

The inner-city coordination is the group ``Innenstadtkoordination`` (:data:`COORDINATION_GROUP`);
platform staff may do everything the coordination may. Owners and agents edit their own units.
"""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

COORDINATION_GROUP = "Innenstadtkoordination"


def is_platform_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_platform_staff)


def is_coordination(user: Any) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.is_platform_staff or user.groups.filter(name=COORDINATION_GROUP).exists())
    )


def owns_unit(user: Any, unit: Any) -> bool:
    return bool(user and user.is_authenticated and unit is not None and unit.owner_id == user.pk)


def may_edit_unit(user: Any, unit: Any) -> bool:
    return owns_unit(user, unit) or is_coordination(user)


def is_registered_owner(user: Any) -> bool:
    return bool(user and user.is_authenticated and hasattr(user, "innercity_owner"))


# the register, owners' verification, counts: the coordination (and platform staff)
add_perm("innercity.coordinate", predicate(is_coordination))  # type: ignore[no-untyped-call, unused-ignore]
# editing a unit and its photos: its owner or agent, or the coordination
add_perm("innercity.edit_unit", predicate(may_edit_unit))  # type: ignore[no-untyped-call, unused-ignore]
# offering units at all: a person who registered as owner or agent
add_perm("innercity.offer_units", predicate(is_registered_owner))  # type: ignore[no-untyped-call, unused-ignore]
