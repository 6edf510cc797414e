"""Writes of the participation app: typed, keyword-only, each in one transaction. (supports)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.participation.models import (
    Follow,
    Idea,
    Process,
    Support,
)
from konzeptk.participation.services.common import Actor, _person, _require

# --- supports and follows --------------------------------------------------------------------


def support_add(*, idea: Idea, user: Actor, at: dt.datetime | None = None) -> bool:
    """Support an idea. Idempotent: True when this call added the support, False if it existed.

    The unique constraint (idea, user) decides under concurrency; the counter moves with F() in
    the same transaction as the row, so it always equals the number of rows. ``at``: when the
    support was given, if entered afterwards (the rules are asked for that moment).
    """
    _require(user, "support", idea, now=at)
    person = _person(user, _("Bitte melden Sie sich an, um mitzumachen."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(idea=idea, user=person, created_at=at or timezone.now())
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    return True


def support_remove(*, idea: Idea, user: Actor) -> bool:
    _require(user, "support", idea)
    person = _person(user, _("Bitte melden Sie sich an, um mitzumachen."))
    with transaction.atomic():
        deleted, _detail = Support.objects.filter(idea=idea, user=person).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)


@transaction.atomic
def follow_set(*, user: Actor, on: bool, idea: Idea | None = None, process: Process | None = None) -> bool:
    person = _person(user, _("Bitte melden Sie sich an, um Beiträgen zu folgen."))
    if (idea is None) == (process is None):
        raise ValueError("follow exactly one idea or process")
    lookup = {"idea": idea} if idea is not None else {"process": process}
    if on:
        Follow.objects.get_or_create(user=person, **lookup)
    else:
        Follow.objects.filter(user=person, **lookup).delete()
    return on
