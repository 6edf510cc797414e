"""Writes of the strategy: revisions (clone, edit, adopt), projects (stage changes), indicators (values).

Every function is keyword-only, runs in one transaction and records who did it and when. Refusals raise
:class:`~konzeptk.core.errors.DomainError` with a code and a German message the page or the API shows as it is.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.models import District
from konzeptk.core.errors import DomainError
from konzeptk.strategy.models import (
    ALLOWED_STAGE_TRANSITIONS,
    DECISION_STAGES,
    DECISION_TARGETS,
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Indicator,
    IndicatorBinding,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Project,
    ProjectLink,
    Revision,
    RevisionElement,
    Stage,
    StageTransition,
    Strategy,
    SubTopic,
    element_kinds,
)

# --- Revisions ------------------------------------------------------------------------------------


@transaction.atomic
def revision_clone(*, source: Revision, by: User | None, title: str | None = None) -> Revision:
    """A new draft with copies of every element of ``source``; each copy keeps its key."""
    Strategy.objects.select_for_update().get(pk=source.strategy_id)
    version = (
        Revision.objects.filter(strategy_id=source.strategy_id).aggregate(m=Max("version"))["m"] or 0
    ) + 1
    draft = Revision.objects.create(
        strategy_id=source.strategy_id,
        version=version,
        title=title or source.title,
        motto=source.motto,
        vision=source.vision,
        date=timezone.localdate(),
        status=Revision.Status.DRAFT,
        parent=source,
        created_by=by,
    )
    fields: dict[int, FieldOfAction] = {}
    for item in FieldOfAction.objects.filter(revision=source).order_by("pk"):
        old_pk = item.pk
        _copy(item, draft, by)
        fields[old_pk] = item
    for theme in CrossCuttingTheme.objects.filter(revision=source).order_by("pk"):
        _copy(theme, draft, by)
    for sub in SubTopic.objects.filter(revision=source).order_by("pk"):
        sub.field = fields[sub.field_id]
        _copy(sub, draft, by)
    goals: dict[int, Goal] = {}
    for goal in Goal.objects.filter(revision=source).order_by("pk"):
        old_pk = goal.pk
        goal.field = fields[goal.field_id]
        _copy(goal, draft, by)
        goals[old_pk] = goal
    for measure in Measure.objects.filter(revision=source).order_by("pk"):
        measure.goal = goals[measure.goal_id]
        _copy(measure, draft, by)
    return draft


def _copy(item: RevisionElement, draft: Revision, by: User | None) -> None:
    item.pk = None
    item.id = None  # type: ignore[attr-defined]
    item._state.adding = True
    item.revision = draft
    item.updated_by = by
    item.save()


def _require_draft(revision: Revision) -> None:
    if revision.status != Revision.Status.DRAFT:
        raise DomainError(
            "not_draft",
            _("Fassung %(version)s ist kein Entwurf mehr und kann nicht geändert werden.")
            % {"version": revision.version},
        )


@transaction.atomic
def revision_adopt(
    *, revision: Revision, by: User | None, council_decision: str, decided_on: dt.date | None = None
) -> Revision:
    """Adopt a draft: the adopted revision so far becomes superseded.

    Two adoptions at the same time: the strategy row is locked (and on SQLite the write transaction
    serialises them); the second sees that the draft's basis is no longer the adopted revision and is
    refused with a clear message. The partial unique constraint guards the database as well.
    """
    if not council_decision.strip():
        raise DomainError("decision_missing", _("Bitte geben Sie den Ratsbeschluss an."))
    Strategy.objects.select_for_update().get(pk=revision.strategy_id)
    fresh = Revision.objects.select_for_update().get(pk=revision.pk)
    if fresh.status != Revision.Status.DRAFT:
        raise DomainError(
            "already_adopted",
            _("Fassung %(version)s wurde inzwischen schon beschlossen oder abgelöst.")
            % {"version": fresh.version},
        )
    current = Revision.objects.filter(strategy_id=fresh.strategy_id, status=Revision.Status.ADOPTED).first()
    if current is not None and fresh.parent_id is not None and current.pk != fresh.parent_id:
        raise DomainError(
            "conflict",
            _(
                "Während Sie gearbeitet haben, wurde Fassung %(current)s beschlossen. Fassung %(version)s "
                "beruht auf einer älteren Fassung. Bitte vergleichen Sie beide und legen Sie einen neuen "
                "Entwurf an."
            )
            % {"current": current.version, "version": fresh.version},
        )
    if current is not None:
        current.status = Revision.Status.SUPERSEDED
        current.save(update_fields=["status"])
    fresh.status = Revision.Status.ADOPTED
    fresh.council_decision = council_decision.strip()
    fresh.date = decided_on or timezone.localdate()
    fresh.adopted_by = by
    fresh.adopted_at = timezone.now()
    try:
        with transaction.atomic():
            fresh.save(update_fields=["status", "council_decision", "date", "adopted_by", "adopted_at"])
    except IntegrityError as exc:
        raise DomainError(
            "conflict",
            _("Eine andere Fassung wurde gleichzeitig beschlossen. Bitte laden Sie die Seite neu."),
        ) from exc
    return fresh


@transaction.atomic
def revision_update(*, revision: Revision, by: User | None, title: str, motto: str, vision: str) -> Revision:
    _require_draft(revision)
    if not title.strip():
        raise DomainError("title_missing", _("Bitte geben Sie einen Titel an."))
    revision.title, revision.motto, revision.vision = title.strip(), motto.strip(), vision.strip()
    revision.save(update_fields=["title", "motto", "vision"])
    return revision


@transaction.atomic
def revision_delete_draft(*, revision: Revision, by: User | None) -> None:
    _require_draft(revision)
    revision.delete()


# --- Diff -----------------------------------------------------------------------------------------


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


# --- Editing a draft ------------------------------------------------------------------------------

ELEMENT_MODELS: dict[str, type[RevisionElement]] = {k.name: k.model for k in element_kinds()}
PARENT_KIND = {"sub_topic": "field", "goal": "field", "measure": "goal"}


def _parent(kind: str, revision: Revision, parent_id: int | None) -> RevisionElement | None:
    parent_kind = PARENT_KIND.get(kind)
    if parent_kind is None:
        return None
    parent = ELEMENT_MODELS[parent_kind].objects.filter(revision=revision, pk=parent_id).first()
    if parent is None:
        raise DomainError("parent_missing", _("Bitte wählen Sie, wozu das Element gehört."))
    return parent


@transaction.atomic
def element_add(
    *,
    revision: Revision,
    kind: str,
    title: str,
    by: User | None,
    description: str = "",
    parent_id: int | None = None,
    city_concept: str = "",
) -> RevisionElement:
    _require_draft(revision)
    if kind not in ELEMENT_MODELS:
        raise DomainError("unknown_kind", _("Unbekannte Art von Element."))
    if not title.strip():
        raise DomainError("title_missing", _("Bitte geben Sie einen Titel an."))
    model = ELEMENT_MODELS[kind]
    parent = _parent(kind, revision, parent_id)
    position = (model.objects.filter(revision=revision).aggregate(m=Max("position"))["m"] or 0) + 1
    attrs: dict[str, Any] = {
        "revision": revision,
        "title": title.strip(),
        "description": description.strip(),
        "position": position,
        "updated_by": by,
    }
    if parent is not None:
        attrs[PARENT_KIND[kind]] = parent
    if kind == "goal":
        attrs["city_concept"] = city_concept.strip()
    return model.objects.create(**attrs)


def _element(revision: Revision, kind: str, element_id: int) -> RevisionElement:
    model = ELEMENT_MODELS.get(kind)
    element = (
        model.objects.select_for_update().filter(revision=revision, pk=element_id).first() if model else None
    )
    if element is None:
        raise DomainError("not_found", _("Dieses Element gibt es in der Fassung nicht."), 404)
    return element


@transaction.atomic
def element_update(
    *,
    revision: Revision,
    kind: str,
    element_id: int,
    by: User | None,
    title: str,
    description: str | None = None,
    parent_id: int | None = None,
    position: int | None = None,
    city_concept: str | None = None,
) -> RevisionElement:
    """Rename, re-describe or move (other parent, other position) an element of a draft."""
    _require_draft(revision)
    element = _element(revision, kind, element_id)
    if not title.strip():
        raise DomainError("title_missing", _("Bitte geben Sie einen Titel an."))
    element.title = title.strip()
    if description is not None:
        element.description = description.strip()
    if parent_id is not None and kind in PARENT_KIND:
        setattr(element, PARENT_KIND[kind], _parent(kind, revision, parent_id))
    if position is not None:
        if position < 0:
            raise DomainError("position_invalid", _("Die Reihenfolge muss eine Zahl ab 0 sein."))
        element.position = position
    if city_concept is not None and isinstance(element, Goal):
        element.city_concept = city_concept.strip()
    element.updated_by = by
    element.save()
    return element


@transaction.atomic
def element_delete(*, revision: Revision, kind: str, element_id: int, by: User | None) -> None:
    _require_draft(revision)
    element = _element(revision, kind, element_id)
    if isinstance(element, FieldOfAction) and (element.goals.exists() or element.sub_topics.exists()):
        raise DomainError(
            "not_empty",
            _(
                "Das Handlungsfeld enthält noch Ziele oder Teilthemen. Bitte verschieben oder löschen Sie diese zuerst."
            ),
        )
    if isinstance(element, Goal) and element.measures.exists():
        raise DomainError(
            "not_empty",
            _("Das Ziel enthält noch Maßnahmen. Bitte verschieben oder löschen Sie diese zuerst."),
        )
    element.delete()


# --- Projects -------------------------------------------------------------------------------------


def _links(project: Project, kind: str, keys: Iterable[uuid.UUID]) -> None:
    keys = set(keys)
    project.links.filter(kind=kind).exclude(key__in=keys).delete()
    existing = set(project.links.filter(kind=kind).values_list("key", flat=True))
    ProjectLink.objects.bulk_create([ProjectLink(project=project, kind=kind, key=k) for k in keys - existing])


@transaction.atomic
def project_save(
    *,
    project: Project | None,
    by: User | None,
    data: dict[str, Any],
    partners: Iterable[Organisation] = (),
    districts: Iterable[District] = (),
    field_keys: Iterable[uuid.UUID] = (),
    goal_keys: Iterable[uuid.UUID] = (),
    measure_keys: Iterable[uuid.UUID] = (),
) -> Project:
    """Create or update a project with its links. Stage changes go through project_change_stage."""
    data = dict(data)
    data.pop("stage", None)
    for money in ("budget_planned", "budget_spent"):
        value = data.get(money)
        if value is not None and Decimal(value) < 0:
            raise DomainError("budget_negative", _("Beträge dürfen nicht negativ sein."))
    if project is None:
        project = Project(created_by=by, stage=Stage.IDEA)
    for name, value in data.items():
        setattr(project, name, value)
    project.updated_by = by
    project.save()
    project.partners.set(list(partners))
    project.districts.set(list(districts))
    _links(project, ProjectLink.Kind.FIELD, field_keys)
    _links(project, ProjectLink.Kind.GOAL, goal_keys)
    _links(project, ProjectLink.Kind.MEASURE, measure_keys)
    return project


@transaction.atomic
def project_change_stage(
    *,
    project: Project,
    to_stage: str,
    reason: str,
    by: User | None,
    on: dt.date | None = None,
    decision_record: str = "",
) -> StageTransition:
    fresh = Project.objects.select_for_update().get(pk=project.pk)
    if to_stage not in Stage.values:
        raise DomainError("stage_unknown", _("Diese Phase gibt es nicht."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Bitte begründen Sie den Phasenwechsel."))
    allowed = ALLOWED_STAGE_TRANSITIONS[Stage(fresh.stage)]
    if to_stage not in allowed:
        allowed_labels = ", ".join(str(Stage(s).label) for s in Stage.values if s in allowed) or _("keine")
        raise DomainError(
            "stage_jump",
            _(
                "Von „%(from)s“ kann ein Projekt nicht direkt nach „%(to)s“ wechseln. Möglich ist: %(allowed)s."
            )
            % {"from": Stage(fresh.stage).label, "to": Stage(to_stage).label, "allowed": allowed_labels},
        )
    needs_decision = fresh.stage in DECISION_STAGES and to_stage in DECISION_TARGETS
    if needs_decision and not (decision_record.strip() or fresh.decision_record.strip()):
        raise DomainError(
            "decision_missing",
            _("Bitte halten Sie fest, warum der Pilot ausgerollt oder eingestellt wird (Entscheidung)."),
        )
    day = on or timezone.localdate()
    last = fresh.transitions.order_by("-date").values_list("date", flat=True).first()
    if last is not None and day < last:
        raise DomainError(
            "date_before_last",
            _("Das Datum liegt vor dem letzten Phasenwechsel (%(date)s).") % {"date": last},
        )
    transition = StageTransition.objects.create(
        project=fresh,
        from_stage=fresh.stage,
        to_stage=to_stage,
        date=day,
        reason=reason.strip(),
        created_by=by,
    )
    fresh.stage = to_stage
    fresh.stage_since = day
    if decision_record.strip():
        fresh.decision_record = decision_record.strip()
    fresh.updated_by = by
    fresh.save(update_fields=["stage", "stage_since", "decision_record", "updated_by", "updated_at"])
    project.stage, project.stage_since, project.decision_record = (
        fresh.stage,
        fresh.stage_since,
        fresh.decision_record,
    )
    return transition


# --- Indicators -----------------------------------------------------------------------------------


def parse_number(raw: Any) -> float:
    """A number as people type it: "9", "9.5", "9,5", "1.234,5" (German) – else a clear refusal."""
    if isinstance(raw, bool):
        raise DomainError("not_a_number", _("Bitte geben Sie eine Zahl ein."))
    if isinstance(raw, int | float | Decimal):
        number = float(raw)
    else:
        text = str(raw).strip().replace("\u202f", "").replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise DomainError(
                "not_a_number",
                _("„%(value)s“ ist keine Zahl. Bitte geben Sie eine Zahl ein, z. B. 12,5.") % {"value": raw},
            ) from None
    if not math.isfinite(number):
        raise DomainError("not_a_number", _("Bitte geben Sie eine endliche Zahl ein."))
    return number


@transaction.atomic
def indicator_value_add(
    *,
    indicator: Indicator,
    value: Any,
    on: dt.date,
    by: User | None,
    source: str = IndicatorValue.Source.MANUAL,
    source_ref: str = "",
    is_demo_content: bool = False,
) -> IndicatorValue:
    number = parse_number(value)
    if on.year < indicator.baseline_year:
        raise DomainError(
            "before_baseline",
            _("Der Stichtag liegt vor dem Ausgangsjahr %(year)s.") % {"year": indicator.baseline_year},
        )
    if on > timezone.localdate():
        raise DomainError("in_future", _("Messwerte können nicht in der Zukunft liegen."))
    if source not in IndicatorValue.Source.values:
        raise DomainError("source_unknown", _("Unbekannte Herkunft des Wertes."))
    if IndicatorValue.objects.filter(indicator=indicator, date=on, source=source).exists():
        raise DomainError(
            "duplicate",
            _("Für den %(date)s gibt es schon einen Wert dieser Herkunft.")
            % {"date": on.strftime("%d.%m.%Y")},
        )
    return IndicatorValue.objects.create(
        indicator=indicator,
        value=number,
        date=on,
        source=source,
        source_ref=source_ref.strip(),
        created_by=by,
        is_demo_content=is_demo_content,
    )


@transaction.atomic
def indicator_target_set(
    *,
    indicator: Indicator,
    value: Any,
    year: Any,
    by: User | None,
    note: str = "",
    is_demo_content: bool = False,
) -> IndicatorTarget:
    number = parse_number(value)
    try:
        target_year = int(str(year).strip())
    except ValueError:
        raise DomainError("year_invalid", _("Bitte geben Sie das Zieljahr als Jahreszahl an.")) from None
    if target_year <= indicator.baseline_year:
        raise DomainError(
            "target_before_baseline",
            _("Das Zieljahr %(target)s muss nach dem Ausgangsjahr %(baseline)s liegen.")
            % {"target": target_year, "baseline": indicator.baseline_year},
        )
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator,
        year=target_year,
        defaults={"value": number, "note": note.strip(), "is_demo_content": is_demo_content},
    )
    return target


# --- Indicators fed by the urban data platform ---------------------------------------------------------

AUTO_SOURCE_REF = "Stadtdaten (automatisch)"


def _binding_datastream(binding: IndicatorBinding) -> Any:
    from konzeptk.sensing.models import Datastream

    if binding.datastream_id is not None:
        return Datastream.objects.filter(pk=binding.datastream_id).first()
    if binding.datastream_name:
        return Datastream.objects.filter(name=binding.datastream_name).order_by("pk").first()
    return None


def binding_signature(*, binding: IndicatorBinding, datastream: Any) -> str:
    """Cheap change check: one indexed look-up of the datastream's newest observation."""
    latest = (
        datastream.observations.order_by("-phenomenon_time_start", "-pk")
        .values_list("pk", "phenomenon_time_start")
        .first()
    )
    newest = f"{latest[0]}@{latest[1].isoformat()}" if latest else "leer"
    return f"{datastream.pk}:{newest}:{binding.statistic}:{binding.scale}"[:120]


