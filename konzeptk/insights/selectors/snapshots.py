"""Reads of the stored day-by-day representation snapshots (the monitor, the history, the API's ``?day=``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, OuterRef, Q, Subquery

from konzeptk.insights.models import RepresentationSnapshot
from konzeptk.participation.models import Process


def snapshot_rows(
    process: Process | None, groups: list[tuple[str, str]], *, days: int
) -> tuple[list[dt.date], list[RepresentationSnapshot]]:
    """The latest ``days`` snapshot days of a process (``None``: the platform), oldest first, and
    the stored rows of the given (table, group) pairs and of the total on those days (two queries)."""
    qs = RepresentationSnapshot.objects.filter(process=process)
    found = list(qs.order_by("-day").values_list("day", flat=True).distinct()[:days])
    found.reverse()
    if not found:
        return [], []
    wanted = set(groups) | {("total", "")}
    tables = {t for t, _g in wanted}
    names = {g for _t, g in wanted}
    rows = [
        r
        for r in qs.filter(day__in=found, table__in=tables, group__in=names).order_by("day", "table", "group")
        if (r.table, r.group) in wanted
    ]
    return found, rows


def latest_flags(process_ids: list[int]) -> dict[int, tuple[dt.date, int, int]]:
    """Per process: the day of its latest snapshot and how many groups were under-represented and
    clearly under-represented then (one query; the tables the monitor flags, not the sex table)."""
    latest = (
        RepresentationSnapshot.objects.filter(process_id=OuterRef("process_id"))
        .order_by("-day")
        .values("day")[:1]
    )
    rows = (
        RepresentationSnapshot.objects.filter(process_id__in=process_ids, day=Subquery(latest))
        .exclude(table__in=["total", "sex"])
        .values("process_id")
        .annotate(
            day=Max("day"),
            under=Count("pk", filter=Q(under=True)),
            clearly=Count("pk", filter=Q(clearly_under=True)),
        )
        .order_by()
    )
    return {r["process_id"]: (r["day"], r["under"], r["clearly"]) for r in rows}


def snapshot_day(process: Process | None, day: dt.date) -> list[RepresentationSnapshot]:
    """Every stored row of one day's representation snapshot, in the order it was taken (one query)."""
    return list(RepresentationSnapshot.objects.filter(process=process, day=day).order_by("pk"))
