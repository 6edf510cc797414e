"""Representation, weighting and cohesion of a process (or the whole platform), computed from the
selectors' reads with the pure engine. Nothing here writes; every count shown to people passes the
engine's small-cell suppression (cells of 1 to 4 people are never published).

The pages use :func:`cached`: a report is kept in the cache under a key that contains
``selectors.contributions_fingerprint`` (count and latest time of every contribution, profile and
consent the report reads), so the first request after a new contribution or a withdrawn consent
computes afresh and no page ever shows a report older than the data."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from konzeptk.city.models import DistrictLayer
from konzeptk.insights import selectors
from konzeptk.insights.engine import bridging as eb
from konzeptk.insights.engine import raking as er
from konzeptk.insights.engine import representation as rep
from konzeptk.insights.engine.errors import EngineError
from konzeptk.insights.models import POPULATION_BANDS
from konzeptk.participation.models import Answer, Ballot, Process, Question, Vote

MIN = rep.MIN_COUNT
#: most under-represented groups listed with outreach suggestions (the tables show all)
FLAGGED_MAX = 12


def band_label(band: str) -> str:
    return {
        "6-17": _("6 bis 17 Jahre"),
        "18-64": _("18 bis 64 Jahre"),
        "65+": _("65 Jahre und älter"),
    }.get(band, band)


def sex_label(sex: str) -> str:
    return {"f": _("weiblich"), "m": _("männlich")}.get(sex, sex)


def idea_url(slug: str, pk: int) -> str:
    """The idea's page in the active language (one reverse per call site would cost per row)."""
    template = _IDEA_URLS.get(translation.get_language() or "")
    if template is None:
        template = reverse("participation:idea", kwargs={"slug": "slug-0", "pk": 987654321})
        _IDEA_URLS[translation.get_language() or ""] = template
    return template.replace("slug-0", slug).replace("987654321", str(pk))


_IDEA_URLS: dict[str, str] = {}


def small(n: int | None) -> str:
    """A count as published: '< 5' for 1 to 4."""
    if n is None:
        return _("< 5")
    return _("< 5") if 0 < n < MIN else str(n)


def cached(kind: str, process: Process | None, compute: Any, *variant: object) -> Any:
    """``compute()``, or its result from the cache if nothing it reads has changed since.

    The key holds the contributions' fingerprint (one query), the phases' dates, the city profile
    and the language (reports contain translated labels)."""
    layer = selectors.reference_layer()
    phases = (
        sorted((p.pk, p.start.isoformat(), p.end.isoformat()) for p in process.phases.all())
        if process
        else []
    )
    raw = repr(
        (
            kind,
            process.pk if process else None,
            variant,
            translation.get_language(),
            layer.pk if layer else None,
            layer.profile.loaded_at.isoformat() if layer else None,
            phases,
            selectors.contributions_fingerprint(process),
        )
    )
    key = "insights:report:" + hashlib.sha256(raw.encode()).hexdigest()
    report = cache.get(key)
    if report is None:
        report = compute()
        cache.set(key, report, REPORT_CACHE_SECONDS)
    return report


#: how long an unchanged report stays cached (its key changes with every change of its data)
REPORT_CACHE_SECONDS = 24 * 3600


# --- Representation ----------------------------------------------------------------------------
@dataclass
class RepRow:
    label: str
    participants: int | None
    population: float
    participant_share: float | None
    population_share: float
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    under: bool
    clearly_under: bool
    suggestion: str = ""
    table: str = ""  # key of the table (district, age, sex, district_age, age_sex)
    group: str = ""  # key of the group in it, see :func:`group_key`

    @property
    def bar(self) -> float:
        """Width (0–100) of the ratio bar, capped at 2."""
        return 0.0 if self.ratio is None else min(self.ratio, 2.0) * 50


@dataclass
class RepTable:
    key: str
    title: str
    rows: list[RepRow] = field(default_factory=list)
    known: int = 0
    error: str = ""


@dataclass
class WeekPoint:
    day: dt.date
    participants: int
    with_district: int
    dissimilarity: float | None


