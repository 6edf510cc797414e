"""What changed between two revisions of a strategy, element by element (compared by key)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError
from konzeptk.strategy.models import (
    Revision,
    element_kinds,
)


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, renamed, moved, changed
    element_kind: str
    element_label: str
    title: str
    old_title: str = ""
    old_parent: str = ""
    new_parent: str = ""


@dataclass
class RevisionDiff:
    a: Revision
    b: Revision
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        result = dict.fromkeys(("added", "removed", "renamed", "moved", "changed"), 0)
        for c in self.changes:
            result[c.kind] += 1
        return result


def _snapshot(revision: Revision) -> dict[str, dict[uuid.UUID, tuple[str, str, str]]]:
    """Per element kind: key → (title, description, parent title)."""
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


def revision_diff(*, a: Revision, b: Revision) -> RevisionDiff:
    """What changed from ``a`` to ``b``: added, removed, renamed, moved (other parent), changed text."""
    if a.pk == b.pk:
        raise DomainError(
            "same_revision",
            _("Sie haben zweimal Fassung %(version)s gewählt. Bitte wählen Sie zwei verschiedene Fassungen.")
            % {"version": a.version},
        )
    if a.strategy_id != b.strategy_id:
        raise DomainError("other_strategy", _("Die Fassungen gehören zu verschiedenen Strategien."))
    diff = RevisionDiff(a=a, b=b)
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
            if d0 != d1:
                diff.changes.append(Change("changed", kind.name, kind.label, t1))
                touched = True
            if not touched:
                diff.unchanged += 1
    return diff
