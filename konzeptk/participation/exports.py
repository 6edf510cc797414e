"""The participation sections of the personal-data export.

Each section reads one kind of record with a fixed number of queries (``select_related`` /
``prefetch_related``), however many ideas, comments or answers the person has.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export import (
    ExportFile,
    declare_no_personal_data,
    register_export_files,
    register_export_section,
)
from konzeptk.participation.models import (
    Answer,
    Block,
    CodeLetter,
    Comment,
    Follow,
    Idea,
    ModerationAction,
    Notification,
    NotificationSetting,
    Report,
    Response,
    Support,
    Verification,
    Vote,
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


def votes_section(user: Any) -> list[dict[str, Any]]:
    return [
        {"ballot": ballot_id, "process": slug, "idea": idea_id, "idea_title": title, "at": _iso(at)}
        for ballot_id, slug, idea_id, title, at in Vote.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("ballot_id", "ballot__phase__process__slug", "idea_id", "idea__title", "created_at")
    ]


def follows_section(user: Any) -> list[dict[str, Any]]:
    return [
        {"idea": idea_id, "idea_title": idea_title, "process": slug, "since": _iso(at)}
        for idea_id, idea_title, slug, at in Follow.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("idea_id", "idea__title", "process__slug", "created_at")
    ]


def survey_responses_section(user: Any) -> list[dict[str, Any]]:
    answers = Answer.objects.select_related("question", "choice").order_by("question__order", "pk")
    responses = (
        Response.objects.filter(user=user)
        .select_related("survey")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("created_at", "pk")
    )
    return [
        {
            "survey": response.survey_id,
            "survey_title": response.survey.title,
            "at": _iso(response.created_at),
            "answers": [
                {
                    "question": answer.question.text,
                    "choice": answer.choice.text if answer.choice else None,
                    "value": answer.value,
                    "text": answer.text,
                }
                for answer in response.answers.all()
            ],
        }
        for response in responses
    ]


def verification_section(user: Any) -> dict[str, Any]:
    verification = Verification.objects.filter(user=user).first()
    letters = CodeLetter.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "postcode": verification.postcode if verification else None,
        "resident_declared_at": _iso(verification.resident_declared_at) if verification else None,
        "verified_at": _iso(verification.verified_at) if verification else None,
        "method": verification.method if verification else None,
        "code_letters": [
            {"created_at": _iso(c), "expires_at": _iso(e), "used_at": _iso(u)}
            for c, e, u in letters.values_list("created_at", "expires_at", "used_at")
        ],
    }


def notifications_section(user: Any) -> dict[str, Any]:
    setting = NotificationSetting.objects.filter(user=user).first()
    return {
        "settings": (
            {
                "email_frequency": setting.email_frequency,
                "on_replies": setting.on_replies,
                "on_status": setting.on_status,
                "on_phases": setting.on_phases,
            }
            if setting
            else None
        ),
        "inbox": [
            {"kind": k, "subject": s, "body": b, "url": u, "at": _iso(at), "read_at": _iso(r)}
            for k, s, b, u, at, r in Notification.objects.filter(recipient=user)
            .order_by("created_at", "pk")
            .values_list("kind", "subject", "body", "url", "created_at", "read_at")
        ],
    }


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
    """What the person did as staff: ideas answered or entered for others, residents confirmed."""
    return {
        "ideas_answered": list(
            Idea.objects.filter(answered_by=user).order_by("pk").values_list("pk", flat=True)
        ),
        "ideas_entered": list(
            Idea.objects.filter(entered_by=user).order_by("pk").values_list("pk", flat=True)
        ),
        "verifications_confirmed": Verification.objects.filter(confirmed_by=user).count(),
        "code_letters_created": CodeLetter.objects.filter(created_by=user).count(),
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
    "participation.votes",
    votes_section,
    models=[Vote],
    title=_("Stimmen in Abstimmungen"),
    purpose=_("Ihre Stimmen in Abstimmungen und Bürgerhaushalten."),
    retention=_("dauerhaft als Teil des Ergebnisses; nach der Löschung Ihres Kontos ohne Bezug zu Ihnen"),
    recipients=_("niemand; veröffentlicht werden nur Ergebnisse"),
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
    "participation.survey_responses",
    survey_responses_section,
    models=[Response, Answer],
    title=_("Antworten in Umfragen"),
    purpose=_("Ihre Antworten auf Fragebögen; ausgewertet werden sie nur zusammengefasst."),
    retention=_("bis Sie Ihr Konto löschen; danach bleiben angekreuzte Antworten ohne Bezug zu Ihnen"),
    recipients=_("die Veranstalter:innen des Prozesses sehen Ergebnisse, keine einzelnen Personen"),
)
register_export_section(
    "participation.verification",
    verification_section,
    models=[Verification, CodeLetter],
    title=_("Bestätigung des Wohnorts"),
    purpose=_("Nachweis, dass Sie in der Stadt wohnen, für Abstimmungen nur für Einwohner:innen."),
    retention=_("bis Sie Ihr Konto löschen"),
    recipients=_("Mitarbeiter:innen des Bürgerbüros, die Code-Briefe versenden"),
)
register_export_section(
    "participation.notifications",
    notifications_section,
    models=[Notification, NotificationSetting],
    title=_("Benachrichtigungen"),
    purpose=_("Ihr Posteingang auf der Plattform und wie oft Sie E-Mails bekommen möchten."),
    retention=_("bis Sie Ihr Konto löschen"),
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
    models=[Idea, Verification, CodeLetter],
    title=_("Tätigkeit als Mitarbeiter:in"),
    purpose=_("Nachvollziehbarkeit der Antworten und Bestätigungen der Verwaltung."),
    retention=_("dauerhaft als Teil der Beiträge; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("Mitarbeiter:innen des Veranstalters und des Bürgerbüros"),
)

declare_no_personal_data(
    "participation.Process",
    "participation.Phase",
    "participation.Survey",
    "participation.Question",
    "participation.Choice",
    "participation.Ballot",
    reason="Processes, phases, questionnaires and ballots are written by the organising organisation "
    "for the public; who takes part is stored in ideas, comments, supports, votes and responses.",
)