@dataclass
class RepresentationReport:
    participants: int
    with_profile: int
    tables: list[RepTable]
    flagged: list[RepRow]
    weeks: list[WeekPoint]
    population: selectors.Population | None
    layer: DistrictLayer | None
    error: str = ""

    @property
    def current_dissimilarity(self) -> float | None:
        return self.weeks[-1].dissimilarity if self.weeks else None


def _suggestion(
    district_id: int | None, band: str | None, places: dict[int, dict[str, list[str]]], name: str
) -> str:
    """A concrete outreach step for an under-represented group, using real places of the district."""
    here = places.get(district_id or -1, {})

    def first(*categories: str) -> str:
        for category in categories:
            if here.get(category):
                return here[category][0]
        return ""

    if band == "65+":
        place = first("seniors", "library", "administration")
        if place:
            return _(
                "%(group)s: mit dem Bürgerkoffer in „%(place)s“ gehen oder dort eine Werkstatt vor Ort anbieten; Papierbogen und Telefon als Weg nennen."
            ) % {"group": name, "place": place}
        return _(
            "%(group)s: Bürgerkoffer in Seniorentreffs und Bürgerbüros, Papierbogen und Telefon als Weg anbieten."
        ) % {"group": name}
    if band == "6-17":
        place = first("youth", "school", "library")
        if place:
            return _(
                "%(group)s: Workshop mit „%(place)s“ verabreden; Schulen und Jugendzentren des Bezirks einladen."
            ) % {"group": name, "place": place}
        return _(
            "%(group)s: über Schulen, Jugendzentren und den Jugendrat einladen, Workshop in der Schulzeit anbieten."
        ) % {"group": name}
    if band == "18-64":
        place = first("library", "administration", "education")
        if place:
            return _(
                "%(group)s: Infostand am Abend oder Samstag bei „%(place)s“; Aushang und Einladung über Vereine und Arbeitgeber im Bezirk."
            ) % {"group": name, "place": place}
        return _(
            "%(group)s: Angebote am Abend und am Wochenende, Einladung über Arbeitgeber und Vereine."
        ) % {"group": name}
    if band is None and district_id is not None:
        place = first("administration", "library", "seniors", "youth")
        if place:
            return _(
                "%(group)s: Werkstatt vor Ort bei „%(place)s“ und Bürgerkoffer auf dem Wochenmarkt; Einladung per Postwurf in den Bezirk."
            ) % {"group": name, "place": place}
        return _("%(group)s: Werkstatt vor Ort und Bürgerkoffer im Bezirk; Einladung per Postwurf.") % {
            "group": name
        }
    return _(
        "%(group)s: gezielt einladen, z. B. über Vereine, Beratungsstellen und mehrsprachige Aushänge."
    ) % {"group": name}


def group_key(pop_key: Any) -> str:
    """A stable text key of a group: a district id, a band, a sex, or their combination ("12|65+")."""
    if isinstance(pop_key, tuple):
        return "|".join(str(part) for part in pop_key)
    return str(pop_key)


def _table(
    key: str, title: str, counts: dict[Any, int], population: dict[Any, float], labels: dict[Any, str]
) -> tuple[RepTable, list[rep.RepresentationRow]]:
    table = RepTable(key=key, title=title, known=sum(counts.values()))
    try:
        rows = rep.representation(counts, population)
    except EngineError as exc:
        table.error = str(exc)
        return table, []
    for row, pop_key in zip(rows, list(population), strict=True):
        table.rows.append(
            RepRow(
                label=labels[pop_key],
                participants=row.participants,
                population=row.population,
                participant_share=row.participant_share,
                population_share=row.population_share,
                ratio=row.ratio,
                ci_low=row.ci_low,
                ci_high=row.ci_high,
                under=row.under,
                clearly_under=row.clearly_under,
                table=key,
                group=group_key(pop_key),
            )
        )
    return table, rows


