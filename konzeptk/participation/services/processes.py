"""Writes of the participation app: typed, keyword-only, each in one transaction. (processes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Level, Organisation, User
from konzeptk.city.models import District
from konzeptk.core.content import content_assign, content_fields
from konzeptk.participation import rules
from konzeptk.participation.models import (
    TEXT_MAX,
    TITLE_MAX,
    Phase,
    Process,
)
from konzeptk.participation.phases import BLUEPRINTS, registry
from konzeptk.participation.services.common import _clean_text, _clean_topic, _denied

# --- processes -------------------------------------------------------------------------------

#: first path segments under /beteiligung/ that are pages, not processes (see urls.py)
RESERVED_SLUGS = frozenset(
    {
        "netiquette",
        "benachrichtigungen",
        "abmelden",
        "verifizierung",
        "buergerbuero",
        "offene-daten",
        "verwaltung",
    }
)


@transaction.atomic
def process_create(
    *,
    organiser: Organisation,
    title: str,
    slug: str,
    blueprint: str | None = None,
    start: dt.datetime | None = None,
    description: str = "",
    teaser: str = "",
    topics: list[str] | None = None,
    districts: list[District] | None = None,
    status: str = Process.Status.DRAFT,
    by: User | None = None,
    is_demo: bool = False,
    translations: Mapping[str, str] | None = None,
    **levels: int,
) -> Process:
    """A process; with ``blueprint`` also its typical sequence of phases starting at ``start``.
    With ``by``, that person must be editor, moderator or admin of the organiser (or platform staff)."""
    if by is not None and not (
        by.is_platform_staff or rules._role_in(by, organiser.pk) in rules.EDITOR_ROLES
    ):
        raise _denied(_("Sie können nur für Ihre eigene Organisation Prozesse anlegen."))
    for topic in topics or []:
        _clean_topic(topic)
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Diese Kennung ist für eine Seite der Plattform reserviert.")})
    if Process.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Diese Kennung ist bereits vergeben.")})
    german = {
        "title": _clean_text(title, field="title", label=_("Titel"), max_length=TITLE_MAX),
        "description": _clean_text(
            description, field="description", label=_("Beschreibung"), max_length=TEXT_MAX, required=False
        ),
        "teaser": _clean_text(
            teaser, field="teaser", label=_("Kurzbeschreibung"), max_length=300, required=False
        ),
    }
    process = Process.objects.create(
        organiser=organiser,
        slug=slug,
        # the German original and the translations staff entered (docs/content-languages.md)
        **content_fields(german=german, translations=translations),
        topics=list(topics or []),
        status=status,
        is_demo=is_demo,
        **_clean_levels(levels),
    )
    if districts:
        process.districts.set(districts)
    if blueprint:
        phases_from_blueprint(process=process, blueprint=blueprint, start=start or timezone.now())
    return process


def _clean_levels(levels: dict[str, Any]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for name in ("idea_level", "comment_level", "support_level", "vote_level"):
        if name in levels:
            if int(levels[name]) not in Level.values:
                raise ValidationError({name: _("Bitte wählen Sie eine Stufe aus der Liste.")})
            cleaned[name] = int(levels[name])
    unknown = set(levels) - set(cleaned)
    if unknown:
        raise TypeError(f"unknown arguments {unknown}")
    return cleaned


@transaction.atomic
def process_update(
    *,
    process: Process,
    by: User,
    title: str,
    teaser: str = "",
    description: str = "",
    topics: list[str] | None = None,
    districts: list[District] | None = None,
    status: str | None = None,
    translations: Mapping[str, str] | None = None,
    **levels: int,
) -> Process:
    """Change what a process says, where it applies, its status and the level each action needs."""
    if not rules.is_editor(by, process):
        raise _denied(_("Nur die veranstaltende Organisation kann diesen Prozess ändern."))
    errors: dict[str, list[str]] = {}
    checks: dict[str, Callable[[], object]] = {
        "title": lambda: _clean_text(title, field="title", label=_("Titel"), max_length=TITLE_MAX),
        "teaser": lambda: _clean_text(
            teaser, field="teaser", label=_("Kurzbeschreibung"), max_length=300, required=False
        ),
        "description": lambda: _clean_text(
            description, field="description", label=_("Beschreibung"), max_length=TEXT_MAX, required=False
        ),
        "levels": lambda: _clean_levels(levels),
        "topics": lambda: [_clean_topic(t) for t in topics or []],
    }
    values: dict[str, Any] = {}
    for key, check in checks.items():
        try:
            values[key] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if status is not None and status not in Process.Status.values:
        errors.setdefault("status", []).append(_("Bitte wählen Sie einen Status aus der Liste."))
    if status == Process.Status.PUBLISHED and not process.phases.exists():
        errors.setdefault("status", []).append(
            _("Ein Prozess ohne Phasen kann nicht veröffentlicht werden. Legen Sie zuerst die Phasen an.")
        )
    if errors:
        raise ValidationError(errors)
    german = {key: values[key] for key in ("title", "teaser", "description")}
    content_assign(process, german=german, translations=translations)
    process.topics = values["topics"]
    for name, level in values["levels"].items():
        setattr(process, name, level)
    if status is not None:
        process.status = status
    process.save()
    if districts is not None:
        process.districts.set(districts)
    return process


def _check_phase(
    process: Process, type: str, start: dt.datetime, end: dt.datetime, name: str, description: str
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if type not in registry:
        errors.setdefault("type", []).append(_("Diese Art von Phase gibt es nicht."))
    if start is None or end is None or end <= start:
        errors.setdefault("end", []).append(_("Das Ende muss nach dem Beginn liegen."))
    values: dict[str, Any] = {}
    try:
        values["name"] = _clean_text(name, field="name", label=_("Name"), max_length=120, required=False)
        values["description"] = _clean_text(
            description, field="description", label=_("Beschreibung"), max_length=TEXT_MAX, required=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def phase_save(
    *,
    process: Process,
    by: User,
    type: str,
    start: dt.datetime,
    end: dt.datetime,
    name: str = "",
    description: str = "",
    phase: Phase | None = None,
    translations: Mapping[str, str] | None = None,
) -> Phase:
    """Add a phase to the process, or change ``phase``. The phase type's setup (if it has one) keeps
    what belongs to each of its phases, e.g. a ballot phase its ballot."""
    if not rules.is_editor(by, process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Phasen ändern."))
    values = _check_phase(process, type, start, end, name, description)
    if phase is None:
        phase = Phase(process=process, weight=process.phases.count())
    elif phase.process_id != process.pk:
        raise _denied(_("Diese Phase gehört zu einem anderen Prozess."))
    if phase.pk and type != phase.type:
        # a new type drops what the old one keeps for the phase: allowed when deleting would be
        old_setup = phase.phase_type.setup
        kept = old_setup.delete_denial(phase=phase) if old_setup is not None else None
        if kept:
            raise ValidationError({"type": kept})
    phase.type, phase.start, phase.end = type, start, end
    german = {"name": values["name"], "description": values["description"]}
    content_assign(phase, german=german, translations=translations)
    if start > timezone.now():
        phase.announced_at = None  # (re)scheduled: announce when it starts
    phase.save()
    setup = phase.phase_type.setup
    if setup is not None:
        setup.phase_saved(phase=phase)
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, by: User) -> None:
    if not rules.is_editor(by, phase.process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Phasen ändern."))
    setup = phase.phase_type.setup
    denial = setup.delete_denial(phase=phase) if setup is not None else None
    if denial:
        raise _denied(denial)
    phase.delete()


def phases_from_blueprint(*, process: Process, blueprint: str, start: dt.datetime) -> list[Phase]:
    if blueprint not in BLUEPRINTS:
        raise ValidationError({"blueprint": _("Diese Vorlage gibt es nicht.")})
    phases = []
    begin = start
    offset = process.phases.count()
    for index, (type_key, days) in enumerate(BLUEPRINTS[blueprint].steps):
        end = begin + dt.timedelta(days=days)
        phases.append(Phase(process=process, type=type_key, start=begin, end=end, weight=offset + index))
        begin = end
    created = Phase.objects.bulk_create(phases)
    for phase in created:
        setup = phase.phase_type.setup
        if setup is not None:
            setup.phase_saved(phase=phase)
    return created


@transaction.atomic
def phase_add(*, process: Process, type: str, start: dt.datetime, end: dt.datetime, name: str = "") -> Phase:
    """A phase at the end of the process, set up as its type wants (no check of who asks: for code
    that builds processes, e.g. imports and the demo)."""
    if type not in registry:
        raise ValidationError({"type": _("Diese Art von Phase gibt es nicht.")})
    if end <= start:
        raise ValidationError({"end": _("Das Ende muss nach dem Beginn liegen.")})
    phase = Phase.objects.create(
        process=process, type=type, start=start, end=end, name=name, weight=process.phases.count()
    )
    setup = phase.phase_type.setup
    if setup is not None:
        setup.phase_saved(phase=phase)
    return phase


@transaction.atomic
def phases_mark_announced(*, process: Process, now: dt.datetime) -> int:
    """Count the phases of ``process`` that started by ``now`` as announced, without telling anyone:
    for a process entered after the fact (an import, the demo), whose followers should not get
    news of phases long begun."""
    return process.phases.filter(announced_at=None, start__lte=now).update(announced_at=now)
