"""Reads behind the pages and the JSON API of insights: the process or "Meinungsbild" phase a URL
names, the statements of a phase, its computed opinion landscape and the texts and titles it shows.

Each function is one query. Who may see what is decided by :mod:`konzeptk.insights.rules`, not here:
the page lookups return what exists, the ``public_*`` lookups only what is public.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from konzeptk.accounts.models import User
from konzeptk.insights import phases
from konzeptk.insights.models import OpinionLandscape, Statement, StatementVote
from konzeptk.participation.models import Idea, Phase, Process


# --- What a URL names -----------------------------------------------------------------------
def process_for_page(slug: str) -> Process | None:
    """The process with this slug, public or not, with its organiser and phases."""
    return Process.objects.filter(slug=slug).select_related("organiser").prefetch_related("phases").first()


def opinion_phase_for_page(pk: int) -> Phase | None:
    """The "Meinungsbild" phase with this id, public or not, with its process."""
    return (
        Phase.objects.filter(pk=pk, type__in=phases.opinion_phase_types()).select_related("process").first()
    )


def public_process(slug: str) -> Process | None:
    """The public process with this slug, with its phases."""
    return Process.objects.public().filter(slug=slug).prefetch_related("phases").first()


def public_opinion_phase(pk: int) -> Phase | None:
    """The "Meinungsbild" phase with this id if its process is public."""
    return Phase.objects.filter(
        pk=pk, type__in=phases.opinion_phase_types(), process__in=Process.objects.public()
    ).first()


# --- Statements -----------------------------------------------------------------------------
def statement_in_phase(phase: Phase, pk: int, *, with_process: bool = False) -> Statement | None:
    """The statement with this id if it belongs to ``phase`` (whatever its status)."""
    qs = Statement.objects.filter(pk=pk, phase=phase)
    if with_process:
        qs = qs.select_related("phase__process")
    return qs.first()


def approved_statements(phase: Phase) -> list[tuple[int, str]]:
    """(id, text) of every approved statement of the phase."""
    return list(Statement.objects.approved().filter(phase=phase).values_list("pk", "text"))


def approved_statement_count(phase: Phase) -> int:
    return Statement.objects.approved().filter(phase=phase).count()


def voted_statement_ids(phase: Phase, user: User | AnonymousUser) -> set[int]:
    """Ids of the statements of the phase the person has voted on (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return set()
    return set(
        StatementVote.objects.filter(statement__phase=phase, user=user).values_list("statement_id", flat=True)
    )


def pending_statement_list(phase: Phase) -> QuerySet[Statement]:
    """The statements of the phase waiting for moderation, oldest first (lazy, for paging)."""
    return Statement.objects.filter(phase=phase, status=Statement.Status.PENDING).order_by("created_at", "pk")


def statement_texts(ids: Iterable[int]) -> dict[int, str]:
    """Statement id → text."""
    return dict(Statement.objects.filter(pk__in=ids).values_list("pk", "text"))


# --- Opinion landscape ----------------------------------------------------------------------
def landscape_of(phase: Phase) -> OpinionLandscape | None:
    """The computed opinion landscape of the phase, if one was computed."""
    return OpinionLandscape.objects.filter(phase=phase).first()


def idea_titles(ids: Iterable[int]) -> dict[int, str]:
    """Idea id → title."""
    return dict(Idea.objects.filter(pk__in=ids).values_list("pk", "title"))
