"""Reads of the Mängelmelder: bounded, indexed querysets for lists, the map, the queue and statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.models import CityProfile, District
from konzeptk.core.content import content_label
from konzeptk.servicedesk.geo import bounding_box, haversine_m
from konzeptk.servicedesk.models import Category, Follower, Report, ReportPhoto, ReportUpdate

NEARBY_RADIUS_M = 50.0
MAP_LIMIT = 1000


def categories_for_choice() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active categories grouped by top-level category, for a select with optgroups."""
    groups: dict[int | None, list[Category]] = defaultdict(list)
    tops = []
    for category in Category.objects.active().order_by("order", "name"):
        if category.parent_id is None:
            tops.append(category)
        else:
            groups[category.parent_id].append(category)
    choices: list[tuple[str, list[tuple[int, str]]]] = []
    for top in tops:
        children = groups.get(top.pk, [])
        # labels in the reader's language; a German fallback is marked lang="de" by the widget
        options: list[tuple[int, str]] = [(top.pk, content_label(top, "name"))]
        options += [(c.pk, content_label(c, "name")) for c in children]
        choices.append((content_label(top, "name"), options))
    return choices


def service_list() -> QuerySet[Category]:
    """Every active category as an Open311 service, with its parent and attribute count."""
    return (
        Category.objects.active()
        .select_related("parent")
        .annotate(attribute_count=Count("attributes", filter=Q(attributes__variable=True)))
        .order_by("order", "name")
    )


@dataclass(frozen=True)
class ReportFilter:
    category: Category | None = None
    status: str = ""
    district: District | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _apply_filter(qs: QuerySet[Report], flt: ReportFilter) -> QuerySet[Report]:
    if flt.category is not None:
        ids = [flt.category.pk, *flt.category.children.values_list("pk", flat=True)]
        qs = qs.filter(category_id__in=ids) if len(ids) > 1 else qs.filter(category_id=ids[0])
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.district is not None:
        qs = qs.filter(district=flt.district)
    if flt.since is not None:
        qs = qs.filter(requested_at__gte=flt.since)
    if flt.until is not None:
        qs = qs.filter(requested_at__lt=flt.until)
    return qs


def public_reports(flt: ReportFilter) -> QuerySet[Report]:
    """Published, visible reports matching the filter, newest first (paginate the result)."""
    qs = (
        Report.objects.public()
        .select_related("category", "category__parent", "district")
        .defer("district__geometry")
    )
    return _apply_filter(qs, flt).order_by("-requested_at", "-pk")


def map_points(flt: ReportFilter, *, limit: int = MAP_LIMIT) -> list[dict[str, Any]]:
    """The newest ``limit`` public reports as light dictionaries for the map (GeoJSON features)."""
    qs = _apply_filter(Report.objects.public(), flt).order_by("-requested_at")
    rows = qs.values_list("service_request_id", "lat", "lon", "status", "category__name", "requested_at")[
        :limit
    ]
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "id": rid,
                "status": status,
                "category": cat,
                "requested": when.date().isoformat(),
            },
        }
        for rid, lat, lon, status, cat, when in rows
    ]


@dataclass(frozen=True)
class Nearby:
    report: Report
    distance_m: float


def nearby_open_reports(
    *, category: Category, lat: float, lon: float, radius_m: float = NEARBY_RADIUS_M, limit: int = 10
) -> list[Nearby]:
    """Open public reports of the same category within radius_m, nearest first.

    The bounding box uses the (category, lat, lon) index; the exact distance is then computed
    for the few candidates inside the box.
    """
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_m)
    candidates = (
        Report.objects.public()
        .open()
        .filter(
            category=category,
            lat__gte=min_lat,
            lat__lte=max_lat,
            lon__gte=min_lon,
            lon__lte=max_lon,
            merged_into__isnull=True,
        )
        .select_related("category")
        .order_by("-requested_at")[:200]
    )
    found = []
    for report in candidates:
        distance = haversine_m(lat, lon, report.lat, report.lon)
        if distance <= radius_m:
            found.append(Nearby(report=report, distance_m=distance))
    found.sort(key=lambda n: n.distance_m)
    return found[:limit]


def report_for_public(public_id: str) -> Report | None:
    return (
        Report.objects.public()
        .select_related("category", "category__parent", "district", "organisation", "merged_into")
        .defer("district__geometry")
        .prefetch_related(Prefetch("photos", queryset=ReportPhoto.objects.filter(published=True)))
        .filter(service_request_id=public_id)
        .first()
    )


