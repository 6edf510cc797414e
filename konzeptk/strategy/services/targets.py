"""The targets of a revision's indicators as they were when the council adopted it.

Targets (:class:`~konzeptk.strategy.models.IndicatorTarget`) belong to the indicator, not to a revision, and
are changed in place. So that the comparison of two revisions can show a changed target, ``revision_adopt``
records them on the revision (``Revision.indicator_targets``), for every published indicator of the
revision's goals::

    {"<indicator id>": {"name": "…", "unit": "%", "goal": "<goal key>", "targets": {"2030": 40.0}}}

The comparison reads an adopted or superseded revision from this record and a draft (or a revision with no
record) from the targets as they are now (:func:`states_of`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from konzeptk.core.content import german
from konzeptk.strategy.models import Indicator, IndicatorTarget, Revision


@dataclass(frozen=True)
class IndicatorState:
    """An indicator of a revision: its name and unit, its goal (key) and its targets (year → value)."""

    name: str
    unit: str
    goal_key: uuid.UUID
    targets: Mapping[int, float]


def _indicators(query: Q) -> list[Indicator]:
    return list(
        Indicator.objects.filter(query)
        .prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")))
        .order_by("pk")
    )


def _state(indicator: Indicator, name: str) -> IndicatorState:
    assert indicator.goal_key is not None
    return IndicatorState(
        name=name,
        unit=indicator.unit,
        goal_key=indicator.goal_key,
        targets={t.year: t.value for t in indicator.targets.all()},
    )


def targets_record(goal_keys: Iterable[uuid.UUID]) -> dict[str, Any]:
    """The record ``revision_adopt`` stores: the published indicators of these goals with their targets now
    (names in German, the language the strategy is adopted in)."""
    keys = set(goal_keys)
    if not keys:
        return {}
    return {
        str(ind.pk): {
            "name": german(ind, "name") or ind.name,
            "unit": ind.unit,
            "goal": str(ind.goal_key),
            "targets": {str(t.year): t.value for t in ind.targets.all()},
        }
        for ind in _indicators(Q(goal_key__in=keys, published=True))
    }


def uses_record(revision: Revision) -> bool:
    """An adopted or superseded revision with a record is compared as adopted; others with today's targets."""
    return revision.status != Revision.Status.DRAFT and revision.indicator_targets is not None


def _recorded(revision: Revision) -> dict[int, IndicatorState] | None:
    record: Mapping[str, Any] | None = revision.indicator_targets
    if record is None or not uses_record(revision):
        return None
    return {
        int(pk): IndicatorState(
            name=str(row["name"]),
            unit=str(row["unit"]),
            goal_key=uuid.UUID(str(row["goal"])),
            targets={int(year): float(value) for year, value in row["targets"].items()},
        )
        for pk, row in record.items()
    }


def states_of(
    revisions: Sequence[tuple[Revision, set[uuid.UUID]]],
) -> tuple[list[dict[int, IndicatorState]], dict[int, str]]:
    """For each (revision, keys of its goals): the published indicators of those goals by id with their
    targets – as recorded at adoption or as they are now (see :func:`uses_record`). Also the names of the
    indicators that still exist, in the page's language. Two queries at most, whatever the number."""
    recorded = [_recorded(revision) for revision, _goals in revisions]
    live_keys: set[uuid.UUID] = set()
    for (_revision, goals), states in zip(revisions, recorded, strict=True):
        if states is None:
            live_keys |= goals
    recorded_ids = {pk for states in recorded if states for pk in states}
    indicators = (
        _indicators(Q(goal_key__in=live_keys, published=True) | Q(pk__in=recorded_ids))
        if live_keys or recorded_ids
        else []
    )
    names = {ind.pk: ind.name for ind in indicators}
    live = {
        ind.pk: _state(ind, ind.name)
        for ind in indicators
        if ind.published and ind.goal_key is not None and ind.goal_key in live_keys
    }
    result: list[dict[int, IndicatorState]] = []
    for (_revision, goals), states in zip(revisions, recorded, strict=True):
        source = live if states is None else states
        result.append({pk: s for pk, s in source.items() if s.goal_key in goals})
    return result, names
