"""Reads of the participation app: bounded, annotated querysets whose query count does not grow with rows."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, QuerySet
from django.db.models.functions import Mod

from konzeptk.city import svgmap
from konzeptk.city.models import CityProfile, District, DistrictLayer
from konzeptk.city.selectors import current_layer
from konzeptk.participation.models import Comment, Idea, Process, Support

PAGE_SIZE = 20
COMMENT_PAGE_SIZE = 25
RANDOM_MODULUS = 2_147_483_647

SORTS = ("newest", "supported", "discussed", "random")


def processes_public() -> QuerySet[Process]:
    return Process.objects.public().select_related("organiser").prefetch_related("phases")


def process_by_slug(slug: str) -> Process | None:
    return Process.objects.select_related("organiser").prefetch_related("phases").filter(slug=slug).first()


def light_profile() -> CityProfile | None:
    """The active city profile without its (large) boundary: pages that only need names stay fast."""
    qs = CityProfile.objects.only("id", "slug", "name", "loaded_at", "is_active")
    return qs.filter(slug=settings.CITY_PROFILE).first() or qs.filter(is_active=True).order_by("pk").first()


def current_districts() -> list[District]:
    """Districts of the layer valid today, without their geometry."""
    profile = light_profile()
    layer = current_layer(profile) if profile else None
    return list(layer.districts.defer("geometry").order_by("code")) if layer else []


def ideas_filtered(
    process: Process,
    *,
    topic: str = "",
    district_id: int | None = None,
    status: str = "",
    channel: str = "",
    sort: str = "newest",
    seed: int = 1,
) -> QuerySet[Idea]:
    qs = (
        Idea.objects.visible()
        .filter(process=process)
        .select_related("district", "author")
        .defer("district__geometry")
    )
    if topic:
        qs = qs.filter(topic=topic)
    if district_id:
        qs = qs.filter(district_id=district_id)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if sort == "supported":
        return qs.order_by("-support_count", "-pk")
    if sort == "discussed":
        return qs.order_by("-comment_count", "-pk")
    if sort == "random":
        # A stable pseudo-random order per seed: (id * seed) mod a prime, no RANDOM() per request.
        return qs.annotate(_shuffle=Mod(F("id") * seed, RANDOM_MODULUS)).order_by("_shuffle", "pk")
    return qs.order_by("-created_at", "-pk")


def page_of(qs: QuerySet[Any], number: Any, size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(qs, size).get_page(number)


def supported_ids(user: Any, ideas: list[Idea]) -> set[int]:
    if not user.is_authenticated or not ideas:
        return set()
    return set(
        Support.objects.filter(user=user, idea_id__in=[i.pk for i in ideas]).values_list("idea_id", flat=True)
    )


def comments_page(idea: Idea, number: Any) -> Page[Comment]:
    """Top-level comments in pages, each with its replies (one level deep) prefetched."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    qs = (
        Comment.objects.filter(idea=idea, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )
    return Paginator(qs, COMMENT_PAGE_SIZE).get_page(number)


def idea_counts_by_district(process: Process) -> dict[int | None, int]:
    rows = (
        Idea.objects.visible()
        .filter(process=process)
        .values("district_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["district_id"]: row["n"] for row in rows}


@lru_cache(maxsize=16)
def _base_map(layer_id: int, stamp: str) -> svgmap.SvgMap:
    layer = DistrictLayer.objects.select_related("profile").get(pk=layer_id)
    districts = layer.districts.order_by("code")
    return svgmap.build(layer.profile.boundary, ((d.code, d.name, d.geometry) for d in districts))


@dataclasses.dataclass(frozen=True)
class DistrictCount:
    district: District | None
    count: int


def idea_map(process: Process) -> dict[str, Any] | None:
    """The SVG map of the current districts labelled with idea counts, and the same as a table."""
    profile = light_profile()
    layer = current_layer(profile) if profile else None
    if profile is None or layer is None:
        return None
    counts = idea_counts_by_district(process)
    districts = list(layer.districts.defer("geometry").order_by("code"))
    base = _base_map(layer.pk, profile.loaded_at.isoformat())
    by_code = {d.code: d for d in districts}
    shapes = []
    for shape in base.shapes:
        district = by_code.get(shape.code)
        count = counts.get(district.pk, 0) if district else 0
        shapes.append({"shape": shape, "count": count, "district": district})
    rows = [DistrictCount(d, counts.get(d.pk, 0)) for d in districts]
    elsewhere = sum(n for pk, n in counts.items() if pk not in {d.pk for d in districts})
    return {
        "svg": base,
        "shapes": shapes,
        "rows": rows,
        "without_district": elsewhere,
        "layer": layer,
        "city": profile.name,
    }


def results_of(process: Process, *, status: str = "", page: Any = None) -> dict[str, Any]:
    """What became of the ideas: counts per status and one page of ideas with their answers."""
    rows = Idea.objects.visible().filter(process=process).values("status").annotate(n=Count("id")).order_by()
    counts = {row["status"]: row["n"] for row in rows}
    labels = dict(Idea.Status.choices)
    qs = (
        Idea.objects.visible()
        .filter(process=process)
        .select_related("district")
        .defer("district__geometry")
        .order_by("status", "-support_count", "pk")
    )
    if status in labels:
        qs = qs.filter(status=status)
    answered = Idea.objects.visible().filter(process=process).exclude(answer="").count()
    return {
        "statuses": [(key, labels[key], counts.get(key, 0)) for key in Idea.Status.values],
        "current_status": status if status in labels else "",
        "page": page_of(qs, page, size=50),
        "total": sum(counts.values()),
        "answered": answered,
    }


def ballot_for(process: Process) -> Any:
    """The ballot of the process's most recent ballot phase, or None."""
    from konzeptk.participation.models import Ballot

    return (
        Ballot.objects.filter(phase__process=process)
        .select_related("phase", "phase__process")
        .order_by("-phase__start")
        .first()
    )


def ballot_results(ballot: Any) -> list[dict[str, Any]]:
    """Votes per idea, most first; every visible idea of the process appears (with 0)."""
    from konzeptk.participation.models import Vote

    counts = dict(
        Vote.objects.filter(ballot=ballot)
        .values("idea_id")
        .annotate(n=Count("id"))
        .values_list("idea_id", "n")
    )
    ideas = (
        Idea.objects.visible().filter(process=ballot.phase.process).only("id", "title", "cost", "process_id")
    )
    rows: list[dict[str, Any]] = [{"idea": i, "votes": counts.get(i.pk, 0)} for i in ideas]
    rows.sort(key=lambda r: (-r["votes"], r["idea"].pk))
    top = max((r["votes"] for r in rows), default=0) or 1
    remaining = ballot.budget or 0
    for row in rows:
        cost = row["idea"].cost
        row["funded"] = (
            ballot.kind == "budget" and row["votes"] > 0 and cost is not None and cost <= remaining
        )
        if row["funded"]:
            remaining -= cost
    for index, row in enumerate(rows):
        row["width"] = round(400 * row["votes"] / top)
        row["y"] = index * 28
    return rows
