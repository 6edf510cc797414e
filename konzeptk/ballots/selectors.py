"""Reads of the ballots app: the ballot of a process, the ideas on it, a person's votes, the result."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from konzeptk.accounts.models import User
from konzeptk.ballots.models import Ballot, Vote
from konzeptk.participation.models import Idea, Process

#: height of one bar of the result chart, in SVG units
ROW_HEIGHT = 28
BAR_MAX = 400


@dataclass
class ResultRow:
    idea: Idea
    votes: int
    #: budget ballots: the idea is within the budget, filled from the top of the result
    funded: bool = False
    width: int = 0
    y: int = 0


def ballot_for(process: Process) -> Ballot | None:
    """The ballot of the process's most recent ballot phase, or None."""
    return (
        Ballot.objects.filter(phase__process=process)
        .select_related("phase", "phase__process")
        .order_by("-phase__start")
        .first()
    )


def ballot_of_phase(phase_id: int) -> Ballot | None:
    return Ballot.objects.filter(phase_id=phase_id).first()


def ballot_ideas(ballot: Ballot) -> QuerySet[Idea]:
    """The ideas to choose from: visible ideas of the process (with a cost estimate on a budget ballot)."""
    ideas: QuerySet[Idea] = (
        Idea.objects.visible()
        .filter(process=ballot.phase.process)
        .select_related("district")
        .defer("district__geometry")
        .order_by("title", "pk")
    )
    if ballot.is_budget:
        ideas = ideas.filter(cost__isnull=False)
    return ideas


def votes_of(ballot: Ballot, user: User | None) -> set[int]:
    """The ideas the person voted for in the ballot (empty for anonymous visitors)."""
    if user is None:
        return set()
    return set(Vote.objects.filter(ballot=ballot, user=user).values_list("idea_id", flat=True))


def ballot_has_votes(ballot: Ballot) -> bool:
    return Vote.objects.filter(ballot=ballot).exists()


def ballot_results(ballot: Ballot) -> list[ResultRow]:
    """Votes per idea, most first; every visible idea of the process appears (with 0). On a budget
    ballot the ideas are funded from the top as long as the budget lasts."""
    counts: dict[int, int] = dict(
        Vote.objects.filter(ballot=ballot)
        .values("idea_id")
        .annotate(n=Count("id"))
        .values_list("idea_id", "n")
    )
    ideas = (
        Idea.objects.visible().filter(process=ballot.phase.process).only("id", "title", "cost", "process_id")
    )
    rows = [ResultRow(idea=i, votes=counts.get(i.pk, 0)) for i in ideas]
    rows.sort(key=lambda r: (-r.votes, r.idea.pk))
    top = max((r.votes for r in rows), default=0) or 1
    remaining = ballot.budget or 0
    for index, row in enumerate(rows):
        cost = row.idea.cost
        if ballot.is_budget and row.votes > 0 and cost is not None and cost <= remaining:
            row.funded = True
            remaining -= cost
        row.width = round(BAR_MAX * row.votes / top)
        row.y = index * ROW_HEIGHT
    return rows
