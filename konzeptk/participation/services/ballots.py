"""Writes of the participation app: typed, keyword-only, each in one transaction. (ballots)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from konzeptk.participation.models import (
    Ballot,
    Idea,
    Vote,
)
from konzeptk.participation.services.common import _denied, _require

# --- ballots ---------------------------------------------------------------------------------


def ballot_vote_set(*, ballot: Ballot, user: Any, idea_ids: list[int]) -> list[int]:
    """Replace the person's votes in the ballot by ``idea_ids`` (changeable until the phase ends).

    A fixed-votes ballot refuses more ideas than votes; a budget ballot refuses a selection whose
    costs exceed the budget. Nothing changes when the selection is refused.
    """
    process = ballot.phase.process
    _require(user, "vote", process)
    if not ballot.phase.is_active():
        raise _denied(_("Diese Abstimmung läuft nicht mehr."))
    wanted = sorted(set(idea_ids))
    ideas = list(Idea.objects.visible().filter(process=process, pk__in=wanted).only("id", "cost", "title"))
    if len(ideas) != len(wanted):
        raise ValidationError({"ideas": _("Mindestens ein gewählter Vorschlag steht nicht zur Abstimmung.")})
    if ballot.kind == Ballot.Kind.VOTES and len(ideas) > ballot.votes_per_person:
        raise ValidationError(
            {
                "ideas": _("Sie haben %(n)d Vorschläge gewählt, aber nur %(max)d Stimmen.")
                % {"n": len(ideas), "max": ballot.votes_per_person}
            }
        )
    if ballot.kind == Ballot.Kind.BUDGET:
        if any(i.cost is None for i in ideas):
            raise ValidationError(
                {"ideas": _("Mindestens ein gewählter Vorschlag hat keine Kostenschätzung.")}
            )
        total = sum(i.cost or 0 for i in ideas)
        if total > (ballot.budget or 0):
            raise ValidationError(
                {
                    "ideas": _(
                        "Ihre Auswahl kostet %(total)s Euro und überschreitet das Budget von %(budget)s Euro."
                    )
                    % {
                        "total": f"{total:,}".replace(",", "."),
                        "budget": f"{ballot.budget or 0:,}".replace(",", "."),
                    }
                }
            )
    try:
        with transaction.atomic():
            Vote.objects.filter(ballot=ballot, user=user).exclude(idea_id__in=wanted).delete()
            existing = set(Vote.objects.filter(ballot=ballot, user=user).values_list("idea_id", flat=True))
            Vote.objects.bulk_create(
                [Vote(ballot=ballot, user=user, idea_id=pk) for pk in wanted if pk not in existing]
            )
    except IntegrityError as exc:
        raise _denied(
            _("Ihre Stimmen wurden gerade gleichzeitig geändert. Bitte versuchen Sie es noch einmal.")
        ) from exc
    return wanted


SURVEY_TEXT_MAX = 5_000
