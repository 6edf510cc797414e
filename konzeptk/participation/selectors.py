"""Reads of the participation app: bounded, annotated querysets whose query count does not grow with rows."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Mod
from django.utils import timezone

from konzeptk.accounts.models import Membership, Organisation, User
from konzeptk.city import svgmap
from konzeptk.city.models import CityProfile, District, DistrictLayer
from konzeptk.city.selectors import current_layer
from konzeptk.participation.models import (
    Block,
    Channel,
    Comment,
    Follow,
    Idea,
    ModerationAction,
    Phase,
    Process,
    Report,
    Support,
)
from konzeptk.participation.phases import PhaseLink
from konzeptk.participation.rules import EDITOR_ROLES
from konzeptk.strategy.models import Measure, Revision

PAGE_SIZE = 20
COMMENT_PAGE_SIZE = 25
RANDOM_MODULUS = 2_147_483_647

SORTS = ("newest", "supported", "discussed", "random")

#: Large text fields of a linked strategy project that idea lists never show.
PROJECT_DEFER = (
    "strategy_project__description",
    "strategy_project__summary",
    "strategy_project__evaluation_criteria",
    "strategy_project__decision_record",
    "strategy_project__sources",
)


def processes_public() -> QuerySet[Process]:
    return Process.objects.public().select_related("organiser").prefetch_related("phases")


def process_by_slug(slug: str) -> Process | None:
    return Process.objects.select_related("organiser").prefetch_related("phases").filter(slug=slug).first()


def light_profile() -> CityProfile | None:
    """The active city profile without its (large) boundary: pages that only need names stay fast."""
    qs = CityProfile.objects.only("id", "slug", "name", "loaded_at", "is_active")
    return qs.filter(slug=settings.CITY_PROFILE).first() or qs.filter(is_active=True).order_by("pk").first()


@dataclasses.dataclass(frozen=True)
class DistrictContext:
    profile: CityProfile
    layer: DistrictLayer
    districts: list[District]


DISTRICT_CACHE_SECONDS = 600


def district_context() -> DistrictContext | None:
    """The active profile, its layer valid today and that layer's districts (without geometry).

    One query for the profile; layer and districts come from the cache, keyed by the profile's load
    time and the day, so loading a new profile or a new day takes effect at once.
    """
    profile = light_profile()
    if profile is None:
        return None
    key = f"participation:districts:{profile.pk}:{profile.loaded_at.isoformat()}:{timezone.localdate()}"
    cached = cache.get(key)
    if cached is None:
        layer = current_layer(profile)
        districts = list(layer.districts.defer("geometry").order_by("code")) if layer else []
        cached = (layer, districts)
        cache.set(key, cached, DISTRICT_CACHE_SECONDS)
    layer, districts = cached
    return DistrictContext(profile, layer, districts) if layer is not None else None


def current_districts() -> list[District]:
    """Districts of the layer valid today, without their geometry."""
    context = district_context()
    return list(context.districts) if context else []


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
        .select_related("district", "author", "strategy_project")
        .defer("district__geometry", *PROJECT_DEFER)
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


def page_of(qs: QuerySet[Any], number: str | int | None, size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(qs, size).get_page(number)


def page_of_ids(
    qs: QuerySet[Any], number: str | int | None, size: int = PAGE_SIZE, count: int | None = None
) -> Page[Any]:
    """A page of ``qs`` found by primary keys first, then only its rows loaded ("deferred join").

    ORDER BY … OFFSET over thousands of rows then walks an index and skips keys instead of reading
    and sorting whole rows (with their long texts); the second query fetches the 20–50 rows shown.
    Two queries, whatever the page number.
    """
    paginator = Paginator(qs.values_list("pk", flat=True), size)
    if count is not None:
        paginator.__dict__["count"] = count  # known already: no second COUNT(*)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = {obj.pk: obj for obj in qs.order_by().filter(pk__in=ids)} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def rows_by_ids(qs: QuerySet[Any], window: slice) -> list[Any]:
    """The rows of ``qs[window]`` by the same two-step way as ``page_of_ids`` (for the API)."""
    ids = list(qs.values_list("pk", flat=True)[window])
    rows = {obj.pk: obj for obj in qs.order_by().filter(pk__in=ids)} if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


def supported_ids(user: AbstractBaseUser | AnonymousUser, ideas: list[Idea]) -> set[int]:
    if not isinstance(user, User) or not ideas:
        return set()
    return set(
        Support.objects.filter(user=user, idea_id__in=[i.pk for i in ideas]).values_list("idea_id", flat=True)
    )


def comments_page(idea: Idea, number: str | int | None) -> Page[Comment]:
    """Top-level comments in pages, each with its replies (one level deep) prefetched."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    qs = (
        Comment.objects.filter(idea=idea, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )
    return Paginator(qs, COMMENT_PAGE_SIZE).get_page(number)


