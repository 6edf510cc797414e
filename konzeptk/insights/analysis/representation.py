"""Representation of a process or the platform: participants compared with the population, by
group, week by week and day by day (stored snapshots). Every count passes the disclosure control."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.city.models import DistrictLayer
from konzeptk.core import charts
from konzeptk.insights import privacy, selectors
from konzeptk.insights.analysis.common import FLAGGED_MAX, MIN, band_label, sex_label
from konzeptk.insights.engine import disclosure
from konzeptk.insights.engine import representation as rep
from konzeptk.insights.engine.errors import EngineError
from konzeptk.insights.models import POPULATION_BANDS
from konzeptk.participation.models import Process


# --- Representation ----------------------------------------------------------------------------
@dataclass
class RepRow:
    label: str
    participants: int | None  # published (cell-key method); None only in snapshots of the old method
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
    key: str,
    title: str,
    members: dict[Any, list[str]],
    population: dict[Any, float],
    labels: dict[Any, str],
    ring: disclosure.Keyring,
) -> RepTable:
    """One representation table from the people of each group, published through the cell-key
    method: every group and the table's total are cells of their own."""
    everyone = [person for people in members.values() for person in people]
    table = RepTable(key=key, title=title, known=ring.cell(everyone))
    published = {group: ring.cell(members.get(group, [])) for group in population}
    extra = {group: ring.cell(people) for group, people in members.items() if group not in population}
    try:
        rows = rep.representation({**published, **extra}, population, total=table.known)
    except EngineError as exc:
        table.error = str(exc)
        return table
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
    return table