def indicator_binding_is_stale(
    *, binding: IndicatorBinding, min_interval: dt.timedelta | None = None
) -> bool:
    """Read-only: would :func:`indicator_refresh_from_data` change anything? True when the binding was
    never computed, its datastream appeared or disappeared, or the datastream has new observations since
    the last refresh. A refresh younger than ``min_interval`` counts as current (the indicator page asks
    with one hour, so live data arriving every minute does not start a recomputation per visit). At most
    two indexed look-ups; never writes."""
    if (
        min_interval is not None
        and binding.refreshed_at is not None
        and timezone.now() - binding.refreshed_at < min_interval
    ):
        return False
    datastream = _binding_datastream(binding)
    if datastream is None:
        return binding.state != IndicatorBinding.State.MISSING
    return not (
        binding.state == IndicatorBinding.State.OK
        and binding.signature == binding_signature(binding=binding, datastream=datastream)
    )


def indicator_refresh_from_data(
    *, indicator: Indicator, force: bool = False, min_interval: dt.timedelta | None = None
) -> IndicatorBinding | None:
    """Writes one value per calendar year (UTC) from the bound datastream; idempotent. Runs as a job
    (:mod:`konzeptk.strategy.background`, the Celery task ``strategy.refresh_indicators`` on the beat
    schedule, ``konzeptk refresh_indicators``), never in a page request.

    Returns the binding (with its state) or None when the indicator is not bound. Skips the work when the
    datastream's newest observation is unchanged since the last refresh (unless ``force``), or when the
    last refresh is younger than ``min_interval``.
    """
    from konzeptk.sensing import selectors as sensing

    binding = IndicatorBinding.objects.filter(indicator=indicator).first()
    if binding is None:
        return None
    if (
        not force
        and min_interval is not None
        and binding.refreshed_at is not None
        and timezone.now() - binding.refreshed_at < min_interval
    ):
        return binding  # page requests: at most one recomputation per interval, the command does the rest
    datastream = _binding_datastream(binding)
    with transaction.atomic():
        binding = IndicatorBinding.objects.select_for_update().get(pk=binding.pk)
        if datastream is None:
            if binding.state != IndicatorBinding.State.MISSING:
                binding.state = IndicatorBinding.State.MISSING
                binding.signature = ""
                binding.save(update_fields=["state", "signature"])
            return binding
        signature = binding_signature(binding=binding, datastream=datastream)
        if not force and binding.state == IndicatorBinding.State.OK and binding.signature == signature:
            return binding
        span = datastream.observations.aggregate(
            first=Min("phenomenon_time_start"), last=Max("phenomenon_time_start")
        )
        years: list[int] = []
        if span["first"] is not None:
            years = list(range(span["first"].year, span["last"].year + 1))
        for year in years:
            start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
            end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
            value = sensing.aggregate_value(
                datastream=datastream, statistic=binding.statistic, start=start, end=end
            )
            if value is None:
                continue
            ref = f"{AUTO_SOURCE_REF}: {datastream.name}"
            first_day = max(start, span["first"]).date()
            last_day = min(end - dt.timedelta(microseconds=1), span["last"]).date()
            if first_day > dt.date(year, 1, 1) or last_day < dt.date(year, 12, 31):
                ref += f" – Teiljahr, Daten vom {first_day:%d.%m.%Y} bis {last_day:%d.%m.%Y}"
            IndicatorValue.objects.update_or_create(
                indicator=indicator,
                date=dt.date(year, 1, 1),
                source=IndicatorValue.Source.SERIES,
                defaults={
                    "value": round(value * binding.scale, 6),
                    "source_ref": ref[:300],
                    "is_demo_content": binding.is_simulated,
                },
            )
        IndicatorValue.objects.filter(indicator=indicator, source=IndicatorValue.Source.SERIES).exclude(
            date__in=[dt.date(y, 1, 1) for y in years]
        ).delete()
        binding.datastream = datastream
        binding.signature = signature
        binding.state = IndicatorBinding.State.OK
        binding.refreshed_at = timezone.now()
        binding.save(update_fields=["datastream", "signature", "state", "refreshed_at"])
    return binding


def indicators_refresh_all(*, force: bool = False) -> list[IndicatorBinding]:
    return [
        b
        for b in (
            indicator_refresh_from_data(indicator=i, force=force)
            for i in Indicator.objects.filter(binding__isnull=False).order_by("pk")
        )
        if b is not None
    ]
