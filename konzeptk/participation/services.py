"""Writes of the participation app: typed, keyword-only, each in one transaction.

Permission and phase checks come from rules.denial(); a refusal raises core's ``DomainError`` with a
message for the person. Invalid input raises Django's ``ValidationError`` keyed by field. Nothing is
half-saved: every function either writes everything or nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, district_for
from konzeptk.core.errors import DomainError
from konzeptk.participation import rules
from konzeptk.participation.images import clean_image
from konzeptk.participation.models import (
    COMMENT_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Ballot,
    Block,
    Channel,
    CodeLetter,
    Comment,
    Follow,
    Idea,
    ModerationAction,
    Notification,
    Phase,
    Process,
    Report,
    Support,
    Topic,
    Verification,
    Vote,
)
from konzeptk.participation.notifications import notify
from konzeptk.participation.phases import BLUEPRINTS, registry
from konzeptk.strategy.models import Project


def _denied(message: str, code: str = "denied") -> DomainError:
    """The person may not do this now; ``message`` says why in their language (403; 409 for ``already_*``)."""
    return DomainError(code, message, 409 if code.startswith("already_") else 403)


def _require(user: Any, action: str, target: Any) -> None:
    reason = rules.denial(user, action, target)
    if reason:
        raise _denied(reason)


def _clean_text(value: Any, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: _("Bitte füllen Sie das Feld „%(label)s“ aus.") % {"label": label}})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("„%(label)s“ darf höchstens %(max)d Zeichen lang sein (jetzt: %(len)d).")
                % {"label": label, "max": max_length, "len": len(text)}
            }
        )
    return text


def _resolve_location(lat: float | None, lon: float | None, district: District | None) -> District | None:
    """The district of the point; a point outside the city is refused with a clear message."""
    if lat is None and lon is None:
        return district
    if lat is None or lon is None:
        raise ValidationError({"lat": _("Bitte geben Sie Breiten- und Längengrad zusammen an.")})
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"lat": _("Diese Koordinaten gibt es nicht.")})
    answer = district_for(lat, lon)
    if not answer.inside_city:
        profile = active_profile()
        city = profile.name if profile else _("der Stadt")
        raise ValidationError(
            {
                "lat": _(
                    "Der gewählte Ort liegt außerhalb von %(city)s. Bitte wählen Sie einen Ort im Stadtgebiet "
                    "oder lassen Sie die Ortsangabe weg."
                )
                % {"city": city}
            }
        )
    return answer.district or district


def _clean_topic(topic: str) -> str:
    if topic and topic not in Topic.values:
        raise ValidationError({"topic": _("Bitte wählen Sie ein Handlungsfeld aus der Liste.")})
    return topic


def _autofollow(user: Any, idea: Idea) -> None:
    if user is not None and user.is_authenticated:
        Follow.objects.get_or_create(user=user, idea=idea)


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


# --- ideas -----------------------------------------------------------------------------------


def _idea_fields(
    *,
    title: Any,
    text: Any,
    topic: str,
    lat: float | None,
    lon: float | None,
    district: District | None,
    address: str,
    cost: int | None,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    checks = (
        ("title", lambda: _clean_text(title, field="title", label=_("Titel"), max_length=TITLE_MAX)),
        ("text", lambda: _clean_text(text, field="text", label=_("Beschreibung"), max_length=TEXT_MAX)),
        ("topic", lambda: _clean_topic(topic or "")),
        (
            "address",
            lambda: _clean_text(
                address, field="address", label=_("Ort oder Adresse"), max_length=200, required=False
            ),
        ),
        ("district", lambda: _resolve_location(lat, lon, district)),
    )
    for key, check in checks:
        try:
            values[key] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if cost is not None and cost < 0:
        errors.setdefault("cost", []).append(_("Die Kosten dürfen nicht negativ sein."))
    if errors:
        raise ValidationError(errors)
    values.update(lat=lat, lon=lon, cost=cost)
    return values


@transaction.atomic
def idea_create(
    *,
    process: Process,
    author: Any,
    title: str,
    text: str,
    topic: str = "",
    category: str = "",
    lat: float | None = None,
    lon: float | None = None,
    district: District | None = None,
    address: str = "",
    image: Any = None,
    cost: int | None = None,
) -> Idea:
    _require(author, "add_idea", process)
    values = _idea_fields(
        title=title, text=text, topic=topic, lat=lat, lon=lon, district=district, address=address, cost=cost
    )
    idea = Idea(process=process, author=author, category=category[:120], **values)
    if image:
        try:
            cleaned = clean_image(image)
        except ValidationError as exc:
            raise ValidationError({"image": exc.messages}) from exc
        idea.image.save(cleaned.name or "bild.jpg", cleaned, save=False)
    idea.save()
    _autofollow(author, idea)
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    user: Any,
    title: str,
    text: str,
    topic: str = "",
    lat: float | None = None,
    lon: float | None = None,
    district: District | None = None,
    address: str = "",
    image: Any = None,
    remove_image: bool = False,
) -> Idea:
    _require(user, "change_idea", idea)
    values = _idea_fields(
        title=title,
        text=text,
        topic=topic,
        lat=lat,
        lon=lon,
        district=district,
        address=address,
        cost=idea.cost,
    )
    for key, value in values.items():
        setattr(idea, key, value)
    old_image = idea.image.name or ""
    if remove_image:
        idea.image = None
    if image:
        try:
            cleaned = clean_image(image)
        except ValidationError as exc:
            raise ValidationError({"image": exc.messages}) from exc
        idea.image.save(cleaned.name or "bild.jpg", cleaned, save=False)
    idea.save()
    if old_image and old_image != idea.image.name:
        storage = idea.image.storage  # a removed or replaced image leaves the storage once the change holds
        transaction.on_commit(lambda: storage.delete(old_image))
    return idea


@transaction.atomic
def offline_contribution_create(
    *,
    process: Process,
    entered_by: Any,
    channel: str,
    title: str,
    text: str,
    channel_date: dt.date | None = None,
    channel_place: str = "",
    topic: str = "",
    lat: float | None = None,
    lon: float | None = None,
    district: District | None = None,
    address: str = "",
    contributor_profile: dict[str, str] | None = None,
) -> Idea:
    """A contribution from a workshop, paper form, phone call or the Bürgerkoffer, entered by staff."""
    if not rules.is_editor(entered_by, process):
        raise _denied(_("Nur Mitarbeiter:innen der veranstaltenden Organisation können Beiträge erfassen."))
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError({"channel": _("Bitte wählen Sie, auf welchem Weg der Beitrag kam.")})
    values = _idea_fields(
        title=title, text=text, topic=topic, lat=lat, lon=lon, district=district, address=address, cost=None
    )
    profile = {k: str(v)[:60] for k, v in (contributor_profile or {}).items() if v}
    return Idea.objects.create(
        process=process,
        author=None,
        entered_by=entered_by,
        channel=channel,
        channel_date=channel_date,
        channel_place=_clean_text(
            channel_place, field="channel_place", label=_("Ort des Beitrags"), max_length=200, required=False
        ),
        contributor_profile=profile,
        **values,
    )


@transaction.atomic
def idea_answer(
    *,
    idea: Idea,
    by: Any,
    status: str,
    answer: str,
    strategy_project: Project | None = None,
    strategy_measure: Any = None,
) -> Idea:
    """Set status, official answer and the strategy project that takes the idea up; followers and
    supporters are notified when status or answer change."""
    if not rules.is_editor(by, idea.process):
        raise _denied(_("Nur die veranstaltende Organisation kann Ideen beantworten."))
    if status not in Idea.Status.values:
        raise ValidationError({"status": _("Bitte wählen Sie einen Status aus der Liste.")})
    answer = _clean_text(
        answer,
        field="answer",
        label=_("Antwort"),
        max_length=TEXT_MAX,
        required=status != Idea.Status.SUBMITTED,
    )
    if strategy_project is not None and not strategy_project.published:
        raise ValidationError(
            {"strategy_project": _("Bitte wählen Sie ein veröffentlichtes Projekt der Strategie.")}
        )
    if strategy_measure is not None:
        from konzeptk.participation.selectors import adopted_measures

        if not adopted_measures().filter(pk=strategy_measure.pk).exists():
            raise ValidationError(
                {"strategy_measure": _("Bitte wählen Sie eine Maßnahme der beschlossenen Strategie.")}
            )
    changed = idea.status != status or idea.answer != answer
    project_changed = idea.strategy_project_id != (strategy_project.pk if strategy_project else None)
    idea.status = status
    idea.answer = answer
    idea.answered_at = timezone.now()
    idea.answered_by = by
    idea.strategy_project = strategy_project
    idea.strategy_measure_key = strategy_measure.key if strategy_measure is not None else None
    idea.save()
    if changed or (project_changed and strategy_project is not None):
        from django.contrib.auth import get_user_model

        user_ids = set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))
        user_ids |= set(Support.objects.filter(idea=idea).values_list("user_id", flat=True))
        recipients = get_user_model().objects.filter(pk__in=user_ids)
        body = _("Status: %(status)s\n\n%(answer)s") % {"status": idea.get_status_display(), "answer": answer}
        if strategy_measure is not None:
            body += "\n\n" + _("Die Maßnahme „%(measure)s“ der Smart-City-Strategie greift die Idee auf.") % {
                "measure": strategy_measure.title
            }
        if strategy_project is not None:
            body += "\n\n" + _("Das Projekt „%(project)s“ der Smart-City-Strategie greift die Idee auf.") % {
                "project": strategy_project.title
            }
        notify(
            recipients=recipients,
            subject=_("Neuer Stand zu Ihrer Idee „%(title)s“") % {"title": idea.title[:120]},
            body=body,
            url=idea.get_absolute_url(),
            exclude=by,
            kind=Notification.Kind.STATUS,
        )
    return idea


# --- comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_create(*, idea: Idea, author: Any, text: str, parent: Comment | None = None) -> Comment:
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError({"parent": _("Dieser Kommentar gehört zu einer anderen Idee.")})
        _require(author, "reply", parent)
    else:
        _require(author, "comment", idea)
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        parent=parent,
        text=_clean_text(text, field="text", label=_("Kommentar"), max_length=COMMENT_MAX),
    )
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    recipients = set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))
    if parent is not None and parent.author_id:
        recipients.add(parent.author_id)
    from django.contrib.auth import get_user_model

    notify(
        recipients=get_user_model().objects.filter(pk__in=recipients),
        subject=_("Neuer Kommentar zu „%(title)s“") % {"title": idea.title[:120]},
        body=comment.text[:500],
        url=idea.get_absolute_url(),
        exclude=author,
        kind=Notification.Kind.REPLY,
    )
    _autofollow(author, idea)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, user: Any, text: str) -> Comment:
    _require(user, "change_comment", comment)
    comment.text = _clean_text(text, field="text", label=_("Kommentar"), max_length=COMMENT_MAX)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user: Any) -> Comment:
    """Soft delete by the author: the text disappears, replies stay readable."""
    if not user.is_authenticated or comment.author_id != user.pk:
        raise _denied(_("Nur die Person, die den Kommentar geschrieben hat, kann ihn löschen."))
    if comment.deleted_at is not None:
        return comment
    was_counted = not comment.is_hidden
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    if was_counted:
        Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") - 1)
    return comment


# --- supports and follows --------------------------------------------------------------------


def support_add(*, idea: Idea, user: Any) -> bool:
    """Support an idea. Idempotent: True when this call added the support, False if it existed.

    The unique constraint (idea, user) decides under concurrency; the counter moves with F() in
    the same transaction as the row, so it always equals the number of rows.
    """
    _require(user, "support", idea)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(idea=idea, user=user)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    return True


def support_remove(*, idea: Idea, user: Any) -> bool:
    _require(user, "support", idea)
    with transaction.atomic():
        deleted, _detail = Support.objects.filter(idea=idea, user=user).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)


@transaction.atomic
def follow_set(*, user: Any, on: bool, idea: Idea | None = None, process: Process | None = None) -> bool:
    if not user.is_authenticated:
        raise _denied(_("Bitte melden Sie sich an, um Beiträgen zu folgen."))
    if (idea is None) == (process is None):
        raise ValueError("follow exactly one idea or process")
    lookup = {"idea": idea} if idea is not None else {"process": process}
    if on:
        Follow.objects.get_or_create(user=user, **lookup)
    else:
        Follow.objects.filter(user=user, **lookup).delete()
    return on


# --- moderation ------------------------------------------------------------------------------


def _target_process(target: Idea | Comment) -> Process:
    return target.process if isinstance(target, Idea) else target.idea.process


@transaction.atomic
def report_create(*, reporter: Any, target: Idea | Comment, reason: str) -> Report:
    if not reporter.is_authenticated:
        raise _denied(_("Bitte melden Sie sich an, um einen Beitrag zu melden."))
    author_id = target.author_id
    if author_id is not None and author_id == reporter.pk:
        raise _denied(_("Sie können Ihren eigenen Beitrag nicht melden."), code="own_contribution")
    reason = _clean_text(reason, field="reason", label=_("Grund der Meldung"), max_length=REASON_MAX)
    lookup = {"idea": target} if isinstance(target, Idea) else {"comment": target}
    if Report.objects.filter(reporter=reporter, resolved_at=None, **lookup).exists():
        raise _denied(_("Sie haben diesen Beitrag bereits gemeldet."), code="already_reported")
    return Report.objects.create(reporter=reporter, reason=reason, **lookup)


def _require_moderator(moderator: Any, process: Process) -> None:
    if not rules.is_moderator(moderator, process):
        raise _denied(_("Nur Moderator:innen der veranstaltenden Organisation dürfen das."))


def _log(
    moderator: Any,
    kind: str,
    target: Idea | Comment | None,
    reason: str,
    process: Process,
    affected: Any = None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        moderator=moderator,
        kind=kind,
        idea=target if isinstance(target, Idea) else None,
        comment=target if isinstance(target, Comment) else None,
        affected_user=affected if affected is not None else (target.author if target is not None else None),
        organisation_id=process.organiser_id,
        reason=reason,
    )


@transaction.atomic
def moderation_hide(*, moderator: Any, target: Idea | Comment, reason: str) -> ModerationAction:
    process = _target_process(target)
    _require_moderator(moderator, process)
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    if not target.is_hidden:
        target.is_hidden = True
        target.hidden_reason = reason
        target.save(update_fields=["is_hidden", "hidden_reason"])
        if isinstance(target, Comment) and target.deleted_at is None:
            Idea.objects.filter(pk=target.idea_id).update(comment_count=F("comment_count") - 1)
    lookup = {"idea": target} if isinstance(target, Idea) else {"comment": target}
    Report.objects.filter(resolved_at=None, **lookup).update(resolved_at=timezone.now())
    return _log(moderator, ModerationAction.Kind.HIDE, target, reason, process)


@transaction.atomic
def moderation_restore(*, moderator: Any, target: Idea | Comment, reason: str) -> ModerationAction:
    process = _target_process(target)
    _require_moderator(moderator, process)
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    if target.is_hidden:
        target.is_hidden = False
        target.hidden_reason = ""
        target.save(update_fields=["is_hidden", "hidden_reason"])
        if isinstance(target, Comment) and target.deleted_at is None:
            Idea.objects.filter(pk=target.idea_id).update(comment_count=F("comment_count") + 1)
    return _log(moderator, ModerationAction.Kind.RESTORE, target, reason, process)


@transaction.atomic
def report_dismiss(*, moderator: Any, report: Report, reason: str) -> ModerationAction:
    process = _target_process(report.target)
    _require_moderator(moderator, process)
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now())
    return _log(moderator, ModerationAction.Kind.DISMISS, report.target, reason, process)


@transaction.atomic
def user_block(*, moderator: Any, process: Process, user: Any, reason: str) -> ModerationAction:
    _require_moderator(moderator, process)
    if user.pk == moderator.pk:
        raise _denied(_("Sie können sich nicht selbst sperren."))
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    Block.objects.get_or_create(user=user, organisation_id=process.organiser_id, defaults={"reason": reason})
    return _log(moderator, ModerationAction.Kind.BLOCK, None, reason, process, affected=user)


@transaction.atomic
def user_unblock(*, moderator: Any, process: Process, user: Any, reason: str) -> ModerationAction:
    _require_moderator(moderator, process)
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    Block.objects.filter(user=user, organisation_id=process.organiser_id).delete()
    return _log(moderator, ModerationAction.Kind.UNBLOCK, None, reason, process, affected=user)


# --- verification ----------------------------------------------------------------------------


@transaction.atomic
def resident_declare(*, user: Any, postcode: str) -> Verification:
    """Self-declared residence by a postcode of the city (shown as "selbst angegeben")."""
    if not user.is_authenticated:
        raise _denied(_("Bitte melden Sie sich an, um Ihren Wohnort anzugeben."))
    postcode = str(postcode or "").strip()
    profile = active_profile()
    city = profile.name if profile else _("der Stadt")
    if not (len(postcode) == 5 and postcode.isascii() and postcode.isdigit()):
        raise ValidationError({"postcode": _("Bitte geben Sie eine Postleitzahl aus fünf Ziffern an.")})
    allowed = set(profile.postcodes) if profile else set()
    if postcode not in allowed:
        raise ValidationError(
            {
                "postcode": _(
                    "Die Postleitzahl %(postcode)s gehört nicht zu %(city)s. Mitmachen können hier "
                    "Menschen, die in %(city)s wohnen."
                )
                % {"postcode": postcode, "city": city}
            }
        )
    verification, _created = Verification.objects.get_or_create(user=user)
    verification.postcode = postcode
    verification.resident_declared_at = verification.resident_declared_at or timezone.now()
    verification.save()
    user.__dict__.pop("_participation_level", None)
    return verification


@transaction.atomic
def resident_confirm(*, staff: Any, user: Any, method: str) -> Verification:
    """Staff confirm a person after a code letter or a visit to a Bürgerbüro."""
    if not rules.may_verify_residents(staff):
        raise _denied(_("Nur Mitarbeiter:innen der Stadt können Einwohner:innen bestätigen."))
    if method not in Verification.Method.values:
        raise ValidationError({"method": _("Bitte wählen Sie, wie die Person bestätigt wurde.")})
    verification, _created = Verification.objects.get_or_create(user=user)
    verification.verified_at = timezone.now()
    verification.method = method
    verification.confirmed_by = staff
    verification.failed_code_attempts = 0
    verification.resident_declared_at = verification.resident_declared_at or verification.verified_at
    verification.save()
    user.__dict__.pop("_participation_level", None)
    return verification


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read from paper
CODE_LENGTH = 12
CODE_VALID = dt.timedelta(days=90)
CODE_ATTEMPTS_MAX = 10


def _code_hash(code: str) -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac("participation.code_letter", code, algorithm="sha256").hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:64]


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def code_letter_issue(*, staff: Any, user: Any) -> tuple[CodeLetter, str]:
    """A new one-time code for ``user`` (earlier unused letters stop working). Returns the letter and
    the code in clear text: it is shown once to print the letter and never stored."""
    import secrets

    if not rules.may_verify_residents(staff):
        raise _denied(_("Nur Mitarbeiter:innen der Stadt können Code-Briefe ausstellen."))
    now = timezone.now()
    CodeLetter.objects.filter(user=user, used_at=None, expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    letter = CodeLetter.objects.create(
        user=user, code_hash=_code_hash(code), created_by=staff, created_at=now, expires_at=now + CODE_VALID
    )
    return letter, code


def code_letter_redeem(*, user: Any, code: str) -> Verification:
    """Confirm the person with the code from their letter. Wrong codes are counted; after
    CODE_ATTEMPTS_MAX the form locks until staff confirm the person or issue a new letter."""
    import hmac

    if not user.is_authenticated:
        raise _denied(_("Bitte melden Sie sich an, um Ihren Code einzugeben."))
    verification, _created = Verification.objects.get_or_create(user=user)
    if verification.verified_at is not None:
        raise _denied(_("Sie sind bereits als Einwohner:in bestätigt."), code="already_verified")
    if verification.failed_code_attempts >= CODE_ATTEMPTS_MAX:
        raise _denied(
            _(
                "Der Code wurde zu oft falsch eingegeben. Bitte wenden Sie sich an ein Bürgerbüro: "
                "Dort erhalten Sie einen neuen Code-Brief oder werden direkt bestätigt."
            ),
            code="locked",
        )
    wanted = _code_hash(_normalise_code(code))
    now = timezone.now()
    with transaction.atomic():
        letters = list(
            CodeLetter.objects.select_for_update().filter(user=user, used_at=None, expires_at__gt=now)
        )
        match = next((x for x in letters if hmac.compare_digest(x.code_hash, wanted)), None)
        if match is not None:
            match.used_at = now
            match.save(update_fields=["used_at"])
            verification.verified_at = now
            verification.method = Verification.Method.LETTER
            verification.confirmed_by_id = match.created_by_id
            verification.failed_code_attempts = 0
            verification.resident_declared_at = verification.resident_declared_at or now
            verification.save()
            user.__dict__.pop("_participation_level", None)
            return verification
    # counted outside the (rolled back) block: the attempt stays counted
    Verification.objects.filter(pk=verification.pk).update(failed_code_attempts=F("failed_code_attempts") + 1)
    if not letters:
        raise ValidationError(
            {
                "code": _(
                    "Für Ihr Konto gibt es keinen gültigen Code-Brief. Codes gelten 90 Tage und nur einmal."
                )
            }
        )
    raise ValidationError(
        {"code": _("Dieser Code stimmt nicht. Bitte prüfen Sie die Zeichen auf Ihrem Brief.")}
    )


# --- ballots ---------------------------------------------------------------------------------


def ballot_vote_set(*, ballot: Ballot, user: Any, idea_ids: list[int]) -> list[int]:
    """Replace the person's votes in the ballot by ``idea_ids`` (changeable until the phase ends).

    A fixed-votes ballot refuses more ideas than votes; a budget ballot refuses a selection whose
    costs exceed the budget. Nothing changes when the selection is refused.
    """
    process = ballot.phase.process
    _require(user, "vote", process)
    if not ballot.phase.is_active():
        raise _denied(_("Diese Abstimmung läuft nicht mehr."))
    wanted = sorted(set(idea_ids))
    ideas = list(Idea.objects.visible().filter(process=process, pk__in=wanted).only("id", "cost", "title"))
    if len(ideas) != len(wanted):
        raise ValidationError({"ideas": _("Mindestens ein gewählter Vorschlag steht nicht zur Abstimmung.")})
    if ballot.kind == Ballot.Kind.VOTES and len(ideas) > ballot.votes_per_person:
        raise ValidationError(
            {
                "ideas": _("Sie haben %(n)d Vorschläge gewählt, aber nur %(max)d Stimmen.")
                % {"n": len(ideas), "max": ballot.votes_per_person}
            }
        )
    if ballot.kind == Ballot.Kind.BUDGET:
        if any(i.cost is None for i in ideas):
            raise ValidationError(
                {"ideas": _("Mindestens ein gewählter Vorschlag hat keine Kostenschätzung.")}
            )
        total = sum(i.cost or 0 for i in ideas)
        if total > (ballot.budget or 0):
            raise ValidationError(
                {
                    "ideas": _(
                        "Ihre Auswahl kostet %(total)s Euro und überschreitet das Budget von %(budget)s Euro."
                    )
                    % {
                        "total": f"{total:,}".replace(",", "."),
                        "budget": f"{ballot.budget or 0:,}".replace(",", "."),
                    }
                }
            )
    try:
        with transaction.atomic():
            Vote.objects.filter(ballot=ballot, user=user).exclude(idea_id__in=wanted).delete()
            existing = set(Vote.objects.filter(ballot=ballot, user=user).values_list("idea_id", flat=True))
            Vote.objects.bulk_create(
                [Vote(ballot=ballot, user=user, idea_id=pk) for pk in wanted if pk not in existing]
            )
    except IntegrityError as exc:
        raise _denied(
            _("Ihre Stimmen wurden gerade gleichzeitig geändert. Bitte versuchen Sie es noch einmal.")
        ) from exc
    return wanted


SURVEY_TEXT_MAX = 5_000


def survey_answer(
    *, survey: Any, user: Any, browser_token: str, answers: dict[int, Any], is_demo: bool = False
) -> Any:
    """Save one filled-in questionnaire, or nothing.

    ``answers`` maps question id to: choice id (single), list of choice ids (multiple), a value of the scale (scale),
    text (free text), choice ids in ranked order (ranking); missing or empty = not answered.
    Signed-in people answer once per account, people without an account once per browser.
    """
    from konzeptk.participation.models import Answer, Question, Response

    denial = rules.survey_denial(user, survey)
    if denial:
        raise _denied(denial)
    authenticated = bool(user.is_authenticated)
    if not authenticated and not browser_token:
        raise _denied(_("Ohne Cookie kann Ihr Browser nur einmal antworten; bitte erlauben Sie Cookies."))
    already = Response.objects.filter(survey=survey)
    already = already.filter(user=user) if authenticated else already.filter(browser_token=browser_token)
    if already.exists():
        raise _denied(_("Sie haben diese Umfrage bereits beantwortet."), code="already_answered")
    questions = list(survey.questions.prefetch_related("choices"))
    rows: list[Answer] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        value: Any = answers.get(question.pk)
        empty = value in (None, "", [], ())
        if empty:
            if question.required:
                errors.setdefault(f"q{question.pk}", []).append(_("Bitte beantworten Sie diese Frage."))
            continue
        choice_ids = {c.pk for c in question.choices.all()}
        kind = question.kind
        if kind == Question.Kind.SINGLE and value in choice_ids:
            rows.append(Answer(question=question, choice_id=value))
        elif kind == Question.Kind.MULTIPLE and set(value) <= choice_ids:
            rows.extend(Answer(question=question, choice_id=c) for c in sorted(set(value)))
        elif kind == Question.Kind.SCALE and value in question.scale_values:
            rows.append(Answer(question=question, value=value))
        elif kind == Question.Kind.TEXT and isinstance(value, str) and len(value) <= SURVEY_TEXT_MAX:
            rows.append(Answer(question=question, text=value))
        elif kind == Question.Kind.RANKING and sorted(value) == sorted(choice_ids):
            rows.extend(
                Answer(question=question, choice_id=c, value=rank) for rank, c in enumerate(value, start=1)
            )
        else:
            errors.setdefault(f"q{question.pk}", []).append(_("Diese Antwort ist ungültig."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                user=user if authenticated else None,
                browser_token="" if authenticated else browser_token,
                is_demo=is_demo,
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise _denied(_("Sie haben diese Umfrage bereits beantwortet."), code="already_answered") from exc
    return response


# --- surveys: the questionnaire editor -------------------------------------------------------

#: a scale runs between these values (answers are stored as small positive integers)
SCALE_LOWEST, SCALE_HIGHEST = 0, 10
CHOICES_MAX = 30
RANKING_CHOICES_MAX = 10
QUESTION_MAX, CHOICE_MAX, SCALE_LABEL_MAX = 500, 200, 80


def survey_is_locked(survey: Any) -> bool:
    """Once a questionnaire has been filled in, its questions and choices keep their meaning."""
    from konzeptk.participation.models import Response

    return Response.objects.filter(survey=survey).exists()


def _require_survey_editor(by: Any, process: Process) -> None:
    if not rules.is_editor(by, process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Fragebögen dieses Prozesses ändern."))


def _gather(errors: dict[str, list[str]], check: Any) -> Any:
    """Run ``check``; collect its field messages into ``errors`` instead of stopping at the first."""
    try:
        return check()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
        return None


def _survey_texts(title: str, intro: str) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    values = {
        "title": _gather(
            errors, lambda: _clean_text(title, field="title", label=_("Titel"), max_length=TITLE_MAX)
        ),
        "intro": _gather(
            errors,
            lambda: _clean_text(
                intro, field="intro", label=_("Einleitung"), max_length=TEXT_MAX, required=False
            ),
        ),
    }
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def survey_create(
    *, phase: Phase, by: Any, title: str, intro: str = "", allows_anonymous: bool = False
) -> Any:
    """A questionnaire for a phase that opens surveys (the questions are added in the editor)."""
    from konzeptk.participation.models import Survey

    _require_survey_editor(by, phase.process)
    if not phase.phase_type.has_feature("answer", Survey):
        raise _denied(_("Fragebögen gehören zu einer Phase der Art „Umfrage“."))
    return Survey.objects.create(
        process=phase.process,
        phase=phase,
        allows_anonymous=bool(allows_anonymous),
        **_survey_texts(title, intro),
    )


@transaction.atomic
def survey_update(
    *, survey: Any, by: Any, title: str, intro: str = "", allows_anonymous: bool = False
) -> Any:
    """Title, introduction and whether people without an account may answer (always allowed: it
    changes who may answer from now on, not what earlier answers mean)."""
    _require_survey_editor(by, survey.process)
    for field, value in _survey_texts(title, intro).items():
        setattr(survey, field, value)
    survey.allows_anonymous = bool(allows_anonymous)
    survey.save(update_fields=["title", "intro", "allows_anonymous"])
    return survey


@transaction.atomic
def survey_delete(*, survey: Any, by: Any) -> None:
    _require_survey_editor(by, survey.process)
    if survey_is_locked(survey):
        raise _denied(_("Diese Umfrage wurde schon beantwortet. Sie kann nicht mehr gelöscht werden."))
    survey.delete()


def _lock_survey(survey: Any) -> None:
    """Serialise edits of one questionnaire with each other (PostgreSQL row lock)."""
    from konzeptk.participation.models import Survey

    list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk", flat=True))


def _clean_choices(kind: str, lines: list[str]) -> list[str]:
    from konzeptk.participation.models import Question

    texts = [str(line).replace("\x00", "").strip() for line in lines]
    texts = [t for t in texts if t]
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING):
        return []
    if len(texts) < 2:
        raise ValidationError(
            {"choices": _("Bitte geben Sie mindestens zwei Antwortmöglichkeiten an, eine pro Zeile.")}
        )
    limit = RANKING_CHOICES_MAX if kind == Question.Kind.RANKING else CHOICES_MAX
    if len(texts) > limit:
        raise ValidationError(
            {"choices": _("Bitte geben Sie höchstens %(max)d Antwortmöglichkeiten an.") % {"max": limit}}
        )
    too_long = [t for t in texts if len(t) > CHOICE_MAX]
    if too_long:
        raise ValidationError(
            {
                "choices": _("Eine Antwortmöglichkeit darf höchstens %(max)d Zeichen lang sein.")
                % {"max": CHOICE_MAX}
            }
        )
    if len({t.casefold() for t in texts}) != len(texts):
        raise ValidationError({"choices": _("Jede Antwortmöglichkeit darf nur einmal vorkommen.")})
    return texts


@transaction.atomic
def question_save(
    *,
    survey: Any,
    by: Any,
    text: str,
    kind: str,
    help_text: str = "",
    required: bool = True,
    choices: list[str] | None = None,
    scale_min: int = 1,
    scale_max: int = 5,
    scale_low_label: str = "",
    scale_high_label: str = "",
    question: Any = None,
) -> Any:
    """Add a question to the questionnaire, or change ``question``; ``choices`` are the texts of the
    answer options in their order (single, multiple choice and ranking).

    Before the first answer everything may change. Afterwards only the wording may be corrected
    (question, hint, scale labels, choice texts in place); kind, required, scale range and the number
    of choices stay, and no question is added, so every stored answer keeps meaning what it meant.
    """
    from konzeptk.participation.models import Choice, Question

    _require_survey_editor(by, survey.process)
    if question is not None and question.survey_id != survey.pk:
        raise _denied(_("Diese Frage gehört zu einem anderen Fragebogen."))
    _lock_survey(survey)
    errors: dict[str, list[str]] = {}

    def collect(check: Any) -> Any:
        return _gather(errors, check)

    values = {
        "text": collect(lambda: _clean_text(text, field="text", label=_("Frage"), max_length=QUESTION_MAX)),
        "help_text": collect(
            lambda: _clean_text(
                help_text, field="help_text", label=_("Hinweis"), max_length=QUESTION_MAX, required=False
            )
        ),
        "scale_low_label": collect(
            lambda: _clean_text(
                scale_low_label,
                field="scale_low_label",
                label=_("Bedeutung des kleinsten Werts"),
                max_length=SCALE_LABEL_MAX,
                required=False,
            )
        ),
        "scale_high_label": collect(
            lambda: _clean_text(
                scale_high_label,
                field="scale_high_label",
                label=_("Bedeutung des größten Werts"),
                max_length=SCALE_LABEL_MAX,
                required=False,
            )
        ),
    }
    if kind not in Question.Kind.values:
        errors.setdefault("kind", []).append(_("Bitte wählen Sie eine Art von Frage aus der Liste."))
    texts = collect(lambda: _clean_choices(kind, choices or [])) or []
    low, high = (int(scale_min), int(scale_max)) if kind == Question.Kind.SCALE else (1, 5)
    if kind == Question.Kind.SCALE and not (SCALE_LOWEST <= low < high <= SCALE_HIGHEST):
        errors.setdefault("scale_max", []).append(
            _(
                "Die Skala muss von einem kleineren zu einem größeren Wert zwischen %(low)d und %(high)d reichen."
            )
            % {"low": SCALE_LOWEST, "high": SCALE_HIGHEST}
        )
    locked = survey_is_locked(survey)
    existing = list(question.choices.order_by("order", "pk")) if question is not None else []
    if locked:
        if question is None:
            raise _denied(
                _("Diese Umfrage wurde schon beantwortet. Neue Fragen würden die Ergebnisse verzerren.")
            )
        frozen = _("Nach den ersten Antworten lässt sich das nicht mehr ändern.")
        if kind != question.kind:
            errors.setdefault("kind", []).append(frozen)
        if bool(required) != question.required:
            errors.setdefault("required", []).append(frozen)
        if kind == Question.Kind.SCALE and (low, high) != (question.scale_min, question.scale_max):
            errors.setdefault("scale_max", []).append(frozen)
        old_texts = [c.text for c in existing]
        if texts != old_texts and sorted(t.casefold() for t in texts) == sorted(
            t.casefold() for t in old_texts
        ):
            # the same choices in another order would give stored answers the neighbour's text
            errors.setdefault("choices", []).append(
                _(
                    "Nach den ersten Antworten lässt sich die Reihenfolge der Antwortmöglichkeiten nicht mehr ändern."
                )
            )
        elif question.has_choices and len(texts) != len(existing):
            errors.setdefault("choices", []).append(
                _(
                    "Nach den ersten Antworten lässt sich die Zahl der Antwortmöglichkeiten nicht mehr ändern "
                    "(%(n)d). Sie können nur ihre Texte korrigieren."
                )
                % {"n": len(existing)}
            )
    if errors:
        raise ValidationError(errors)
    if question is None:
        last = survey.questions.order_by("-order").values_list("order", flat=True).first()
        question = Question(survey=survey, order=0 if last is None else last + 1)
    for field, value in values.items():
        setattr(question, field, value)
    question.kind, question.required = kind, bool(required)
    question.scale_min, question.scale_max = low, high
    question.save()
    for index, choice_text in enumerate(texts):
        if index < len(existing):
            choice = existing[index]
            if (choice.text, choice.order) != (choice_text, index):
                choice.text, choice.order = choice_text, index
                choice.save(update_fields=["text", "order"])
        else:
            Choice.objects.create(question=question, text=choice_text, order=index)
    if not locked and len(existing) > len(texts):
        Choice.objects.filter(pk__in=[c.pk for c in existing[len(texts) :]]).delete()
    return question


@transaction.atomic
def question_delete(*, question: Any, by: Any) -> None:
    survey = question.survey
    _require_survey_editor(by, survey.process)
    _lock_survey(survey)
    if survey_is_locked(survey):
        raise _denied(
            _("Diese Umfrage wurde schon beantwortet. Ihre Fragen können nicht mehr gelöscht werden.")
        )
    question.delete()


@transaction.atomic
def question_move(*, question: Any, by: Any, up: bool) -> None:
    """Swap a question with the one before (``up``) or after it. Allowed after answers too: the order
    changes how the questionnaire reads, not what an answer means."""
    survey = question.survey
    _require_survey_editor(by, survey.process)
    _lock_survey(survey)
    questions = list(survey.questions.order_by("order", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions):
        if q.order != position:
            q.order = position
            q.save(update_fields=["order"])
