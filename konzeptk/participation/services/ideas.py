"""Writes of the participation app: typed, keyword-only, each in one transaction. (ideas)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.city.models import District
from konzeptk.core.content import content_assign, german
from konzeptk.notifications.services import notify
from konzeptk.participation import rules
from konzeptk.participation.images import clean_image
from konzeptk.participation.models import (
    TEXT_MAX,
    TITLE_MAX,
    Channel,
    Follow,
    Idea,
    Process,
    Support,
)
from konzeptk.participation.notifications import STATUS
from konzeptk.participation.selectors import adopted_measures
from konzeptk.participation.services.common import (
    _autofollow,
    _clean_text,
    _clean_topic,
    _denied,
    _require,
    _resolve_location,
)
from konzeptk.strategy.models import Measure, Project

# --- ideas -----------------------------------------------------------------------------------


def _idea_fields(
    *,
    title: str,
    text: str,
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
    author: User,
    title: str,
    text: str,
    topic: str = "",
    category: str = "",
    lat: float | None = None,
    lon: float | None = None,
    district: District | None = None,
    address: str = "",
    image: UploadedFile[bytes] | None = None,
    cost: int | None = None,
    at: dt.datetime | None = None,
    is_demo: bool = False,
) -> Idea:
    """An idea proposed by ``author``. ``at`` is the moment of the proposal when it is entered
    afterwards (an import, the demo): the rules are asked for that moment."""
    _require(author, "add_idea", process, now=at)
    values = _idea_fields(
        title=title, text=text, topic=topic, lat=lat, lon=lon, district=district, address=address, cost=cost
    )
    idea = Idea(
        process=process,
        author=author,
        category=category[:120],
        created_at=at or timezone.now(),
        is_demo=is_demo,
        **values,
    )
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
    user: User,
    title: str,
    text: str,
    topic: str = "",
    lat: float | None = None,
    lon: float | None = None,
    district: District | None = None,
    address: str = "",
    image: UploadedFile[bytes] | None = None,
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
    entered_by: User,
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
    category: str = "",
    at: dt.datetime | None = None,
    is_demo: bool = False,
) -> Idea:
    """A contribution from a workshop, paper form, phone call or the Bürgerkoffer, entered by staff
    (``at``: when it was entered, if not now)."""
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
        category=category[:120],
        created_at=at or timezone.now(),
        is_demo=is_demo,
        **values,
    )


@transaction.atomic
def idea_answer(
    *,
    idea: Idea,
    by: User,
    status: str,
    answer: str,
    strategy_project: Project | None = None,
    strategy_measure: Measure | None = None,
    translations: Mapping[str, str] | None = None,
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
    if strategy_measure is not None and not adopted_measures().filter(pk=strategy_measure.pk).exists():
        raise ValidationError(
            {"strategy_measure": _("Bitte wählen Sie eine Maßnahme der beschlossenen Strategie.")}
        )
    changed = idea.status != status or german(idea, "answer") != answer
    project_changed = idea.strategy_project_id != (strategy_project.pk if strategy_project else None)
    idea.status = status
    # the German answer and the translations staff entered (docs/content-languages.md)
    content_assign(idea, german={"answer": answer}, translations=translations)
    idea.answered_at = timezone.now()
    idea.answered_by = by
    idea.strategy_project = strategy_project
    idea.strategy_measure_key = strategy_measure.key if strategy_measure is not None else None
    idea.save()
    if changed or (project_changed and strategy_project is not None):
        user_ids = set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))
        user_ids |= set(Support.objects.filter(idea=idea).values_list("user_id", flat=True))
        recipients = User.objects.filter(pk__in=user_ids)
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
            kind=STATUS,
        )
    return idea
