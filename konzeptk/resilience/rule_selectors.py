"""Reads of the staff pages of rules: each rule with its open episode and its latest alert."""

from __future__ import annotations

from django.db.models import Max, OuterRef, QuerySet, Subquery

from konzeptk.resilience.models import Episode, Rule


def rules_with_state() -> QuerySet[Rule]:
    """Rules with ``open_since`` / ``open_raised`` (the open episode) and ``last_alert`` (a fixed number of queries)."""
    open_episode = Episode.objects.filter(rule=OuterRef("pk"), ended_at__isnull=True)
    return (
        Rule.objects.select_related("datastream")
        .annotate(
            open_since=Subquery(open_episode.values("condition_since")[:1]),
            open_raised=Subquery(open_episode.values("raised_at")[:1]),
            last_alert=Max("warnings__sent"),
        )
        .order_by("name", "pk")
    )


def rule_by_pk(pk: int) -> Rule | None:
    return Rule.objects.filter(pk=pk).first()
