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
from konzeptk.insights.engine import disclosure
from konzeptk.participation.models import Comment, Idea, Process, Support

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
    from django.core.cache import cache
    from django.utils import timezone

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


def page_of(qs: QuerySet[Any], number: Any, size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(qs, size).get_page(number)


def page_of_ids(qs: QuerySet[Any], number: Any, size: int = PAGE_SIZE, count: int | None = None) -> Page[Any]:
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


def results_of(process: Process, *, status: str = "", page: Any = None) -> dict[str, Any]:
    """What became of the ideas: counts per status (and how many have an answer) in one query, and
    one page of ideas with their answers."""
    from django.db.models import Q

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


TEXT_ANSWERS_SHOWN = 200
CHART_WIDTH = 640
CHART_LABEL = 230
CHART_ROW = 30


def _bars(rows: list[dict[str, Any]], key: str, maximum: float) -> dict[str, Any]:
    """Horizontal bar geometry (plain numbers; the template renders them with localisation off)."""
    span = CHART_WIDTH - CHART_LABEL - 70
    bars = []
    for index, row in enumerate(rows):
        value = float(row[key] or 0)
        label = str(row["label"])
        bars.append(
            {
                "y": index * CHART_ROW + 6,
                "text_y": index * CHART_ROW + 21,
                "width": round(span * value / maximum, 1) if maximum else 0,
                "value_x": CHART_LABEL + (round(span * value / maximum, 1) if maximum else 0) + 6,
                "label": label if len(label) <= 32 else label[:31] + "…",
                "value": row[key],
            }
        )
    return {"bars": bars, "height": len(rows) * CHART_ROW + 12, "width": CHART_WIDTH, "x": CHART_LABEL}


def survey_results(survey: Any) -> dict[str, Any]:
    """Aggregates of a survey in a fixed number of queries: counts per choice and scale value, average
    rank per choice, the newest free-text answers.

    Every count of people (filled-in questionnaires, answers to a question, answers per choice or
    scale value) is published through the platform's disclosure control, the cell-key method of
    ``konzeptk/insights/engine/disclosure.py``: each filled-in questionnaire has a fixed record key,
    a count is changed by at most ``max_deviation`` according to the questionnaires it counts, the
    same questionnaires always give the same number, and counts of 1 to 4 are never shown as
    themselves. Shares and the scale mean are computed from the published counts."""
    from django.db.models import Avg

    from konzeptk.participation.models import Answer, Question, Response

    ring = disclosure.Keyring(disclosure.secret_from(settings.DISCLOSURE_KEY, str(settings.SECRET_KEY)))
    questions = list(survey.questions.prefetch_related("choices"))
    total = ring.cell(
        [f"r{pk}" for pk in Response.objects.filter(survey=survey).values_list("pk", flat=True)]
    )
    answers = Answer.objects.filter(question__survey=survey)
    choice_members: dict[tuple[int, int], list[str]] = {}
    for question_id, choice_id, response_id in answers.filter(choice__isnull=False).values_list(
        "question_id", "choice_id", "response_id"
    ):
        choice_members.setdefault((question_id, choice_id), []).append(f"r{response_id}")
    averages = {
        (r["question_id"], r["choice_id"]): r["avg"]
        for r in answers.filter(question__kind=Question.Kind.RANKING)
        .values("question_id", "choice_id")
        .annotate(avg=Avg("value"))
    }
    scale_members: dict[tuple[int, int | None], list[str]] = {}
    for question_id, value, response_id in answers.filter(question__kind=Question.Kind.SCALE).values_list(
        "question_id", "value", "response_id"
    ):
        scale_members.setdefault((question_id, value), []).append(f"r{response_id}")
    answered_members: dict[int, set[str]] = {}
    for question_id, response_id in answers.values_list("question_id", "response_id"):
        answered_members.setdefault(question_id, set()).add(f"r{response_id}")
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        answers.filter(question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .order_by("-response__created_at", "-pk")
        .values_list("question_id", "text")[: TEXT_ANSWERS_SHOWN * max(1, len(questions))]
    ):
        bucket = texts.setdefault(question_id, [])
        if len(bucket) < TEXT_ANSWERS_SHOWN:
            bucket.append(text)
    items = []
    for question in questions:
        item: dict[str, Any] = {
            "question": question,
            "answered": ring.cell(answered_members.get(question.pk, set())),
        }
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            rows = [
                {"label": c.text, "count": ring.cell(choice_members.get((question.pk, c.pk), []))}
                for c in question.choices.all()
            ]
            for row in rows:
                row["percent"] = _percent(row["count"], item["answered"])
            item["rows"] = rows
            item["chart"] = _bars(rows, "count", max([r["count"] for r in rows] + [1]))
        elif question.kind == Question.Kind.SCALE:
            rows = [
                {"label": str(v), "count": ring.cell(scale_members.get((question.pk, v), []))}
                for v in question.scale_values
            ]
            for row in rows:
                row["percent"] = _percent(row["count"], item["answered"])
            item["rows"] = rows
            count = sum(r["count"] for r in rows)
            item["mean"] = (
                round(sum(int(r["label"]) * r["count"] for r in rows) / count, 2) if count else None
            )
            item["chart"] = _bars(rows, "count", max([r["count"] for r in rows] + [1]))
        elif question.kind == Question.Kind.RANKING:
            rows = [
                {
                    "label": c.text,
                    "average": round(averages[(question.pk, c.pk)], 2)
                    if averages.get((question.pk, c.pk)) is not None
                    else None,
                }
                for c in question.choices.all()
            ]
            rows.sort(key=lambda r: (r["average"] is None, r["average"] or 0))
            n = len(rows)
            # Longer bar = better place: n + 1 − average rank.
            for row in rows:
                row["score"] = round(n + 1 - row["average"], 2) if row["average"] is not None else 0
            item["rows"] = rows
            item["chart"] = _bars(rows, "score", float(n))
        else:
            item["texts"] = texts.get(question.pk, [])
        items.append(item)
    return _withhold_small_surveys({"total": total, "items": items})


def _percent(count: int, whole: int) -> int:
    """A share of published counts in whole percent, held in 0–100 (parts may exceed the whole)."""
    return min(100, round(100 * count / whole)) if whole > 0 else 0


#: surveys with fewer published questionnaires than this show nothing but their number
MIN_GROUP = 5
#: published counts are changed by at most this much (cell-key method of the insights engine)
MAX_DEVIATION = disclosure.MAX_DEVIATION


def _withhold_small_surveys(results: dict[str, Any]) -> dict[str, Any]:
    """Below MIN_GROUP + MAX_DEVIATION published questionnaires (so always when fewer than 5 were
    really filled in, and decided on the published number alone, so withholding tells nothing more)
    nothing but the number is shown: no counts, shares, means or free texts."""
    results["min_group"] = disclosure.MIN_DESCRIBED
    results["max_deviation"] = MAX_DEVIATION
    results["withheld"] = not disclosure.large_enough(results["total"])
    for item in results["items"]:
        if results["withheld"]:
            item.pop("chart", None)
            item["rows"], item["texts"], item["mean"] = [], [], None
    return results


def survey_export_rows(survey: Any) -> tuple[list[str], Any]:
    """Header and an iterator of rows (one per filled-in questionnaire) for the CSV export. Accounts are
    not named: the export says only whether an answer came from an account or a browser."""
    from konzeptk.participation.models import Answer, Question, Response

    questions = list(survey.questions.prefetch_related("choices"))
    header = ["Nr.", "Datum", "Weg", "simuliert"] + [q.text for q in questions]

    def rows() -> Any:
        responses = Response.objects.filter(survey=survey).order_by("pk")
        for start in range(0, responses.count(), 500):
            chunk = list(responses[start : start + 500])
            by_response: dict[int, list[Any]] = {}
            for a in (
                Answer.objects.filter(response__in=chunk)
                .select_related("choice")
                .order_by("response_id", "question_id", "value", "pk")
            ):
                by_response.setdefault(a.response_id, []).append(a)
            for response in chunk:
                per_question: dict[int, list[Any]] = {}
                for a in by_response.get(response.pk, []):
                    per_question.setdefault(a.question_id, []).append(a)
                cells = []
                for q in questions:
                    given = per_question.get(q.pk, [])
                    if q.kind == Question.Kind.TEXT:
                        cells.append(given[0].text if given else "")
                    elif q.kind == Question.Kind.SCALE:
                        cells.append(str(given[0].value) if given else "")
                    elif q.kind == Question.Kind.RANKING:
                        cells.append(" > ".join(a.choice.text for a in given))
                    else:
                        cells.append("; ".join(a.choice.text for a in given))
                yield [
                    str(response.pk),
                    response.created_at.date().isoformat(),
                    "Konto" if response.user_id else "Browser",
                    "ja" if response.is_demo else "nein",
                    *cells,
                ]

    return header, rows()


def adopted_measures() -> QuerySet[Any]:
    """Measures of the adopted revision of the strategy, with their goal, for the answer form."""
    from konzeptk.strategy.models import Measure, Revision

    return (
        Measure.objects.filter(revision__status=Revision.Status.ADOPTED)
        .select_related("goal")
        .only("id", "key", "title", "goal__title", "goal__key")
        .order_by("goal__position", "position", "pk")
    )


def measure_for(idea: Idea) -> Any:
    """The measure of the adopted revision that takes the idea up (one query, only when linked)."""
    if idea.strategy_measure_key is None:
        return None
    return adopted_measures().filter(key=idea.strategy_measure_key).first()