def public_timeline(report: Report) -> QuerySet[ReportUpdate]:
    return (
        report.updates.filter(kind=ReportUpdate.Kind.PUBLIC)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


# --- staff ---------------------------------------------------------------------------------


def organisations_for(user: User) -> QuerySet[Organisation]:
    """Organisations whose queue the user may work: all responsible ones for platform staff."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_platform_staff:
        # Two semi-joins (a handful of organisations, each probing an index) joined by UNION.
        # "EXISTS … OR EXISTS …" made PostgreSQL scan all reports once per organisation
        # without any (180 ms on 100,000 reports).
        responsible = Organisation.objects.filter(
            Exists(Category.objects.filter(organisation=OuterRef("pk")))
        ).order_by()
        working = Organisation.objects.filter(
            Exists(Report.objects.filter(organisation=OuterRef("pk")))
        ).order_by()
        return responsible.union(working).order_by("name")
    return Organisation.objects.filter(memberships__user=user).order_by("name")


@dataclass(frozen=True)
class QueueFilter:
    organisation: Organisation
    status: str = ""
    category: Category | None = None
    district: District | None = None
    unpublished_only: bool = False
    assigned_to: User | None = None


def staff_queue(flt: QueueFilter) -> QuerySet[Report]:
    qs = Report.objects.filter(organisation=flt.organisation, merged_into__isnull=True)
    qs = qs.filter(status=flt.status) if flt.status else qs.open()
    if flt.category is not None:
        qs = qs.filter(category=flt.category)
    if flt.district is not None:
        qs = qs.filter(district=flt.district)
    if flt.unpublished_only:
        qs = qs.filter(published=False, hidden=False)
    if flt.assigned_to is not None:
        qs = qs.filter(assignee=flt.assigned_to)
    return (
        qs.select_related("category", "district", "assignee")
        .defer("district__geometry")
        .order_by("-requested_at", "-pk")
    )


# --- statistics ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatRow:
    label: str
    total: int
    open: int
    fixed: int
    median_days: float | None


def _median_days(durations: list[float]) -> float | None:
    return round(statistics.median(durations), 1) if durations else None


def report_statistics(*, since: dt.datetime | None = None) -> dict[str, list[StatRow]]:
    """Per top-level category and per district: reports, open ones, fixed ones, median days to fix."""
    qs = Report.objects.public().filter(merged_into__isnull=True)
    if since is not None:
        qs = qs.filter(requested_at__gte=since)
    categories = {c.pk: c for c in Category.objects.select_related("parent")}
    districts = dict(District.objects.filter(pk__in=qs.values("district")).values_list("pk", "name"))
    by_cat: dict[str, dict[str, Any]] = defaultdict(lambda: {"total": 0, "open": 0, "durations": []})
    by_district: dict[str, dict[str, Any]] = defaultdict(lambda: {"total": 0, "open": 0, "durations": []})
    rows = qs.values_list("category_id", "district_id", "status", "close_reason", "requested_at", "closed_at")
    for category_id, district_id, status, reason, requested, closed in rows.iterator(chunk_size=5000):
        category = categories.get(category_id)
        cat_label = category.group if category else "–"
        district_label = districts.get(district_id, "–")
        for bucket in (by_cat[cat_label], by_district[district_label]):
            bucket["total"] += 1
            if status != Report.Status.CLOSED:
                bucket["open"] += 1
            elif reason == Report.CloseReason.FIXED and closed is not None:
                bucket["durations"].append((closed - requested).total_seconds() / 86400)

    def _rows(data: dict[str, dict[str, Any]]) -> list[StatRow]:
        return [
            StatRow(
                label=label,
                total=v["total"],
                open=v["open"],
                fixed=len(v["durations"]),
                median_days=_median_days(v["durations"]),
            )
            for label, v in sorted(data.items())
        ]

    return {"categories": _rows(by_cat), "districts": _rows(by_district)}


# --- single objects for the pages (views read nothing themselves) ---------------------------------


def city_profile(profile_id: int) -> CityProfile:
    """The profile with its outline (the map drawing needs it)."""
    return CityProfile.objects.get(pk=profile_id)


def report_for_reporter(token: str) -> Report | None:
    """The report behind the reporter's secret link, published or not."""
    return (
        Report.objects.select_related("category", "organisation", "district", "merged_into")
        .defer("district__geometry")
        .filter(token=token)
        .first()
    )


def report_for_staff(public_id: str) -> Report | None:
    """A report as staff work on it (callers check the permission)."""
    return (
        Report.objects.select_related("category", "organisation", "district", "assignee", "merged_into")
        .defer("district__geometry")
        .filter(service_request_id=public_id)
        .first()
    )


def follower_by_token(token: str) -> Follower | None:
    return Follower.objects.select_related("report").filter(token=token).first()


def report_photo(pk: int, *, published_only: bool) -> ReportPhoto | None:
    """A photo with its report; ``published_only`` for the public, staff may see unchecked ones."""
    qs = ReportPhoto.objects.select_related("report").filter(pk=pk)
    return (qs.filter(published=True) if published_only else qs).first()


def organisation_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def has_verified_address(user: User, email: str) -> bool:
    """Is ``email`` a verified address of this person's account?"""
    return bool(EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists())


CSV_HEADER = (
    "service_request_id",
    "service_name",
    "status",
    "lat",
    "long",
    "address",
    "district",
    "requested_datetime",
    "updated_datetime",
)


def public_report_rows() -> Iterator[tuple[str | float, ...]]:
    """Every public report as a CSV row (the fields Open311 publishes, without free texts), oldest first,
    read in chunks so the whole table never sits in memory."""
    rows = (
        Report.objects.public()
        .order_by("requested_at", "pk")
        .values_list(
            "service_request_id",
            "category__name",
            "status",
            "lat",
            "lon",
            "address",
            "district__name",
            "requested_at",
            "updated_at",
        )
    )
    for rid, category, status, lat, lon, address, district, requested, updated in rows.iterator(
        chunk_size=2000
    ):
        yield (
            rid,
            category,
            status,
            round(lat, 6),
            round(lon, 6),
            address,
            district or "",
            requested.isoformat(timespec="seconds"),
            updated.isoformat(timespec="seconds") if updated else "",
        )


def open_report_count() -> int:
    """Public reports not yet done (open or in progress), for the home page: one count over an index."""
    return Report.objects.public().open().count()