def idea_points(ideas: QuerySet[Idea], *, limit: int) -> list[dict[str, Any]]:
    """The places of the filtered ideas for the pin map, the first ``limit`` in the list's order (one
    query, plain rows): ``pk``, ``title``, ``lat``, ``lon``."""
    placed = ideas.filter(lat__isnull=False, lon__isnull=False)
    return [dict(row) for row in placed.values("pk", "title", "lat", "lon")[:limit]]


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


def idea_map(process: Process, context: DistrictContext | None = None) -> dict[str, Any] | None:
    """The SVG map of the current districts labelled with idea counts, and the same as a table."""
    context = context or district_context()
    if context is None:
        return None
    profile, layer, districts = context.profile, context.layer, context.districts
    counts = idea_counts_by_district(process)
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


def results_of(process: Process, *, status: str = "", page: str | int | None = None) -> dict[str, Any]:
    """What became of the ideas: counts per status (and how many have an answer) in one query, and
    one page of ideas with their answers."""
    rows = (
        Idea.objects.visible()
        .filter(process=process)
        .values("status")
        .annotate(n=Count("id"), answered=Count("id", filter=~Q(answer="")))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    answered = sum(row["answered"] for row in rows)
    labels = dict(Idea.Status.choices)
    qs = (
        Idea.objects.visible()
        .filter(process=process)
        .select_related("district", "strategy_project")
        .defer("district__geometry", *PROJECT_DEFER)
        .order_by("status", "-support_count", "pk")
    )
    total = sum(counts.values())
    if status in labels:
        qs = qs.filter(status=status)
    return {
        "statuses": [(key, labels[key], counts.get(key, 0)) for key in Idea.Status.values],
        "current_status": status if status in labels else "",
        "page": page_of_ids(qs, page, size=50, count=counts.get(status, 0) if status in labels else total),
        "total": total,
        "answered": answered,
    }


def free_process_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``, … whichever no process has yet (one query)."""
    taken = set(Process.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base[: 80 - len(str(n)) - 1]}-{n}"
    return candidate


def phase_links(process: Process, user: User | AnonymousUser) -> list[PhaseLink]:
    """The links that the phase types of the process's phases add to its page (once per type)."""
    types = {p.type: p.phase_type for p in process.phases.all()}
    return [
        link
        for phase_type in types.values()
        if phase_type.pages is not None
        for link in phase_type.pages.process_links(process=process, user=user)
    ]


def adopted_measures() -> QuerySet[Measure]:
    """Measures of the adopted revision of the strategy, with their goal, for the answer form."""
    return (
        Measure.objects.filter(revision__status=Revision.Status.ADOPTED)
        .select_related("goal")
        .only("id", "key", "title", "goal__title", "goal__key")
        .order_by("goal__position", "position", "pk")
    )


def measure_for(idea: Idea) -> Measure | None:
    """The measure of the adopted revision that takes the idea up (one query, only when linked)."""
    if idea.strategy_measure_key is None:
        return None
    return adopted_measures().filter(key=idea.strategy_measure_key).first()


# --- pages: processes, ideas, comments, moderation, staff -------------------------------------


def idea_counts(process: Process) -> dict[str, int]:
    """Visible ideas of the process, and how many of them came in offline (one query)."""
    counts: dict[str, int] = (
        Idea.objects.visible()
        .filter(process=process)
        .aggregate(ideas=Count("id"), offline=Count("id", filter=~Q(channel=Channel.ONLINE)))
    )
    return counts


def is_following(
    user: AbstractBaseUser | AnonymousUser, *, process: Process | None = None, idea: Idea | None = None
) -> bool:
    """Whether the person follows the process or the idea."""
    if not isinstance(user, User):
        return False
    return Follow.objects.filter(user=user, process=process, idea=idea).exists()


def visible_idea(slug: str, pk: int) -> Idea | None:
    """A visible idea of the process ``slug``."""
    return Idea.objects.visible().filter(pk=pk, process__slug=slug).first()


def idea_of_process(process: Process, pk: int) -> Idea | None:
    """An idea of the process with what its page shows (hidden and deleted ones too: the page decides)."""
    return (
        Idea.objects.select_related("district", "author", "process", "strategy_project")
        .defer("district__geometry", "process__description", *PROJECT_DEFER)
        .filter(pk=pk, process=process)
        .first()
    )


def public_idea(pk: int) -> Idea | None:
    """A visible idea of a published or archived process, with its district and process (the API)."""
    return (
        Idea.objects.public()
        .select_related("district", "process")
        .defer("district__geometry")
        .filter(pk=pk)
        .first()
    )


def comments_public(idea: Idea) -> QuerySet[Comment]:
    """The comments of an idea anyone may read, oldest first (deleted and hidden ones left out)."""
    return (
        Comment.objects.filter(idea=idea, deleted_at__isnull=True, is_hidden=False)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def comment_of(slug: str, pk: int) -> Comment | None:
    """A comment of an idea of the process ``slug``, with its idea and process."""
    return Comment.objects.select_related("idea__process").filter(pk=pk, idea__process__slug=slug).first()


def reply_parent(idea: Idea, pk: int) -> Comment | None:
    """The comment of ``idea`` a reply answers, or None when it is gone."""
    return Comment.objects.filter(pk=pk, idea=idea).first()


def reports_of(process: Process) -> QuerySet[Report]:
    """Reports about ideas and comments of the process (resolved ones included)."""
    return Report.objects.filter(Q(idea__process=process) | Q(comment__idea__process=process))


def report_of(process: Process, pk: int) -> Report | None:
    return reports_of(process).filter(pk=pk).first()


@dataclasses.dataclass(frozen=True)
class ModerationQueue:
    reports: QuerySet[Report]
    hidden_ideas: QuerySet[Idea]
    hidden_comments: QuerySet[Comment]
    blocks: QuerySet[Block]
    log: QuerySet[ModerationAction]


def moderation_queue(process: Process) -> ModerationQueue:
    """Open reports, hidden contributions, blocks and the decision log of a process's organiser,
    each ordered for paging (the page loads one page of each)."""
    return ModerationQueue(
        reports=reports_of(process)
        .filter(resolved_at=None)
        .select_related("idea__author", "comment__author", "comment__idea", "reporter")
        .defer("idea__text", "comment__idea__text")
        .order_by("created_at", "pk"),
        hidden_ideas=Idea.objects.filter(process=process, is_hidden=True)
        .only("id", "title", "hidden_reason", "process_id")
        .order_by("-pk"),
        hidden_comments=Comment.objects.filter(idea__process=process, is_hidden=True)
        .only("id", "text", "hidden_reason", "idea_id")
        .order_by("-pk"),
        blocks=Block.objects.filter(organisation_id=process.organiser_id)
        .select_related("user")
        .order_by("-created_at", "-pk"),
        log=ModerationAction.objects.filter(organisation_id=process.organiser_id)
        .select_related("moderator", "affected_user")
        .order_by("-created_at", "-pk"),
    )


def person(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def editor_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations for which the person runs processes (all for platform staff)."""
    if user.is_platform_staff:
        return Organisation.objects.order_by("name")
    memberships = Membership.objects.filter(user=user, role__in=EDITOR_ROLES).values("organisation_id")
    return Organisation.objects.filter(pk__in=memberships).order_by("name")


def editable_processes(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Process]:
    """Processes a person may edit: all for platform staff, else those of organisations in which
    they are editor, moderator or admin (drafts included)."""
    if not isinstance(user, User):
        return Process.objects.none()
    if user.is_platform_staff:
        return Process.objects.all()
    orgs = Membership.objects.filter(user=user, role__in=EDITOR_ROLES).values("organisation_id")
    return Process.objects.filter(organiser_id__in=orgs)


def staff_process_list(user: User) -> QuerySet[Process]:
    """The processes on a person's staff page, drafts first."""
    return editable_processes(user).select_related("organiser").order_by("status", "-created_at", "-pk")


def process_with_organiser(slug: str) -> Process | None:
    return Process.objects.select_related("organiser").filter(slug=slug).first()


def phases_for_editor(process: Process) -> list[Phase]:
    """The phases of a process in order (the phase editor)."""
    return list(process.phases.order_by("weight", "start"))


def running_phases(limit: int) -> list[Phase]:
    """The phases running now in public processes, the soonest end first (the home page): one query."""
    now = timezone.now()
    return list(
        Phase.objects.filter(start__lte=now, end__gt=now, process__status=Process.Status.PUBLISHED)
        .select_related("process")
        .order_by("end", "pk")[:limit]
    )


def latest_answers(limit: int) -> list[Idea]:
    """The ideas most recently answered by the administration, of public processes (the home page)."""
    return list(
        Idea.objects.public()
        .filter(answered_at__isnull=False)
        .exclude(answer="")
        .select_related("process")
        .order_by("-answered_at", "-pk")[:limit]
    )
