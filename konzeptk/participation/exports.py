"""The participation sections of the personal-data export.

Each section reads one kind of record with a fixed number of queries (``select_related`` /
``prefetch_related``), however many ideas, comments or answers the person has.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import (
    ExportFile,
    declare_no_personal_data,
    register_export_files,
    register_export_section,
)
from konzeptk.participation.models import (
    Block,
    Comment,
    Follow,
    Idea,
    ModerationAction,
    Report,
    Support,
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def image_archive_path(idea: Idea) -> str:
    """Where an idea's image lies inside the export ZIP."""
    return f"bilder/ideen/{idea.pk}-{posixpath.basename(idea.image.name or '')}"


def ideas_section(user: Any) -> list[dict[str, Any]]:
    ideas = (
        Idea.objects.filter(author=user)
        .select_related("process", "district")
        .defer("process__description", "district__geometry", "district__note")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": idea.pk,
            "process": idea.process.slug,
            "process_title": idea.process.title,
            "title": idea.title,
            "text": idea.text,
            "topic": idea.topic,
            "category": idea.category,
            "lat": idea.lat,
            "lon": idea.lon,
            "address": idea.address,
            "district": idea.district.name if idea.district else None,
            "image": image_archive_path(idea) if idea.image else None,
            "cost": idea.cost,
            "status": idea.status,
            "answer": idea.answer,
            "answered_at": _iso(idea.answered_at),
            "channel": idea.channel,
            "contributor_profile": idea.contributor_profile,
            "hidden": idea.is_hidden,
            "deleted_at": _iso(idea.deleted_at),
            "created_at": _iso(idea.created_at),
            "updated_at": _iso(idea.updated_at),
        }
        for idea in ideas
    ]


def idea_images(user: Any) -> list[ExportFile]:
    ideas = Idea.objects.filter(author=user).exclude(image="").only("pk", "image").order_by("pk")
    return [
        ExportFile(path=image_archive_path(i), storage=i.image.storage, name=i.image.name or "")
        for i in ideas
    ]


def comments_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": pk,
            "idea": idea_id,
            "idea_title": idea_title,
            "reply_to": parent_id,
            "text": text,
            "created_at": _iso(created),
            "edited_at": _iso(edited),
            "deleted_at": _iso(deleted),
            "hidden": hidden,
        }
        for pk, idea_id, idea_title, parent_id, text, created, edited, deleted, hidden in Comment.objects.filter(
            author=user
        )
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "idea_id",
            "idea__title",
            "parent_id",
            "text",
            "created_at",
            "edited_at",
            "deleted_at",
            "is_hidden",
        )
    ]


def supports_section(user: Any) -> list[dict[str, Any]]:
    return [
        {"idea": idea_id, "idea_title": title, "at": _iso(at)}
        for idea_id, title, at in Support.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("idea_id", "idea__title", "created_at")
    ]


def follows_section(user: Any) -> list[dict[str, Any]]:
    return [
        {"idea": idea_id, "idea_title": idea_title, "process": slug, "since": _iso(at)}
        for idea_id, idea_title, slug, at in Follow.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("idea_id", "idea__title", "process__slug", "created_at")
    ]


def moderation_section(user: Any) -> dict[str, Any]:
    return {
        "reports_made": [
            {"idea": i, "comment": c, "reason": r, "at": _iso(at), "resolved_at": _iso(res)}
            for i, c, r, at, res in Report.objects.filter(reporter=user)
            .order_by("created_at", "pk")
            .values_list("idea_id", "comment_id", "reason", "created_at", "resolved_at")
        ],
        "decisions_about_you": [
            {"kind": k, "idea": i, "comment": c, "reason": r, "at": _iso(at)}
            for k, i, c, r, at in ModerationAction.objects.filter(affected_user=user)
            .order_by("created_at", "pk")
            .values_list("kind", "idea_id", "comment_id", "reason", "created_at")
        ],
        "decisions_by_you": [
            {"kind": k, "idea": i, "comment": c, "at": _iso(at)}
            for k, i, c, at in ModerationAction.objects.filter(moderator=user)
            .order_by("created_at", "pk")
            .values_list("kind", "idea_id", "comment_id", "created_at")
        ],
        "blocks": [
            {"organisation": slug, "reason": r, "at": _iso(at)}
            for slug, r, at in Block.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values_list("organisation__slug", "reason", "created_at")
        ],
    }


def staff_work_section(user: Any) -> dict[str, Any]:
    """What the person did as staff: ideas answered or entered for others (residents confirmed at a
    Bürgerbüro are in the section ``accounts.verification_staff``)."""
    return {
        "ideas_answered": list(
            Idea.objects.filter(answered_by=user).order_by("pk").values_list("pk", flat=True)
        ),
        "ideas_entered": list(
            Idea.objects.filter(entered_by=user).order_by("pk").values_list("pk", flat=True)
        ),
    }


_UNTIL_DELETED = _("bis Sie Ihr Konto löschen; danach ohne Bezug zu Ihnen (siehe Löschung)")
_PUBLIC = _("öffentlich sichtbar für alle, solange der Beitrag nicht ausgeblendet oder gelöscht ist")

register_export_section(
    "participation.ideas",
    ideas_section,
    models=[Idea],
    title=_("Ideen"),
    purpose=_(
        "Ihre Vorschläge in Beteiligungsprozessen, mit Ort, Adresse und Bild, wenn Sie diese angegeben haben."
    ),
    retention=_UNTIL_DELETED,
    recipients=_PUBLIC,
)
register_export_files("participation.idea_images", idea_images, models=[Idea])
register_export_section(
    "participation.comments",
    comments_section,
    models=[Comment],
    title=_("Kommentare"),
    purpose=_("Ihre Kommentare zu Ideen."),
    retention=_UNTIL_DELETED,
    recipients=_PUBLIC,
)
register_export_section(
    "participation.supports",
    supports_section,
    models=[Support],
    title=_("Unterstützungen"),
    purpose=_("Welche Ideen Sie unterstützen; öffentlich ist nur die Zahl der Unterstützungen."),
    retention=_("bis Sie die Unterstützung zurücknehmen oder Ihr Konto löschen"),
    recipients=_("niemand; veröffentlicht werden nur Summen"),
)
register_export_section(
    "participation.follows",
    follows_section,
    models=[Follow],
    title=_("Abonnements"),
    purpose=_("Benachrichtigungen über Ideen und Prozesse, denen Sie folgen."),
    retention=_("bis Sie das Abonnement beenden oder Ihr Konto löschen"),
    recipients=_("niemand"),
)
register_export_section(
    "participation.moderation",
    moderation_section,
    models=[Report, ModerationAction, Block],
    title=_("Meldungen und Moderation"),
    purpose=_("Beiträge, die Sie gemeldet haben, und Moderationsentscheidungen, die Sie betreffen."),
    retention=_("Meldungen bis zur Löschung Ihres Kontos; Entscheidungen dauerhaft als Protokoll"),
    recipients=_("die Moderator:innen des Prozesses"),
)
register_export_section(
    "participation.staff_work",
    staff_work_section,
    models=[Idea],
    title=_("Tätigkeit als Mitarbeiter:in"),
    purpose=_("Nachvollziehbarkeit der Antworten der Verwaltung."),
    retention=_("dauerhaft als Teil der Beiträge; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("Mitarbeiter:innen des Veranstalters und des Bürgerbüros"),
)

declare_no_personal_data(
    "participation.Process",
    "participation.Phase",
    reason="Processes, phases, questionnaires and ballots are written by the organising organisation "
    "for the public; who takes part is stored in ideas, comments, supports, votes and responses.",
)