def _weeks(
    people: selectors.People, pop: selectors.Population | None, start: dt.datetime | None
) -> list[WeekPoint]:
    if not people.first_seen:
        return []
    first = min(people.first_seen.values())
    begin = max(first, start) if start else first
    today = timezone.now()
    weeks = []
    day = begin + dt.timedelta(days=7)
    order = sorted(people.first_seen.items(), key=lambda kv: kv[1])
    pop_by_district = pop.by_district() if pop else {}
    district_ids = list(pop_by_district)
    while True:
        end = min(day, today)
        seen = [key for key, when in order if when <= end]
        counts = Counter(people.profiles[k].district_id for k in seen if k in people.profiles)
        with_district = sum(counts[d] for d in district_ids)
        index = None
        if with_district >= 2 * MIN and district_ids:
            index = rep.dissimilarity_index(
                [counts[d] for d in district_ids], [pop_by_district[d] for d in district_ids]
            )
        weeks.append(
            WeekPoint(
                day=end.date(), participants=len(seen), with_district=with_district, dissimilarity=index
            )
        )
        if day >= today or len(weeks) >= 104:
            break
        day += dt.timedelta(days=7)
    return weeks[-52:]


def _start(process: Process | None) -> dt.datetime | None:
    if process is None:
        return None
    starts = [p.start for p in process.phases.all()]
    return min(starts) if starts else None


def representation_report(
    process: Process | None, *, suggestions: bool = False, as_of: dt.datetime | None = None
) -> RepresentationReport:
    """Participants compared with the population. With ``as_of``: only the people who had taken
    part by then (with today's consents; used for the demo's past snapshots)."""
    layer = selectors.reference_layer()
    pop = selectors.population(layer) if layer else None
    people = selectors.people(process, layer=layer)
    if as_of is not None:
        keep = {key for key, when in people.first_seen.items() if when <= as_of}
        people = selectors.People(
            participants=people.participants,
            profiles={k: p for k, p in people.profiles.items() if k in keep},
            first_seen={k: people.first_seen[k] for k in keep},
        )
    report = RepresentationReport(
        participants=len(people.first_seen),
        with_profile=len(people.profiles),
        tables=[],
        flagged=[],
        weeks=[],
        population=pop,
        layer=layer,
    )
    if pop is None or layer is None:
        report.error = _(
            "Für dieses Stadtprofil liegen keine Bevölkerungszahlen nach Bezirk, Alter und Geschlecht vor."
        )
        return report
    profiles = list(people.profiles.values())
    names = dict(pop.districts)
    by_district = Counter(p.district_id for p in profiles if p.district_id in names)
    by_band = Counter(p.population_band for p in profiles if p.population_band)
    by_sex = Counter(p.sex for p in profiles if p.sex)
    by_combo = Counter(
        (p.district_id, p.population_band) for p in profiles if p.district_id in names and p.population_band
    )
    by_band_sex = Counter((p.population_band, p.sex) for p in profiles if p.population_band and p.sex)
    places = selectors.points_by_district(layer) if suggestions else {}
    specs: list[tuple[str, str, dict[Any, int], dict[Any, float], dict[Any, str], Any]] = [
        ("district", _("nach Stadtbezirk"), dict(by_district), pop.by_district(), names, lambda k: (k, None)),
        (
            "age",
            _("nach Alter"),
            dict(by_band),
            pop.by_band(),
            {b: band_label(b) for b in POPULATION_BANDS},
            lambda k: (None, k),
        ),
        (
            "sex",
            _("nach Geschlecht"),
            dict(by_sex),
            pop.by_sex(),
            {s: sex_label(s) for s in selectors.SEXES},
            None,
        ),
        (
            "district_age",
            _("nach Stadtbezirk und Alter"),
            dict(by_combo),
            pop.by_district_band(),
            {(d, b): f"{names[d]}, {band_label(b)}" for d, _n in pop.districts for b in POPULATION_BANDS},
            lambda k: k,
        ),
        (
            "age_sex",
            _("nach Alter und Geschlecht"),
            dict(by_band_sex),
            pop.by_band_sex(),
            {(b, x): f"{band_label(b)}, {sex_label(x)}" for b in POPULATION_BANDS for x in selectors.SEXES},
            lambda k: (None, k[0]),
        ),
    ]
    for key, title, counts, population, labels, where in specs:
        table, _rows = _table(key, title, counts, population, labels)
        report.tables.append(table)
        for row, pop_key in zip(table.rows, list(population), strict=False):
            if row.under and suggestions and where is not None:
                district_id, band = where(pop_key)
                row.suggestion = _suggestion(district_id, band, places, row.label)
            if row.under and where is not None:
                report.flagged.append(row)
    report.flagged.sort(key=lambda r: (not r.clearly_under, r.ratio if r.ratio is not None else -1, r.label))
    report.flagged = report.flagged[:FLAGGED_MAX]
    report.weeks = _weeks(people, pop, _start(process))
    return report


