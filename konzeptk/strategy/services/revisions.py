"""Revisions of a strategy: create, clone, edit the metadata, adopt, delete a draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.core.content import content_assign, content_fields, content_translations, german
from konzeptk.core.errors import DomainError
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Measure,
    Revision,
    RevisionElement,
    Strategy,
    SubTopic,
)
from konzeptk.strategy.services.targets import targets_record


@transaction.atomic
def strategy_save(*, slug: str, name: str, description: str = "") -> Strategy:
    """Create the strategy with this slug, or update its name and description."""
    if not name.strip():
        raise DomainError("name_missing", _("Bitte geben Sie einen Namen an."))
    strategy, _created = Strategy.objects.update_or_create(
        slug=slug, defaults={"name": name.strip(), "description": description.strip()}
    )
    return strategy


@transaction.atomic
def revision_create(
    *,
    strategy: Strategy,
    by: User | None,
    title: str,
    motto: str = "",
    vision: str = "",
    parent: Revision | None = None,
) -> Revision:
    """A new, empty draft (the next version number); elements are added with ``element_add``."""
    if not title.strip():
        raise DomainError("title_missing", _("Bitte geben Sie einen Titel an."))
    if parent is not None and parent.strategy_id != strategy.pk:
        raise DomainError("other_strategy", _("Die Fassungen gehören zu verschiedenen Strategien."))
    Strategy.objects.select_for_update().get(pk=strategy.pk)
    version = (Revision.objects.filter(strategy=strategy).aggregate(m=Max("version"))["m"] or 0) + 1
    return Revision.objects.create(
        strategy=strategy,
        version=version,
        title=title.strip(),
        motto=motto.strip(),
        vision=vision.strip(),
        date=timezone.localdate(),
        status=Revision.Status.DRAFT,
        parent=parent,
        created_by=by,
    )


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
        # every language of title, motto and vision (a new title is German; its translations go)
        **content_translations(source, ("motto", "vision") if title else ("title", "motto", "vision")),
        **content_fields(
            german={
                "title": title or german(source, "title"),
                "motto": german(source, "motto"),
                "vision": german(source, "vision"),
            }
        ),
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


def require_draft(revision: Revision) -> None:
    """Refuse to change a revision that is no longer a draft."""
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
    """Adopt a draft: the adopted revision so far becomes superseded. The targets of the indicators of its
    goals are recorded on it as they are now, for the comparison of revisions (services/targets.py).

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
    fresh.indicator_targets = targets_record(
        Goal.objects.filter(revision=fresh).values_list("key", flat=True)
    )
    try:
        with transaction.atomic():
            fresh.save(
                update_fields=[
                    "status",
                    "council_decision",
                    "date",
                    "adopted_by",
                    "adopted_at",
                    "indicator_targets",
                ]
            )
    except IntegrityError as exc:
        raise DomainError(
            "conflict",
            _("Eine andere Fassung wurde gleichzeitig beschlossen. Bitte laden Sie die Seite neu."),
        ) from exc
    return fresh


@transaction.atomic
def revision_update(
    *,
    revision: Revision,
    by: User | None,
    title: str,
    motto: str,
    vision: str,
    translations: Mapping[str, str] | None = None,
) -> Revision:
    """Title, motto and vision of a draft in German and, if given, their translations."""
    require_draft(revision)
    if not title.strip():
        raise DomainError("title_missing", _("Bitte geben Sie einen Titel an."))
    german = {"title": title.strip(), "motto": motto.strip(), "vision": vision.strip()}
    content_assign(revision, german=german, translations=translations)
    revision.save()
    return revision


@transaction.atomic
def revision_delete_draft(*, revision: Revision, by: User | None) -> None:
    require_draft(revision)
    revision.delete()
