"""The insights sections of the personal-data export: voluntary profile, statements, statement votes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import declare_no_personal_data, register_export_section
from konzeptk.insights.models import DemographicProfile, Statement, StatementVote


def profile_section(user: Any) -> dict[str, Any] | None:
    profile = DemographicProfile.objects.filter(user=user).select_related("district").first()
    if profile is None:
        return None
    return {
        "age_band": profile.age_band,
        "gender": profile.gender,
        "district": profile.district.name if profile.district else None,
        "languages": profile.languages,
        "migration_background": profile.migration_background,
        "updated_at": profile.updated_at.isoformat(),
    }


def statements_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": s.pk,
            "phase": s.phase_id,
            "text": s.text,
            "status": s.status,
            "created_at": s.created_at.isoformat(),
        }
        for s in Statement.objects.filter(author=user).order_by("pk")
    ]


def statement_votes_section(user: Any) -> list[dict[str, Any]]:
    return [
        {"statement": sid, "text": text, "vote": value, "at": at.isoformat()}
        for sid, text, value, at in StatementVote.objects.filter(user=user)
        .order_by("pk")
        .values_list("statement_id", "statement__text", "value", "created_at")
    ]


register_export_section(
    "insights.profile",
    profile_section,
    models=[DemographicProfile],
    title=_("Freiwillige Angaben zu Ihrer Person"),
    purpose=_(
        "Auswertung, wer sich beteiligt, verglichen mit der Bevölkerung; veröffentlicht werden nur "
        "Summen nach der Geheimhaltung."
    ),
    retention=_("bis Sie die Einwilligung widerrufen, die Angaben löschen oder Ihr Konto löschen"),
    recipients=_("niemand; veröffentlicht werden nur geschützte Summen"),
)
register_export_section(
    "insights.statements",
    statements_section,
    models=[Statement],
    title=_("Vorgeschlagene Aussagen"),
    purpose=_("Aussagen für ein Meinungsbild, die Sie vorgeschlagen haben."),
    retention=_("freigegebene Aussagen bleiben ohne Bezug zu Ihnen; andere werden mit dem Konto gelöscht"),
    recipients=_("freigegebene Aussagen sind öffentlich, ohne Ihren Namen"),
)
register_export_section(
    "insights.statement_votes",
    statement_votes_section,
    models=[StatementVote],
    title=_("Stimmen zu Aussagen"),
    purpose=_("Ihre Zustimmung oder Ablehnung zu Aussagen eines Meinungsbilds."),
    retention=_("dauerhaft als Teil des Meinungsbilds; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("niemand; veröffentlicht werden nur Gruppen und Summen"),
)

declare_no_personal_data(
    "insights.OpinionLandscape",
    "insights.RepresentationSnapshot",
    reason="Computed results: opinion groups and statement texts of a phase, and counts per group "
    "after disclosure control; no row belongs to a person.",
)