def _weeks(
    people: selectors.People, pop: selectors.Population | None, start: dt.datetime | None
) -> list[WeekPoint]:
    """Participants week by week (everyone who had taken part by the end of each week), published
    through the cell-key method; the dissimilarity index is computed from the published counts."""
    if not people.first_seen:
        return []
    ring = privacy.keyring()
    first = min(people.first_seen.values())
    begin = max(first, start) if start else first
    today = timezone.now()
    weeks = []
    day = begin + dt.timedelta(days=7)
    order = sorted(people.first_seen.items(), key=lambda kv: kv[1])
    keys = ring.keys([k for k, _when in order])
    pop_by_district = pop.by_district() if pop else {}
    district_ids = list(pop_by_district)
    # The weeks are cumulative: each person joins the running cells once (same published values as
    # Keyring.cell of everyone seen by then).
    everyone = disclosure.RunningCell()
    with_district = disclosure.RunningCell()
    by_district = {d: disclosure.RunningCell() for d in district_ids}
    position = 0
    while True:
        end = min(day, today)
        while position < len(order) and order[position][1] <= end:
            person = order[position][0]
            everyone.add(keys[position])
            profile = people.profiles.get(person)
            if profile is not None and profile.district_id in by_district:
                by_district[profile.district_id].add(keys[position])
                with_district.add(keys[position])
            position += 1
        counts = [by_district[d].published() for d in district_ids]
        shown_with_district = with_district.published()
        index = None
        if shown_with_district >= 2 * MIN and district_ids and sum(counts) > 0:
            index = rep.dissimilarity_index(
                [float(c) for c in counts], [pop_by_district[d] for d in district_ids]
            )
        weeks.append(
            WeekPoint(
                day=end.date(),
                participants=everyone.published(),
                with_district=shown_with_district,
                dissimilarity=index,
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


def table_titles() -> dict[str, str]:
    """The tables of a representation report, in order, with their titles."""
    return {
        "district": _("nach Stadtbezirk"),
        "age": _("nach Alter"),
        "sex": _("nach Geschlecht"),
        "district_age": _("nach Stadtbezirk und Alter"),
        "age_sex": _("nach Alter und Geschlecht"),
    }


def representation_report(
    process: Process | None, *, suggestions: bool = False, as_of: dt.datetime | None = None
) -> RepresentationReport:
    """Participants compared with the population. With ``as_of``: only the people who had taken
    part by then (with today's consents; used for the demo's past snapshots).

    Every count in the report – participants, people with a profile, every group and every table
    total – is published through the cell-key method (:mod:`konzeptk.insights.engine.disclosure`);
    shares, ratios, intervals and flags are computed from those published counts."""
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
    ring = privacy.keyring()
    report = RepresentationReport(
        participants=ring.cell(list(people.first_seen)),
        with_profile=ring.cell(list(people.profiles)),
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
    names = dict(pop.districts)
    by_district: dict[Any, list[str]] = defaultdict(list)
    by_band: dict[Any, list[str]] = defaultdict(list)
    by_sex: dict[Any, list[str]] = defaultdict(list)
    by_combo: dict[Any, list[str]] = defaultdict(list)
    by_band_sex: dict[Any, list[str]] = defaultdict(list)
    for person, p in people.profiles.items():
        band, sex = p.population_band, p.sex
        if p.district_id in names:
            by_district[p.district_id].append(person)
            if band:
                by_combo[(p.district_id, band)].append(person)
        if band:
            by_band[band].append(person)
            if sex:
                by_band_sex[(band, sex)].append(person)
        if sex:
            by_sex[sex].append(person)
    places = selectors.points_by_district(layer) if suggestions else {}
    titles = table_titles()
    specs: list[tuple[str, dict[Any, list[str]], dict[Any, float], dict[Any, str], Any]] = [
        ("district", by_district, pop.by_district(), names, lambda k: (k, None)),
        ("age", by_band, pop.by_band(), {b: band_label(b) for b in POPULATION_BANDS}, lambda k: (None, k)),
        ("sex", by_sex, pop.by_sex(), {s: sex_label(s) for s in selectors.SEXES}, None),
        (
            "district_age",
            by_combo,
            pop.by_district_band(),
            {(d, b): f"{names[d]}, {band_label(b)}" for d, _n in pop.districts for b in POPULATION_BANDS},
            lambda k: k,
        ),
        (
            "age_sex",
            by_band_sex,
            pop.by_band_sex(),
            {(b, x): f"{band_label(b)}, {sex_label(x)}" for b in POPULATION_BANDS for x in selectors.SEXES},
            lambda k: (None, k[0]),
        ),
    ]
    for key, members, population, labels, where in specs:
        table = _table(key, titles[key], dict(members), population, labels, ring)
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


# --- One stored day, as published then -------------------------------------------------------------
@dataclass
class StoredDay:
    """The representation of a process (or the platform) as stored on one day."""

    day: dt.date
    participants: int | None
    tables: list[RepTable]
    dissimilarity: float | None


def representation_on(process: Process | None, day: dt.date) -> StoredDay | None:
    """The stored snapshot of ``day`` in the shape of a report (one query), ``None`` if there is none.
    Its numbers are those published that day; the dissimilarity index is computed from them."""
    rows = selectors.snapshot_day(process, day)
    if not rows:
        return None
    titles = table_titles()
    totals = {r.group: r.participants for r in rows if r.table == "total"}
    tables: dict[str, RepTable] = {}
    for r in rows:
        if r.table not in titles:
            continue
        table = tables.setdefault(
            r.table, RepTable(key=r.table, title=titles[r.table], known=totals.get(r.table) or 0)
        )
        table.rows.append(
            RepRow(
                label=r.label,
                participants=None if r.suppressed else r.participants,
                population=0.0,
                participant_share=None
                if r.suppressed or r.participants is None or not table.known
                else min(1.0, r.participants / table.known),
                population_share=r.population_share,
                ratio=r.ratio,
                ci_low=r.ci_low,
                ci_high=r.ci_high,
                under=r.under,
                clearly_under=r.clearly_under,
                table=r.table,
                group=r.group,
            )
        )
    index = None
    district = tables.get("district")
    if district is not None and district.rows and all(x.participants is not None for x in district.rows):
        counts = [float(x.participants or 0) for x in district.rows]
        if sum(counts) >= 2 * MIN:
            index = rep.dissimilarity_index(counts, [x.population_share for x in district.rows])
    ordered = [tables[k] for k in titles if k in tables]
    return StoredDay(day=day, participants=totals.get(""), tables=ordered, dissimilarity=index)
