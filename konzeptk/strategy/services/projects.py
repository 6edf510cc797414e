"""Projects and pilots: save with their links, change the stage, milestones and web links."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.models import District
from konzeptk.core.errors import DomainError
from konzeptk.strategy.models import (
    ALLOWED_STAGE_TRANSITIONS,
    DECISION_STAGES,
    DECISION_TARGETS,
    Milestone,
    Project,
    ProjectLink,
    Stage,
    StageTransition,
    WebLink,
)


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
    theme_keys: Iterable[uuid.UUID] | None = None,
    started_on: dt.date | None = None,
    start_reason: str = "",
) -> Project:
    """Create or update a project with its links. Stage changes go through project_change_stage.

    ``theme_keys`` None leaves the links to cross-cutting themes as they are (the edit form has none).
    A new project with a ``start_reason`` records its first stage (idea) on ``started_on`` (default today)
    as the first entry of its stage history."""
    data = dict(data)
    data.pop("stage", None)
    for money in ("budget_planned", "budget_spent"):
        value = data.get(money)
        if value is not None and Decimal(value) < 0:
            raise DomainError("budget_negative", _("Beträge dürfen nicht negativ sein."))
    created = project is None
    if project is None:
        project = Project(created_by=by, stage=Stage.IDEA)
    for name, value in data.items():
        setattr(project, name, value)
    if created and start_reason.strip():
        project.stage_since = started_on or timezone.localdate()
    project.updated_by = by
    project.save()
    if created and start_reason.strip():
        StageTransition.objects.create(
            project=project,
            from_stage="",
            to_stage=Stage.IDEA,
            date=project.stage_since,
            reason=start_reason.strip(),
            created_by=by,
        )
    project.partners.set(list(partners))
    project.districts.set(list(districts))
    _links(project, ProjectLink.Kind.FIELD, field_keys)
    _links(project, ProjectLink.Kind.GOAL, goal_keys)
    _links(project, ProjectLink.Kind.MEASURE, measure_keys)
    if theme_keys is not None:
        _links(project, ProjectLink.Kind.THEME, theme_keys)
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


@transaction.atomic
def milestone_add(
    *, project: Project, title: str, due: dt.date, by: User | None, done_on: dt.date | None = None
) -> Milestone:
    """A planned step of a project, optionally already reached."""
    if not title.strip():
        raise DomainError("title_missing", _("Bitte geben Sie einen Titel an."))
    if done_on is not None and done_on > timezone.localdate():
        raise DomainError("in_future", _("Ein Meilenstein kann nicht in der Zukunft erreicht worden sein."))
    return Milestone.objects.create(project=project, title=title.strip(), due=due, done_on=done_on)


@transaction.atomic
def web_link_add(*, project: Project, url: str, label: str, by: User | None) -> WebLink:
    """A link to more about the project; the same address twice is kept once."""
    if not label.strip():
        raise DomainError("label_missing", _("Bitte geben Sie eine Bezeichnung an."))
    if not url.startswith(("https://", "http://")):
        raise DomainError("url_invalid", _("Bitte geben Sie eine Adresse an, die mit https:// beginnt."))
    link, _created = WebLink.objects.get_or_create(
        project=project, url=url, defaults={"label": label.strip()}
    )
    return link