# --- Representation over time (stored snapshots) -----------------------------------------------
@dataclass
class SeriesPoint:
    day: dt.date
    participants: int | None  # None: suppressed
    ratio: float | None  # None: suppressed or no participants yet
    ci_low: float | None
    ci_high: float | None
    suppressed: bool


@dataclass
class Series:
    """One flagged group's representation ratio on each snapshot day (same days for all series)."""

    label: str
    table: str
    group: str
    points: list[SeriesPoint]
    chart: Any = None


@dataclass
class History:
    days: list[dt.date]
    series: list[Series]
    totals: list[int | None]  # participants per day (None: 1 to 4)


#: snapshot days shown on the monitor page (the latest ones)
HISTORY_DAYS = 8


def representation_history(process: Process | None, flagged: list[RepRow]) -> History:
    """The stored daily snapshots of the flagged groups, for the chart and table of the monitor
    page (two queries). Suppressed cells stay suppressed: no number is ever derived from them."""
    from konzeptk.insights import charts

    days, rows = selectors.snapshot_rows(process, [(r.table, r.group) for r in flagged], days=HISTORY_DAYS)
    by_key = {(r.table, r.group, r.day): r for r in rows}
    totals = [
        (None if (t := by_key.get(("total", "", day))) is None or t.suppressed else t.participants)
        for day in days
    ]
    series = []
    for row in flagged:
        points = []
        for day in days:
            snap = by_key.get((row.table, row.group, day))
            if snap is None:
                points.append(SeriesPoint(day, None, None, None, None, False))
                continue
            points.append(
                SeriesPoint(
                    day,
                    None if snap.suppressed else snap.participants,
                    None if snap.suppressed else snap.ratio,
                    None if snap.suppressed else snap.ci_low,
                    None if snap.suppressed else snap.ci_high,
                    snap.suppressed,
                )
            )
        item = Series(label=row.label, table=row.table, group=row.group, points=points)
        if any(p.ratio is not None for p in points):
            item.chart = charts.ratio_chart(
                [(p.day.strftime("%d.%m."), p.ratio, p.ci_low, p.ci_high) for p in points]
            )
        series.append(item)
    return History(days=days, series=series, totals=totals)


# --- Weighting ---------------------------------------------------------------------------------
@dataclass
class WeightedItem:
    label: str
    url: str
    raw: int  # all supports/votes/answers (public numbers)
    raw_profiled: int | None  # of people in the weighting, suppressed under 5
    raw_share: float | None
    weighted_share: float | None
    raw_rank: int = 0
    weighted_rank: int = 0
    # rankings: mean place among all answers, among weighted people unweighted, and weighted
    mean_all: float | None = None
    mean_raw: float | None = None
    mean_weighted: float | None = None


@dataclass
class WeightedBlock:
    title: str
    unit: str
    items: list[WeightedItem]
    people: int  # people of the weighting who could take part in this block
    kind: str = "shares"  # "shares", "scale" (items are the values 1–5) or "ranking"
    # who answered (surveys): all answers, without an account, with an account but not weighted
    answered: int | None = None
    anonymous: int | None = None
    unprofiled: int | None = None
    ess: float | None = None  # Kish effective sample size of the weighted people in this block
    # scale questions: mean of all answers, of the weighted people unweighted, and weighted
    mean_all: float | None = None
    mean_raw: float | None = None
    mean_weighted: float | None = None


@dataclass
class WeightingReport:
    participants: int
    weighted_people: int
    result: er.RakingResult | None
    margins: list[dict[str, Any]]
    blocks: list[WeightedBlock]
    error: str = ""
    trim: tuple[float, float] = (0.2, 5.0)
    survey_blocks: list[WeightedBlock] = field(default_factory=list)

    @property
    def ess(self) -> float | None:
        return None if self.result is None else self.result.effective_sample_size


