"""The city's own alerts: Warning rows with source "own", raised and ended by evaluation.py.

An alert carries the rule's texts in all six languages (copied column by column, so the CAP feed has one
``info`` block per language and a later change of the rule leaves a sent alert as it was). Raising one asks
for the fan-out to the subscribers after the commit (fanout.py); ending one only marks it ended (it moves to
"Vergangene Warnungen").
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.db import transaction

from konzeptk.core.content import CONTENT_LANGUAGES
from konzeptk.core.siteurl import site_url
from konzeptk.resilience import rules as maths
from konzeptk.resilience.models import Episode, Rule, Source, Warning

TEXT_FIELDS = ("headline", "description", "instruction")
#: CAP category of each kind (Met: meteorological, Env: environmental)
CATEGORIES = {maths.LEVEL_ABOVE: "Env", maths.LEVEL_BELOW: "Env"}
EVENTS = {
    maths.HEAT: "HITZE",
    maths.TROPICAL_NIGHT: "TROPENNACHT",
    maths.FELT_HEAT: "GEFUEHLTE HITZE",
    maths.RAIN: "STARKREGEN",
    maths.LEVEL_ABOVE: "HOHER WASSERSTAND",
    maths.LEVEL_BELOW: "NIEDRIGER WASSERSTAND",
}


def sender() -> str:
    """CAP ``sender``: the platform's host name (no spaces, commas or reserved characters)."""
    return urlsplit(site_url()).hostname or "konzeptk.invalid"


def _texts(rule: Rule) -> dict[str, str]:
    return {
        f"{name}_{code}": str(getattr(rule, f"{name}_{code}", "") or "")
        for name in TEXT_FIELDS
        for code in CONTENT_LANGUAGES
    }


def _warning(rule: Rule, episode: Episode, now: dt.datetime, ended_at: dt.datetime | None) -> Warning:
    districts = list(rule.districts.all())
    warning = Warning.objects.create(
        source=Source.OWN,
        identifier=f"konzeptk-{rule.pk}-{episode.pk}",
        sender=sender(),
        sent=now,
        msg_type=Warning.MsgType.ALERT,
        event=EVENTS.get(rule.kind, rule.kind.upper()),
        event_code=rule.kind,
        category=CATEGORIES.get(rule.kind, "Met"),
        severity=rule.severity,
        urgency="Immediate",
        certainty="Observed",
        language="de",
        onset=episode.condition_since,
        area_desc=", ".join(d.name for d in districts)[:500],
        ended_at=ended_at,
        dedupe_key=f"own:{rule.pk}:{episode.pk}",
        rule=rule,
        **_texts(rule),
    )
    if districts:
        warning.districts.set(districts)
    return warning


def alert_raise(*, rule: Rule, episode: Episode, now: dt.datetime) -> Warning:
    """The alert of an episode whose condition held for the minimum duration; sent after the commit."""
    from konzeptk.resilience import fanout

    warning = _warning(rule, episode, now, None)
    transaction.on_commit(lambda: fanout.enqueue(warning.pk))
    return warning


def alert_record(*, rule: Rule, episode: Episode, ended_at: dt.datetime, now: dt.datetime) -> Warning:
    """An episode that is already over when the data arrives: on record as a past alert, sent to nobody."""
    return _warning(rule, episode, now, ended_at)


def alert_end(*, warning: Warning, ended_at: dt.datetime) -> None:
    Warning.objects.filter(pk=warning.pk, ended_at__isnull=True).update(ended_at=ended_at)
    warning.ended_at = ended_at
