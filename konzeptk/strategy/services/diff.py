"""What changed between two revisions of a strategy: the revision's own texts (title, motto, vision), every
element compared by key (added, removed, renamed, moved, new description) and the indicators of its goals
with their targets (an indicator belongs to a revision through the key of its goal)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError
from konzeptk.strategy.models import (
    Indicator,
    IndicatorTarget,
    Revision,
    element_kinds,
)

KINDS = ("added", "removed", "renamed", "moved", "changed")


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, renamed, moved, changed
    element_kind: str
    element_label: str
    title: str
    old_title: str = ""
    old_parent: str = ""
    new_parent: str = ""
    old_text: str = ""
    new_text: str = ""


@dataclass(frozen=True)
class TextChange:
    """A text of the revision itself (title, motto, vision) that differs."""

    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Section:
    kind: str
    heading: str
    changes: list[Change]


@dataclass
class RevisionDiff:
    a: Revision
    b: Revision
    changes: list[Change] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)
    indicators: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        result = dict.fromkeys(KINDS, 0)
        for c in self.changes:
            result[c.kind] += 1
        return result

    @property
    def sections(self) -> list[Section]:
        """The element changes grouped by kind, only the kinds that have a change."""
        headings = {
            "added": _("Neu"),
            "removed": _("Entfallen"),
            "renamed": _("Umbenannt"),
            "moved": _("Verschoben"),
            "changed": _("Beschreibung geändert"),
        }
        return [Section(k, headings[k], self.of_kind(k)) for k in KINDS if self.of_kind(k)]

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.texts or self.indicators)


def _snapshot(revision: Revision) -> dict[str, dict[uuid.UUID, tuple[str, str, str]]]:
    """Per element kind: key → (title, description, parent key|parent title)."""
    result: dict[str, dict[uuid.UUID, tuple[str, str, str]]] = {}
    for kind in element_kinds():
        qs = kind.model.objects.filter(revision=revision)
        if kind.parent_attr:
            rows = qs.values_list(
                "key", "title", "description", f"{kind.parent_attr}__key", f"{kind.parent_attr}__title"
            )
            result[kind.name] = {r[0]: (r[1], r[2], f"{r[3]}|{r[4]}") for r in rows}
        else:
            rows = qs.values_list("key", "title", "description")
            result[kind.name] = {r[0]: (r[1], r[2], "") for r in rows}
    return result


def _targets_text(targets: list[IndicatorTarget], unit: str) -> str:
    return "; ".join(
        _("Ziel %(year)s: %(value)s %(unit)s") % {"year": t.year, "value": f"{t.value:g}", "unit": unit}
        for t in targets
    )


def _indicator_changes(
    before: dict[uuid.UUID, tuple[str, str, str]], after: dict[uuid.UUID, tuple[str, str, str]]
) -> list[Change]:
    """Indicators whose goal is only in one of the two revisions (they came or went with it)."""
    keys = set(before) | set(after)
    if not keys:
        return []
    indicators = list(
        Indicator.objects.filter(goal_key__in=keys, published=True)
        .prefetch_related("targets")
        .order_by("name", "pk")
    )
    label = str(_("Kennzahl"))
    result: list[Change] = []
    for ind in indicators:
        assert ind.goal_key is not None
        targets = _targets_text(list(ind.targets.all()), ind.unit)
        old, new = before.get(ind.goal_key), after.get(ind.goal_key)
        if old is None and new is not None:
            result.append(Change("added", "indicator", label, ind.name, new_parent=new[0], new_text=targets))
        elif new is None and old is not None:
            result.append(
                Change("removed", "indicator", label, ind.name, old_parent=old[0], old_text=targets)
            )
    return result


def revision_diff(*, a: Revision, b: Revision) -> RevisionDiff:
    """What changed from ``a`` to ``b``: the revision's title, motto and vision; elements added, removed,
    renamed, moved (other parent) or with a changed description; indicators that came or went with their
    goal."""
    if a.pk == b.pk:
        raise DomainError(
            "same_revision",
            _("Sie haben zweimal Fassung %(version)s gewählt. Bitte wählen Sie zwei verschiedene Fassungen.")
            % {"version": a.version},
        )
    if a.strategy_id != b.strategy_id:
        raise DomainError("other_strategy", _("Die Fassungen gehören zu verschiedenen Strategien."))
    diff = RevisionDiff(a=a, b=b)
    for name, label in (("title", _("Titel")), ("motto", _("Leitbild")), ("vision", _("Vision"))):
        old_text, new_text = getattr(a, name) or "", getattr(b, name) or ""
        if old_text.strip() != new_text.strip():
            diff.texts.append(TextChange(name, str(label), old_text, new_text))
    old, new = _snapshot(a), _snapshot(b)
    for kind in element_kinds():
        before, after = old[kind.name], new[kind.name]
        for key, (title, _desc, _parent) in sorted(after.items(), key=lambda kv: kv[1][0]):
            if key not in before:
                diff.changes.append(
                    Change("added", kind.name, kind.label, title, new_parent=_parent.split("|", 1)[-1])
                )
        for key, (title, _desc, _parent) in sorted(before.items(), key=lambda kv: kv[1][0]):
            if key not in after:
                diff.changes.append(
                    Change("removed", kind.name, kind.label, title, old_parent=_parent.split("|", 1)[-1])
                )
        for key in sorted(set(before) & set(after), key=lambda k: after[k][0]):
            (t0, d0, p0), (t1, d1, p1) = before[key], after[key]
            touched = False
            if t0 != t1:
                diff.changes.append(Change("renamed", kind.name, kind.label, t1, old_title=t0))
                touched = True
            if p0.split("|", 1)[0] != p1.split("|", 1)[0]:
                diff.changes.append(
                    Change(
                        "moved",
                        kind.name,
                        kind.label,
                        t1,
                        old_parent=p0.split("|", 1)[-1],
                        new_parent=p1.split("|", 1)[-1],
                    )
                )
                touched = True
            if d0.strip() != d1.strip():
                diff.changes.append(Change("changed", kind.name, kind.label, t1, old_text=d0, new_text=d1))
                touched = True
            if not touched:
                diff.unchanged += 1
    diff.indicators = _indicator_changes(old["goal"], new["goal"])
    return diff