def _rank(items: list[WeightedItem]) -> None:
    for attr, target in (("raw_share", "raw_rank"), ("weighted_share", "weighted_rank")):
        order = sorted(items, key=lambda i: (-(getattr(i, attr) or 0.0), i.label))
        for position, item in enumerate(order, start=1):
            setattr(item, target, position)


def _shares(
    groups: dict[Any, list[int]], weights: dict[int, float], people: int, total_weight: float
) -> dict[Any, tuple[int, float, float]]:
    out = {}
    for key, users in groups.items():
        inside = [u for u in users if u in weights]
        n = len(inside)
        out[key] = (
            n,
            n / people if people else 0.0,
            sum(weights[u] for u in inside) / total_weight if total_weight else 0.0,
        )
    return out


def weighting_report(process: Process) -> WeightingReport:
    """Rake the process' participants with a complete profile (district, age band, female/male) to
    the population margins and show idea supports, ballots and surveys raw and weighted."""
    layer = selectors.reference_layer()
    pop = selectors.population(layer) if layer else None
    people = selectors.people(process, layer=layer)
    report = WeightingReport(participants=people.count, weighted_people=0, result=None, margins=[], blocks=[])
    if pop is None:
        report.error = _(
            "Für dieses Stadtprofil liegen keine Bevölkerungszahlen nach Bezirk, Alter und Geschlecht vor."
        )
        return report
    names = dict(pop.districts)
    complete = [
        (int(key[1:]), p)
        for key, p in people.profiles.items()
        if key.startswith("u") and p.district_id in names and p.population_band and p.sex
    ]
    complete.sort(key=lambda kv: kv[0])
    report.weighted_people = len(complete)
    if len(complete) < 2 * MIN:
        report.error = _(
            "Erst %(n)s Beteiligte haben Bezirk, Alter und Geschlecht angegeben. Gewichtet wird ab 10 Personen."
        ) % {"n": small(len(complete)) if complete else 0}
        return report
    by_district: dict[Any, float] = {d: pop.by_district()[d] for d, _ in pop.districts}
    by_band: dict[Any, float] = dict(pop.by_band())
    by_sex: dict[Any, float] = dict(pop.by_sex())
    margins = [
        er.margin_from_values(_("Stadtbezirk"), [p.district_id for _, p in complete], by_district),
        er.margin_from_values(_("Alter"), [p.population_band for _, p in complete], by_band),
        er.margin_from_values(_("Geschlecht"), [p.sex for _, p in complete], by_sex),
    ]
    labels = {
        **{str(d): n for d, n in pop.districts},
        **{b: band_label(b) for b in POPULATION_BANDS},
        **{s: sex_label(s) for s in selectors.SEXES},
    }
    try:
        result = er.rake(margins, trim=report.trim)
    except EngineError as exc:
        # Name groups in words, not ids: the engine names categories by their key.
        message = str(exc)
        for key, label in labels.items():
            message = message.replace(f"„{key}“", f"„{label}“")
        report.error = message
        return report
    report.result = result
    report.margins = [
        {
            "name": m.name,
            "category": labels.get(m.category, m.category),
            "population": m.population_share * 100,
            "raw": m.raw_share * 100,
            "weighted": m.weighted_share * 100,
        }
        for m in result.margins
    ]
    weights = {user_id: float(w) for (user_id, _), w in zip(complete, result.weights, strict=True)}
    total_weight = float(result.weights.sum())
    n = len(complete)

    # Idea supports
    ideas = list(selectors.visible_ideas(process).values_list("pk", "title", "support_count"))
    supporters: dict[int, list[int]] = defaultdict(list)
    for idea_id, user_id in selectors.supports_of(process):
        supporters[idea_id].append(user_id)
    shares = _shares(supporters, weights, n, total_weight)
    items = []
    for pk, title, _count in ideas:
        k, raw_share, weighted_share = shares.get(pk, (0, 0.0, 0.0))
        items.append(
            WeightedItem(
                label=title,
                url=idea_url(process.slug, pk),
                raw=len(supporters.get(pk, ())),
                raw_profiled=k,
                raw_share=raw_share * 100,
                weighted_share=weighted_share * 100,
            )
        )
    _rank(items)
    items.sort(key=lambda i: (i.weighted_rank, i.label))
    if any(i.raw for i in items):
        report.blocks.append(
            WeightedBlock(
                _("Unterstützungen der Ideen"),
                _("Anteil der Beteiligten, die die Idee unterstützen"),
                items[:30],
                n,
            )
        )

    # Ballots
    for ballot in Ballot.objects.filter(phase__process=process).select_related("phase"):
        voters: dict[int, list[int]] = defaultdict(list)
        raw_votes: Counter[int] = Counter()
        titles = {}
        for idea_id, user_id, title in Vote.objects.filter(ballot=ballot).values_list(
            "idea_id", "user_id", "idea__title"
        ):
            voters[idea_id].append(user_id)
            raw_votes[idea_id] += 1
            titles[idea_id] = title
        if not raw_votes:
            continue
        voted = {u for users in voters.values() for u in users if u in weights}
        w_total = sum(weights[u] for u in voted)
        shares = _shares(voters, weights, len(voted), w_total)
        items = [
            WeightedItem(
                label=titles[i],
                url=idea_url(process.slug, i),
                raw=raw_votes[i],
                raw_profiled=shares[i][0],
                raw_share=shares[i][1] * 100,
                weighted_share=shares[i][2] * 100,
            )
            for i in raw_votes
        ]
        _rank(items)
        items.sort(key=lambda i: (i.weighted_rank, i.label))
        report.blocks.append(
            WeightedBlock(
                _("Abstimmung: %(phase)s") % {"phase": ballot.phase.display_name},
                _("Anteil der Abstimmenden, die für den Vorschlag gestimmt haben"),
                items,
                len(voted),
            )
        )

    report.survey_blocks = _survey_blocks(process, weights)

    # Publish only shares of groups of at least five people.
    for block in report.blocks + report.survey_blocks:
        for item in block.items:
            if (item.raw_profiled is not None and 0 < item.raw_profiled < MIN) or block.people < MIN:
                item.raw_profiled = None
                item.raw_share = None
                item.weighted_share = None
            if block.people < MIN:
                item.mean_raw = item.mean_weighted = None
        if block.people < MIN:
            block.mean_raw = block.mean_weighted = block.ess = None
    return report


