"""Writes of the ballots app: typed, keyword-only, each in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.ballots.models import Ballot, Vote
from konzeptk.core.errors import DomainError
from konzeptk.core.numbers import money
from konzeptk.participation import rules
from konzeptk.participation.models import Idea, Phase

VOTES_PER_PERSON_MAX = 50
#: attempts of a vote that met a conflicting write before the person is asked to try again
RETRIES = 3


def _denied(message: str) -> DomainError:
    return DomainError("denied", message, 403)


def _euro(amount: int) -> str:
    return money(amount)


@transaction.atomic
def ballot_ensure(*, phase: Phase) -> Ballot:
    """The ballot of a ballot phase, created with three votes per person if it has none yet."""
    ballot, _created = Ballot.objects.get_or_create(phase=phase)
    return ballot


@transaction.atomic
def ballot_configure(
    *, ballot: Ballot, by: User, kind: str, votes_per_person: int = 3, budget: int | None = None
) -> Ballot:
    """Organisers choose a fixed number of votes or a budget; possible until the first vote."""
    if not rules.is_editor(by, ballot.phase.process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Abstimmung einrichten."))
    if Vote.objects.filter(ballot=ballot).exists():
        raise _denied(_("Nach der ersten Stimme lässt sich die Abstimmung nicht mehr ändern."))
    if kind not in Ballot.Kind.values:
        raise ValidationError({"kind": _("Bitte wählen Sie die Art der Abstimmung.")})
    if kind == Ballot.Kind.VOTES and not (1 <= int(votes_per_person) <= VOTES_PER_PERSON_MAX):
        raise ValidationError({"votes_per_person": _("Bitte geben Sie 1 bis 50 Stimmen pro Person an.")})
    if kind == Ballot.Kind.BUDGET and not budget:
        raise ValidationError({"budget": _("Bitte geben Sie das Budget in Euro an.")})
    ballot.kind = kind
    ballot.votes_per_person = int(votes_per_person)
    ballot.budget = budget if kind == Ballot.Kind.BUDGET else None
    ballot.save()
    return ballot


def _check_selection(ballot: Ballot, ideas: list[Idea]) -> None:
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
                    "ideas": _("Ihre Auswahl kostet %(total)s und überschreitet das Budget von %(budget)s.")
                    % {"total": _euro(total), "budget": _euro(ballot.budget or 0)}
                }
            )


@transaction.atomic
def _replace_votes(ballot: Ballot, user: User, wanted: list[int]) -> None:
    """One person's selection replaced in one transaction. The person's account row is locked first,
    so two requests of the same person (a double click, two tabs) run one after the other and the
    last selection wins whole; different people never wait for each other."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    Vote.objects.filter(ballot=ballot, user=user).exclude(idea_id__in=wanted).delete()
    existing = set(Vote.objects.filter(ballot=ballot, user=user).values_list("idea_id", flat=True))
    Vote.objects.bulk_create(
        [Vote(ballot=ballot, user=user, idea_id=pk) for pk in wanted if pk not in existing]
    )


def ballot_vote_set(*, ballot: Ballot, user: User, idea_ids: list[int]) -> list[int]:
    """Replace the person's votes in the ballot by ``idea_ids`` (changeable until the phase ends).

    A fixed-votes ballot refuses more ideas than votes; a budget ballot refuses a selection whose
    costs exceed the budget. Nothing changes when the selection is refused. Two writes of the same
    person at the same moment run one after the other (the later selection wins); a conflict is
    retried, not reported as bad input.
    """
    process = ballot.phase.process
    reason = rules.denial(user, "vote", process)
    if reason:
        raise _denied(reason)
    if not ballot.phase.is_active():
        raise _denied(_("Diese Abstimmung läuft nicht mehr."))
    wanted = sorted(set(idea_ids))
    ideas = list(Idea.objects.visible().filter(process=process, pk__in=wanted).only("id", "cost", "title"))
    if len(ideas) != len(wanted):
        raise ValidationError({"ideas": _("Mindestens ein gewählter Vorschlag steht nicht zur Abstimmung.")})
    _check_selection(ballot, ideas)
    for attempt in range(RETRIES):
        try:
            _replace_votes(ballot, user, wanted)
        except IntegrityError as exc:  # pragma: no cover – the row lock in _replace_votes prevents it
            if attempt == RETRIES - 1:
                raise _denied(
                    _("Ihre Stimmen wurden gerade gleichzeitig geändert. Bitte versuchen Sie es noch einmal.")
                ) from exc
        else:
            break
    return wanted
