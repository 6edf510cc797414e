"""Reads of strategies and their revisions: the adopted one, the ones a person may see, the elements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from konzeptk.strategy.models import (
    CrossCuttingTheme,
    ElementKind,
    FieldOfAction,
    Goal,
    Measure,
    Revision,
    RevisionElement,
    Strategy,
    SubTopic,
    element_kinds,
)


def main_strategy() -> Strategy | None:
    return Strategy.objects.order_by("pk").first()


def adopted_revision(strategy: Strategy | None = None) -> Revision | None:
    strategy = strategy or main_strategy()
    if strategy is None:
        return None
    return Revision.objects.filter(strategy=strategy, status=Revision.Status.ADOPTED).first()


def public_revisions(strategy: Strategy) -> QuerySet[Revision]:
    return (
        Revision.objects.filter(strategy=strategy).exclude(status=Revision.Status.DRAFT).order_by("-version")
    )


def main_public_revisions() -> QuerySet[Revision]:
    """The adopted and superseded revisions of the main strategy (none without a strategy)."""
    strategy = main_strategy()
    return public_revisions(strategy) if strategy is not None else Revision.objects.none()


def fields_with_sub_topics(revision: Revision) -> QuerySet[FieldOfAction]:
    return (
        FieldOfAction.objects.filter(revision=revision)
        .prefetch_related(Prefetch("sub_topics", queryset=SubTopic.objects.order_by("position", "pk")))
        .order_by("position", "pk")
    )


def goals_of(revision: Revision, *, field: uuid.UUID | None = None, city_concept: str = "") -> QuerySet[Goal]:
    """The goals of a revision, optionally of one field of action or mentioning a city concept."""
    qs = Goal.objects.filter(revision=revision).select_related("field").order_by("position", "pk")
    if field:
        qs = qs.filter(field__key=field)
    if city_concept:
        qs = qs.filter(city_concept__icontains=city_concept)
    return qs


def revision_by_version(strategy: Strategy, version: int | str) -> Revision | None:
    """The revision with this number (any status: callers check who may see it); None for a non-number."""
    if not str(version).isdigit():
        return None
    return Revision.objects.filter(strategy=strategy, version=int(version)).first()


def revisions_for(strategy: Strategy, *, with_drafts: bool) -> list[Revision]:
    """Newest first: every revision (for those who may edit them) or the adopted and superseded ones."""
    if with_drafts:
        return list(Revision.objects.filter(strategy=strategy).order_by("-version"))
    return list(public_revisions(strategy))


def strategy_revisions(strategy: Strategy | None) -> list[Revision]:
    """Every revision, newest first (the core team's workspace)."""
    if strategy is None:
        return []
    return list(Revision.objects.filter(strategy=strategy).order_by("-version"))


def fields_of(revision: Revision | None) -> list[FieldOfAction]:
    if revision is None:
        return []
    return list(FieldOfAction.objects.filter(revision=revision).order_by("position", "pk"))


def field_detail(revision: Revision, key: uuid.UUID) -> FieldOfAction | None:
    """A field of action with its sub-topics and its goals with their measures."""
    return (
        FieldOfAction.objects.prefetch_related(
            Prefetch("sub_topics", queryset=SubTopic.objects.order_by("position", "pk")),
            Prefetch("goals", queryset=Goal.objects.order_by("position", "pk").prefetch_related("measures")),
        )
        .filter(revision=revision, key=key)
        .first()
    )


def goal_in(revision: Revision | None, key: uuid.UUID | None) -> Goal | None:
    """The goal with this key in ``revision`` (with its field of action)."""
    if revision is None or key is None:
        return None
    return Goal.objects.select_related("field").filter(revision=revision, key=key).first()


def document_elements(revision: Revision) -> tuple[list[FieldOfAction], list[CrossCuttingTheme]]:
    """Everything of one revision in the order of the Handlungsprogramm (fields with sub-topics, goals
    and measures; the cross-cutting themes)."""
    fields = list(
        FieldOfAction.objects.filter(revision=revision)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("sub_topics", queryset=SubTopic.objects.order_by("position", "pk")),
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("measures", queryset=Measure.objects.order_by("position", "pk"))
                ),
            ),
        )
    )
    themes = list(CrossCuttingTheme.objects.filter(revision=revision).order_by("position", "pk"))
    return fields, themes


@dataclass
class DraftSection:
    """One kind of element of a draft with its items and the elements it can be placed under."""

    kind: ElementKind
    items: list[RevisionElement]
    parents: list[RevisionElement] | None


PARENT_KIND = {"sub_topic": "field", "goal": "field", "measure": "goal"}


def draft_sections(revision: Revision) -> list[DraftSection]:
    parents: dict[str, list[RevisionElement]] = {
        "field": list(FieldOfAction.objects.filter(revision=revision).order_by("position", "pk")),
        "goal": list(Goal.objects.filter(revision=revision).order_by("position", "pk")),
    }
    sections = []
    for kind in element_kinds():
        qs = kind.model.objects.filter(revision=revision).order_by("position", "pk")
        if kind.parent_attr:
            qs = qs.select_related(kind.parent_attr)
        sections.append(DraftSection(kind, list(qs), parents.get(PARENT_KIND.get(kind.name, ""))))
    return sections