def _kish(w: list[float]) -> float | None:
    total = sum(w)
    squares = sum(x * x for x in w)
    return total * total / squares if squares else None


def _mean(values: Sequence[tuple[float, float]]) -> float | None:
    """Weighted mean of (value, weight) pairs; None without weight."""
    total = sum(w for _v, w in values)
    return sum(v * w for v, w in values) / total if total else None


def _survey_blocks(process: Process, weights: dict[int, float]) -> list[WeightedBlock]:
    """Every question of the process' surveys except free text, raw next to weighted: choice
    shares, scale means and distributions, ranking mean places and Borda points. Answers given
    without an account, and those of people without a consented complete profile, cannot be
    weighted; each block counts them."""
    questions = list(
        Question.objects.filter(survey__process=process)
        .exclude(kind=Question.Kind.TEXT)
        .select_related("survey")
        .prefetch_related("choices")
        .order_by("survey", "order", "pk")
    )
    # question → response → (user id or None, [(choice id, value)])
    answers: dict[int, dict[int, tuple[int | None, list[tuple[int | None, int | None]]]]] = defaultdict(dict)
    for question_id, response_id, respondent, choice_id, value in Answer.objects.filter(
        question__in=questions
    ).values_list("question_id", "response_id", "response__user_id", "choice_id", "value"):
        entry = answers[question_id].setdefault(response_id, (respondent, []))
        entry[1].append((choice_id, value))
    blocks = []
    for question in questions:
        by_response = answers.get(question.pk, {})
        if not by_response:
            continue
        users = [u for u, _ in by_response.values()]
        inside = [u for u in users if u is not None and u in weights]
        block = WeightedBlock(
            title=_("Umfrage „%(survey)s“: %(question)s")
            % {"survey": question.survey.title, "question": question.text},
            unit="",
            items=[],
            people=len(inside),
            answered=len(users),
            anonymous=sum(1 for u in users if u is None),
            unprofiled=sum(1 for u in users if u is not None and u not in weights),
            ess=_kish([weights[u] for u in inside]),
        )
        choices = list(question.choices.all())
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            block.unit = _("Anteil der Antwortenden, die diese Antwort gewählt haben")
            by_choice: dict[int, list[int]] = defaultdict(list)
            raw_total: Counter[int] = Counter()
            for uid, picked in by_response.values():
                for picked_choice, _value in picked:
                    if picked_choice is None:
                        continue
                    raw_total[picked_choice] += 1
                    if uid is not None:
                        by_choice[picked_choice].append(uid)
            w_total = sum(weights[u] for u in inside)
            shares = _shares(by_choice, weights, len(inside), w_total)
            block.items = [
                WeightedItem(
                    label=c.text,
                    url="",
                    raw=raw_total.get(c.pk, 0),
                    raw_profiled=shares.get(c.pk, (0, 0.0, 0.0))[0],
                    raw_share=shares.get(c.pk, (0, 0.0, 0.0))[1] * 100,
                    weighted_share=shares.get(c.pk, (0, 0.0, 0.0))[2] * 100,
                )
                for c in choices
            ]
            _rank(block.items)
        elif question.kind == Question.Kind.SCALE:
            block.kind = "scale"
            block.unit = _("Verteilung der Antworten auf der Skala von 1 bis 5 und Mittelwert")
            values = [
                (u, v) for u, picked in by_response.values() for _c, v in picked if v in (1, 2, 3, 4, 5)
            ]
            block.mean_all = _mean([(v, 1.0) for _u, v in values])
            block.mean_raw = _mean([(v, 1.0) for u, v in values if u in weights])
            block.mean_weighted = _mean([(v, weights[u]) for u, v in values if u in weights])
            by_value: dict[int, list[int]] = defaultdict(list)
            for u, v in values:
                if u is not None:
                    by_value[v].append(u)
            shares = _shares(by_value, weights, len(inside), sum(weights[u] for u in inside))
            labels = {1: question.scale_low_label, 5: question.scale_high_label}
            block.items = [
                WeightedItem(
                    label=f"{v} – {labels[v]}" if labels.get(v) else str(v),
                    url="",
                    raw=sum(1 for _u, x in values if x == v),
                    raw_profiled=shares.get(v, (0, 0.0, 0.0))[0],
                    raw_share=shares.get(v, (0, 0.0, 0.0))[1] * 100,
                    weighted_share=shares.get(v, (0, 0.0, 0.0))[2] * 100,
                )
                for v in (1, 2, 3, 4, 5)
            ]
        else:  # ranking: value is the place (1 = first)
            block.kind = "ranking"
            block.unit = _(
                "Mittlerer Platz (1 = vorn) und Anteil der Borda-Punkte: Platz 1 von n Einträgen bekommt n − 1 Punkte, der letzte Platz 0"
            )
            n = len(choices)
            places: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
            for uid, picked in by_response.values():
                for ranked, place in picked:
                    if ranked is not None and place:
                        places[ranked].append((uid, place))
            w_total = sum(weights[u] for u in inside)
            points_raw_total = len(inside) * n * (n - 1) / 2
            for c in choices:
                given = places.get(c.pk, [])
                mine = [(p, weights[u]) for u, p in given if u is not None and u in weights]
                raw_points = sum(n - p for p, _w in mine)
                weighted_points = sum((n - p) * w for p, w in mine)
                block.items.append(
                    WeightedItem(
                        label=c.text,
                        url="",
                        raw=len(given),
                        raw_profiled=len(mine),
                        raw_share=raw_points / points_raw_total * 100 if points_raw_total else None,
                        weighted_share=weighted_points / (w_total * n * (n - 1) / 2) * 100
                        if w_total and n > 1
                        else None,
                        mean_all=_mean([(p, 1.0) for _u, p in given]),
                        mean_raw=_mean([(p, 1.0) for p, _w in mine]),
                        mean_weighted=_mean(mine),
                    )
                )
            _rank(block.items)
            block.items.sort(key=lambda i: (i.weighted_rank, i.label))
        blocks.append(block)
    return blocks


