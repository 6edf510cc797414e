"""Reads of economy: the directory with "jetzt geöffnet", one entry with its hours, claims, offers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from konzeptk.accounts.models import User
from konzeptk.core.opening_hours import Moment, moment
from konzeptk.economy.models import Business, Category, Claim, Offer, WeeklyInterval

SERVICES = ("delivery", "click_collect", "online_shop", "card_payment")


def open_intervals(when: Moment) -> QuerySet[WeeklyInterval]:
    """The stored intervals that contain ``when`` (one index range: weekday, holiday, start)."""
    return WeeklyInterval.objects.filter(
        weekday=when.weekday,
        holiday=when.holiday,
        start_minute__lte=when.minute,
        end_minute__gt=when.minute,
    )


@dataclass(frozen=True)
class DirectoryFilter:
    q: str = ""
    category: str = ""
    open_now: bool = False
    step_free: bool = False
    service: str = ""
    district: str = ""


def directory(flt: DirectoryFilter, *, when: Moment | None = None) -> QuerySet[Business]:
    """Published entries matching the filter, by name (an index on published, name: a page is a short
    index scan). Whether each is open says :func:`mark_open` for the page's rows only."""
    when = when or moment()
    qs = Business.objects.filter(published=True).select_related("category", "district").order_by("name", "pk")
    if flt.open_now:
        qs = qs.filter(pk__in=open_intervals(when).values("business_id"))
    if flt.category:  # by id, so the index (published, category, name) serves the page
        category_id = Category.objects.filter(slug=flt.category).values_list("pk", flat=True).first()
        qs = qs.filter(category_id=category_id) if category_id is not None else qs.none()
    if flt.step_free:
        qs = qs.filter(step_free="yes")
    if flt.service in SERVICES:
        qs = qs.filter(**{flt.service: True})
    if flt.district:
        qs = qs.filter(district__code=flt.district)
    if flt.q:
        words = flt.q.split()[:5]
        for word in words:
            qs = qs.filter(Q(name__icontains=word) | Q(street__icontains=word))
    return qs


def mark_open(businesses: list[Business], *, when: Moment) -> list[Business]:
    """Set ``is_open`` on each business of a page (one query over the interval table)."""
    ids = [b.pk for b in businesses]
    found = set(open_intervals(when).filter(business_id__in=ids).values_list("business_id", flat=True))
    for business in businesses:
        business.is_open = business.pk in found  # type: ignore[attr-defined]
    return businesses


def categories() -> list[Category]:
    return list(Category.objects.all()[:100])


def business_by_slug(slug: str, *, when: Moment | None = None) -> Business | None:
    when = when or moment()
    return (
        Business.objects.filter(slug=slug, published=True)
        .select_related("category", "district")
        .prefetch_related(
            Prefetch(
                "intervals", queryset=WeeklyInterval.objects.order_by("holiday", "weekday", "start_minute")
            )
        )
        .annotate(is_open=Exists(open_intervals(when).filter(business=OuterRef("pk"))))
        .first()
    )


@dataclass(frozen=True)
class DayHours:
    weekday: int
    spans: tuple[tuple[int, int], ...]


def week_table(business: Business) -> tuple[list[DayHours], list[DayHours]]:
    """The normal week and the holiday rows per weekday, from the prefetched intervals."""
    normal: dict[int, list[tuple[int, int]]] = {i: [] for i in range(7)}
    holiday: dict[int, list[tuple[int, int]]] = {i: [] for i in range(7)}
    for interval in business.intervals.all():
        (holiday if interval.holiday else normal)[interval.weekday].append(
            (interval.start_minute, interval.end_minute)
        )
    return (
        [DayHours(i, tuple(normal[i])) for i in range(7)],
        [DayHours(i, tuple(holiday[i])) for i in range(7)],
    )


def owned_businesses(user: User) -> list[Business]:
    return list(
        Business.objects.filter(claims__user=user, claims__status=Claim.Status.VERIFIED)
        .select_related("category")
        .order_by("name")[:100]
    )


def claims_of(user: User) -> list[Claim]:
    return list(Claim.objects.filter(user=user).select_related("business").order_by("-created_at")[:100])


def pending_claims() -> QuerySet[Claim]:
    return (
        Claim.objects.filter(status=Claim.Status.PENDING)
        .select_related("business", "user")
        .order_by("created_at", "pk")
    )


def claim_by_pk(pk: int) -> Claim | None:
    return Claim.objects.filter(pk=pk).select_related("business", "user").first()


def offers() -> list[Offer]:
    today = timezone.localdate()
    return list(
        Offer.objects.filter(published=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("kind", "order", "title")[:200]
    )


def map_features(flt: DirectoryFilter, *, limit: int = 2000) -> list[dict[str, object]]:
    """GeoJSON features of the filtered directory (open data and the map's script)."""
    when = moment()
    open_ids = set(open_intervals(when).values_list("business_id", flat=True))
    rows = directory(flt, when=when).values_list(
        "slug",
        "name",
        "category__name",
        "street",
        "postcode",
        "lat",
        "lon",
        "step_free",
        "opening_hours",
        "pk",
    )[:limit]
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "slug": slug,
                "name": name,
                "category": category,
                "address": f"{street}, {postcode} Krefeld".strip(", "),
                "wheelchair": step_free,
                "opening_hours": opening,
                "open_now": pk in open_ids,
                "url": f"/innenstadt/geschaefte/{slug}/",
            },
        }
        for slug, name, category, street, postcode, lat, lon, step_free, opening, pk in rows
    ]
