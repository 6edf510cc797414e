"""Writes of the participation app: typed, keyword-only, each in one transaction. (supports)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from konzeptk.participation.models import (
    Follow,
    Idea,
    Process,
    Support,
)
from konzeptk.participation.services.common import _denied, _require

# --- supports and follows --------------------------------------------------------------------


def support_add(*, idea: Idea, user: Any) -> bool:
    """Support an idea. Idempotent: True when this call added the support, False if it existed.

    The unique constraint (idea, user) decides under concurrency; the counter moves with F() in
    the same transaction as the row, so it always equals the number of rows.
    """
    _require(user, "support", idea)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(idea=idea, user=user)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    return True


def support_remove(*, idea: Idea, user: Any) -> bool:
    _require(user, "support", idea)
    with transaction.atomic():
        deleted, _detail = Support.objects.filter(idea=idea, user=user).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)


@transaction.atomic
def follow_set(*, user: Any, on: bool, idea: Idea | None = None, process: Process | None = None) -> bool:
    if not user.is_authenticated:
        raise _denied(_("Bitte melden Sie sich an, um Beiträgen zu folgen."))
    if (idea is None) == (process is None):
        raise ValueError("follow exactly one idea or process")
    lookup = {"idea": idea} if idea is not None else {"process": process}
    if on:
        Follow.objects.get_or_create(user=user, **lookup)
    else:
        Follow.objects.filter(user=user, **lookup).delete()
    return on