# --- Cohesion ----------------------------------------------------------------------------------
@dataclass
class CohesionIdea:
    pk: int
    title: str
    url: str
    district: str
    supports_known: int
    outside_share: float | None
    districts_supporting: int
    bridging: float | None
    broad: bool


@dataclass
class CohesionReport:
    weeks: list[WeekPoint]
    ideas: list[CohesionIdea]
    broad: list[CohesionIdea]
    districts: int
    error: str = ""


def cohesion_report(process: Process | None) -> CohesionReport:
    layer = selectors.reference_layer()
    pop = selectors.population(layer) if layer else None
    people = selectors.people(process, layer=layer)
    report = CohesionReport(
        weeks=_weeks(people, pop, _start(process)),
        ideas=[],
        broad=[],
        districts=len(pop.districts) if pop else 0,
    )
    if layer is None or pop is None:
        report.error = _("Für dieses Stadtprofil liegen keine Stadtbezirke mit Bevölkerungszahlen vor.")
        return report
    district_ids = [d for d, _ in pop.districts]
    index = {d: i for i, d in enumerate(district_ids)}
    names = dict(pop.districts)
    ideas = list(
        selectors.visible_ideas(process)
        .select_related("process")
        .values_list("pk", "title", "process__slug", "district_id", "lat", "lon")[:5000]
    )
    idea_district = selectors.idea_district_ids(
        ((pk, d, lat, lon) for pk, _t, _s, d, lat, lon in ideas), layer
    )
    positions = {pk: i for i, (pk, *_rest) in enumerate(ideas)}
    item, supporter = [], []
    for idea_id, user_id in selectors.supports_of(process):
        profile = people.profiles.get(f"u{user_id}")
        if idea_id in positions and profile is not None and profile.district_id in index:
            item.append(positions[idea_id])
            supporter.append(index[profile.district_id])
    item_arr = np.array(item, dtype=np.int64)
    sup_arr = np.array(supporter, dtype=np.int64)
    own = np.array([index.get(idea_district.get(pk, -1), -1) for pk, *_ in ideas], dtype=np.int64)
    outside = eb.outside_support_share(item_arr, sup_arr, np.where(own >= 0, own, len(district_ids)))
    counts = (
        eb.group_support(item_arr, sup_arr, n_items=len(ideas), n_groups=len(district_ids))
        if ideas
        else np.zeros((0, len(district_ids)), dtype=np.int64)
    )
    # People of each district who took part: everyone who could have supported.
    took_part = Counter(
        p.district_id for k, p in people.profiles.items() if k.startswith("u") and p.district_id in index
    )
    trials = (
        np.array([[took_part[d] for d in district_ids]] * len(ideas), dtype=float)
        if ideas
        else np.zeros((0, len(district_ids)))
    )
    eligible_districts = sum(1 for d in district_ids if took_part[d] >= MIN)
    scores = eb.bridging_scores(counts, np.maximum(trials, counts), min_trials=MIN) if ideas else np.zeros(0)
    rows = []
    for i, (pk, title, slug, *_rest) in enumerate(ideas):
        known = int(counts[i].sum())
        if known < MIN:
            continue  # too few supporters with a known district to say anything
        supporting = int((counts[i] > 0).sum())
        score = None if math.isnan(scores[i]) else float(scores[i])
        rows.append(
            CohesionIdea(
                pk=pk,
                title=title,
                url=idea_url(slug, pk),
                district=names.get(idea_district.get(pk, -1), _("ohne Bezirk")),
                supports_known=known,
                outside_share=None if math.isnan(outside[i]) else float(outside[i]) * 100,
                districts_supporting=supporting,
                bridging=score,
                broad=bool(
                    eligible_districts >= 2
                    and supporting >= max(2, math.ceil(0.6 * len(district_ids)))
                    and (outside[i] >= 0.5 if not math.isnan(outside[i]) else False)
                ),
            )
        )
    rows.sort(key=lambda r: (-(r.bridging or 0.0), -r.supports_known, r.title))
    report.ideas = rows[:50]
    report.broad = [r for r in rows if r.broad][:10]
    return report
