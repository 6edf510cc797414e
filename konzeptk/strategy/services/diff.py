"""What changed between two revisions of a strategy: the revision's own texts (title, motto, vision), every
element compared by key (added, removed, renamed, moved, new description) and the indicators of its goals
with their targets (an indicator belongs to a revision through the key of its goal; an adopted revision's
targets are the ones recorded at its adoption, see :mod:`konzeptk.strategy.services.targets`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from konzeptk.core import numbers
from konzeptk.core.errors import DomainError
from konzeptk.strategy.models import Revision, element_kinds
from konzeptk.strategy.services.targets import IndicatorState, states_of

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
class TargetChange:
    """A target of one year: added (``old`` None), removed (``new`` None) or changed."""

    year: int
    old: float | None
    new: float | None
    old_unit: str = ""
    new_unit: str = ""


@dataclass(frozen=True)
class IndicatorTargets:
    """An indicator in both revisions whose targets differ."""

    title: str
    goal: str
    changes: list[TargetChange]


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
    targets: list[IndicatorTargets] = field(default_factory=list)
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
        return not (self.changes or self.texts or self.indicators or self.targets)


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


def _targets_text(state: IndicatorState) -> str:
    return "; ".join(
        _("Ziel %(year)s: %(value)s %(unit)s")
        % {"year": year, "value": numbers.number(value, 2), "unit": state.unit}
        for year, value in sorted(state.targets.items())
    )


def _target_changes(old: IndicatorState, new: IndicatorState) -> list[TargetChange]:
    """Per year: a target that came, went or has another value (or unit)."""
    result: list[TargetChange] = []
    for year in sorted(set(old.targets) | set(new.targets)):
        before, after = old.targets.get(year), new.targets.get(year)
        if before is not None and after is not None and (before, old.unit) == (after, new.unit):
            continue
        result.append(TargetChange(year, before, after, old.unit, new.unit))
    return result


def _indicator_changes(
    diff: RevisionDiff,
    before: dict[uuid.UUID, tuple[str, str, str]],
    after: dict[uuid.UUID, tuple[str, str, str]],
) -> None:
    """Indicators only in one of the two revisions (they came or went, mostly with their goal) and the
    targets of the others that differ."""
    (old, new), names = states_of([(diff.a, set(before)), (diff.b, set(after))])
    label = str(_("Kennzahl"))

    def title(pk: int) -> str:
        return names.get(pk) or (new.get(pk) or old[pk]).name

    for pk in sorted(set(old) | set(new), key=lambda pk: (title(pk), pk)):
        o, n = old.get(pk), new.get(pk)
        if o is None and n is not None:
            diff.indicators.append(
                Change(
                    "added",
                    "indicator",
                    label,
                    title(pk),
                    new_parent=after[n.goal_key][0],
                    new_text=_targets_text(n),
                )
            )
        elif n is None and o is not None:
            diff.indicators.append(
                Change(
                    "removed",
                    "indicator",
                    label,
                    title(pk),
                    old_parent=before[o.goal_key][0],
                    old_text=_targets_text(o),
                )
            )
        elif o is not None and n is not None:
            changes = _target_changes(o, n)
            if changes:
                diff.targets.append(IndicatorTargets(title(pk), after[n.goal_key][0], changes))


def revision_diff(*, a: Revision, b: Revision) -> RevisionDiff:
    """What changed from ``a`` to ``b``: the revision's title, motto and vision; elements added, removed,
    renamed, moved (other parent) or with a changed description; indicators that came or went (mostly with
    their goal) and targets added, removed or changed in place."""
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
    _indicator_changes(diff, old["goal"], new["goal"])
    return diff
