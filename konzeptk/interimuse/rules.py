"""Who may do what in the interim-use programme (django-rules predicates).

- ``interimuse.manage``: the inner-city coordination (the group named in ``innercity.rules``) and
  platform staff run calls, decide and make contracts.
- ``interimuse.score`` (object: a call): a member of the call's jury.
"""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from konzeptk.innercity.rules import COORDINATION_GROUP


def is_coordination(user: Any) -> bool:
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_platform_staff or user.groups.filter(name=COORDINATION_GROUP).exists())


def is_juror_of_call(user: Any, call: Any) -> bool:
    if not (user and user.is_authenticated) or call is None:
        return False
    return bool(call.jurors.filter(user_id=user.pk).exists())


add_perm("interimuse.manage", predicate(is_coordination))  # type: ignore[no-untyped-call, unused-ignore]
add_perm("interimuse.score", predicate(is_juror_of_call))  # type: ignore[no-untyped-call, unused-ignore]
