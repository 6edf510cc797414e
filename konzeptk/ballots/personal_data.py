"""Export and erasure of the votes a person cast (DSGVO Art. 15, 17, 20); imported by
``BallotsConfig.ready``. The section runs one query however many votes the person has."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.accounts.export_registry import declare_no_personal_data, register_export_section
from konzeptk.accounts.models import User
from konzeptk.ballots.models import Ballot, Vote


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def votes_section(user: User) -> list[dict[str, object]]:
    return [
        {"ballot": ballot_id, "process": slug, "idea": idea_id, "idea_title": title, "at": _iso(at)}
        for ballot_id, slug, idea_id, title, at in Vote.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("ballot_id", "ballot__phase__process__slug", "idea_id", "idea__title", "created_at")
    ]


def keep_votes(user: User) -> None:
    """Votes stay, on the anonymised account: a vote is part of a result that may already be
    published and decided on; the account row carries nothing about the person any more, so the
    vote cannot be traced to them. Nothing to do here – registered so the decision is on record."""


register_export_section(
    "ballots.votes",
    votes_section,
    models=[Vote],
    title=_("Stimmen in Abstimmungen"),
    purpose=_("Ihre Stimmen in Abstimmungen und Bürgerhaushalten."),
    retention=_("dauerhaft als Teil des Ergebnisses; nach der Löschung Ihres Kontos ohne Bezug zu Ihnen"),
    recipients=_("niemand; veröffentlicht werden nur Ergebnisse"),
)
register_eraser("ballots.votes", keep_votes, models=[Vote])
declare_no_personal_data(
    Ballot,
    reason="A ballot is set up by the organising organisation for the public; who voted is in Vote.",
)
