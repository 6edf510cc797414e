"""Writes of the participation app: typed, keyword-only, each in one transaction. (processes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import District
from konzeptk.participation import rules
from konzeptk.participation.models import (
    TEXT_MAX,
    TITLE_MAX,
    Ballot,
    Phase,
    Process,
    Vote,
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
    by: Any = None,
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
    process = Process.objects.create(
        organiser=organiser,
        title=_clean_text(title, field="title", label=_("Titel"), max_length=TITLE_MAX),
        slug=slug,
        description=_clean_text(
            description, field="description", label=_("Beschreibung"), max_length=TEXT_MAX, required=False
        ),
        teaser=_clean_text(
            teaser, field="teaser", label=_("Kurzbeschreibung"), max_length=300, required=False
        ),
        topics=list(topics or []),
        status=status,
        **_clean_levels(levels),
    )
    if districts:
        process.districts.set(districts)
    if blueprint:
        phases_from_blueprint(process=process, blueprint=blueprint, start=start or timezone.now())
    return process


def _clean_levels(levels: dict[str, Any]) -> dict[str, int]:
    from konzeptk.participation.models import Level

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


def editable_processes(user: Any) -> Any:
    """Processes a person may edit: all for platform staff, else those of organisations in which
    they are editor, moderator or admin (drafts included)."""
    from konzeptk.accounts.models import Membership

    if not user.is_authenticated:
        return Process.objects.none()
    if user.is_platform_staff:
        return Process.objects.all()
    orgs = Membership.objects.filter(user=user, role__in=rules.EDITOR_ROLES).values("organisation_id")
    return Process.objects.filter(organiser_id__in=orgs)


@transaction.atomic
def process_update(
    *,
    process: Process,
    by: Any,
    title: str,
    teaser: str = "",
    description: str = "",
    topics: list[str] | None = None,
    districts: list[District] | None = None,
    status: str | None = None,
    **levels: int,
) -> Process:
    """Change what a process says, where it applies, its status and the level each action needs."""
    if not rules.is_editor(by, process):
        raise _denied(_("Nur die veranstaltende Organisation kann diesen Prozess ändern."))
    errors: dict[str, list[str]] = {}
    checks = {
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
    process.title = values["title"]
    process.teaser = values["teaser"]
    process.description = values["description"]
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
    by: Any,
    type: str,
    start: dt.datetime,
    end: dt.datetime,
    name: str = "",
    description: str = "",
    phase: Phase | None = None,
) -> Phase:
    """Add a phase to the process, or change ``phase``. A ballot phase gets its ballot (three votes
    per person until the organisers set it up otherwise)."""
    if not rules.is_editor(by, process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Phasen ändern."))
    values = _check_phase(process, type, start, end, name, description)
    if phase is None:
        phase = Phase(process=process, weight=process.phases.count())
    elif phase.process_id != process.pk:
        raise _denied(_("Diese Phase gehört zu einem anderen Prozess."))
    if phase.pk and type != phase.type and phase.surveys.exists():
        raise ValidationError(
            {
                "type": _(
                    "Zu dieser Phase gehört ein Fragebogen. Sie bleibt deshalb eine Phase der Art „Umfrage“."
                )
            }
        )
    phase.type, phase.start, phase.end = type, start, end
    phase.name, phase.description = values["name"], values["description"]
    if start > timezone.now():
        phase.announced_at = None  # (re)scheduled: announce when it starts
    phase.save()
    if type == "ballot":
        Ballot.objects.get_or_create(phase=phase)
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, by: Any) -> None:
    if not rules.is_editor(by, phase.process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Phasen ändern."))
    if phase.type == "ballot" and Vote.objects.filter(ballot__phase=phase).exists():
        raise _denied(_("In dieser Abstimmung wurde schon abgestimmt. Sie kann nicht mehr gelöscht werden."))
    if phase.surveys.exists():
        raise _denied(
            _(
                "Zu dieser Phase gehört ein Fragebogen. Löschen Sie zuerst den Fragebogen (solange er nicht beantwortet ist)."
            )
        )
    phase.delete()


@transaction.atomic
def ballot_configure(
    *, ballot: Ballot, by: Any, kind: str, votes_per_person: int = 3, budget: int | None = None
) -> Ballot:
    if not rules.is_editor(by, ballot.phase.process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Abstimmung einrichten."))
    if Vote.objects.filter(ballot=ballot).exists():
        raise _denied(_("Nach der ersten Stimme lässt sich die Abstimmung nicht mehr ändern."))
    if kind not in Ballot.Kind.values:
        raise ValidationError({"kind": _("Bitte wählen Sie die Art der Abstimmung.")})
    if kind == Ballot.Kind.VOTES and not (1 <= int(votes_per_person) <= 50):
        raise ValidationError({"votes_per_person": _("Bitte geben Sie 1 bis 50 Stimmen pro Person an.")})
    if kind == Ballot.Kind.BUDGET and not budget:
        raise ValidationError({"budget": _("Bitte geben Sie das Budget in Euro an.")})
    ballot.kind = kind
    ballot.votes_per_person = int(votes_per_person)
    ballot.budget = budget if kind == Ballot.Kind.BUDGET else None
    ballot.save()
    return ballot


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
    Ballot.objects.bulk_create([Ballot(phase=p) for p in created if p.type == "ballot"])
    return created


def phase_add(*, process: Process, type: str, start: dt.datetime, end: dt.datetime, name: str = "") -> Phase:
    if type not in registry:
        raise ValidationError({"type": _("Diese Art von Phase gibt es nicht.")})
    if end <= start:
        raise ValidationError({"end": _("Das Ende muss nach dem Beginn liegen.")})
    return Phase.objects.create(
        process=process, type=type, start=start, end=end, name=name, weight=process.phases.count()
    )
