"""Reads for insights: the population to compare with, who took part, and their consented profiles.
The lookups behind the pages and the API live in :mod:`.pages`, the reads of stored snapshots in
:mod:`.snapshots`; both are re-exported here.

Every read has a fixed number of queries, whatever the number of participants. Personal answers
are read only through :func:`consented_profiles`, which joins on the *active* consent, so a
withdrawn consent removes a person's answers from every computation from that moment on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, Min, OuterRef
from shapely.geometry import Point, shape

from konzeptk.accounts.models import Consent
from konzeptk.ballots.models import Vote
from konzeptk.city.models import District, DistrictLayer, PointOfInterest, PopulationStat
from konzeptk.city.selectors import active_profile, current_layer
from konzeptk.insights import phases
from konzeptk.insights.models import POPULATION_BAND, POPULATION_BANDS, DemographicProfile, StatementVote
from konzeptk.insights.selectors.pages import (
    approved_statement_count,
    approved_statements,
    idea_titles,
    landscape_of,
    opinion_phase_for_page,
    pending_statement_list,
    process_for_page,
    public_opinion_phase,
    public_process,
    statement_in_phase,
    statement_texts,
    voted_statement_ids,
)
from konzeptk.insights.selectors.snapshots import latest_flags, snapshot_day, snapshot_rows
from konzeptk.participation.models import Comment, Idea, Phase, Process, Support
from konzeptk.surveys.models import Response

# The re-exports from .pages and .snapshots, declared for mypy (no implicit re-export); the names
# defined below are public too.
__all__ = [
    "approved_statement_count",
    "approved_statements",
    "idea_titles",
    "landscape_of",
    "latest_flags",
    "opinion_phase_for_page",
    "pending_statement_list",
    "process_for_page",
    "public_opinion_phase",
    "public_process",
    "snapshot_day",
    "snapshot_rows",
    "statement_in_phase",
    "statement_texts",
    "voted_statement_ids",
]

SEXES = ("f", "m")


# --- Population ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Population:
    """Residents by district of the reference layer × population age band × sex."""

    layer_id: int
    districts: tuple[tuple[int, str], ...]  # (district id, name) in code order
    year: int | None
    cells: dict[tuple[int, str, str], float]  # (district id, band, sex) → residents
    derived_from: str  # name of the layer the statistics were taken from ("" = this layer)
    sex_estimated: bool

    def by_district(self) -> dict[int, float]:
        out: dict[int, float] = defaultdict(float)
        for (d, _band, _sex), n in self.cells.items():
            out[d] += n
        return {d: out.get(d, 0.0) for d, _ in self.districts}

    def by_band(self) -> dict[str, float]:
        out = dict.fromkeys(POPULATION_BANDS, 0.0)
        for (_d, band, _sex), n in self.cells.items():
            out[band] += n
        return out

    def by_sex(self) -> dict[str, float]:
        out = dict.fromkeys(SEXES, 0.0)
        for (_d, _band, sex), n in self.cells.items():
            out[sex] += n
        return out

    def by_district_band(self) -> dict[tuple[int, str], float]:
        out: dict[tuple[int, str], float] = defaultdict(float)
        for (d, band, _sex), n in self.cells.items():
            out[(d, band)] += n
        return {(d, b): out.get((d, b), 0.0) for d, _ in self.districts for b in POPULATION_BANDS}

    def by_band_sex(self) -> dict[tuple[str, str], float]:
        out = {(b, x): 0.0 for b in POPULATION_BANDS for x in SEXES}
        for (_d, band, sex), n in self.cells.items():
            out[(band, sex)] += n
        return out

    def district_name(self, district_id: int) -> str:
        return dict(self.districts).get(district_id, "")


def reference_layer() -> DistrictLayer | None:
    """The administrative layer valid today: participation assigns ideas to it, profiles name it."""
    profile = active_profile()
    return current_layer(profile) if profile else None


def _stats_rows(layer_ids: Iterable[int]) -> list[tuple[int, int, str, str, int, bool]]:
    return list(
        PopulationStat.objects.filter(district__layer_id__in=list(layer_ids), sex__in=SEXES)
        .order_by()
        .values_list("district_id", "year", "age_band", "sex", "count", "estimated")
    )


def population(layer: DistrictLayer | None = None) -> Population | None:
    """Population of the reference layer by district, band and sex (cached; no personal data).

    When the layer has no statistics of its own (Krefeld's five districts from 1.11.2025), they are
    summed from the layer that has them: each of its districts goes to the district of this layer
    that contains its representative point (the new districts are unions of the old ones)."""
    layer = layer or reference_layer()
    if layer is None:
        return None
    key = f"insights:population:{layer.pk}:{layer.profile.loaded_at.isoformat()}"
    cached: Population | None = cache.get(key)
    if cached is not None:
        return cached
    districts = list(layer.districts.order_by("code").values_list("id", "name", "geometry"))
    rows = _stats_rows([layer.pk])
    derived_from = ""
    mapping: dict[int, int] = {d: d for d, _, _ in districts}
    if not rows:
        source = (
            DistrictLayer.objects.filter(
                profile_id=layer.profile_id, districts__population_stats__isnull=False
            )
            .exclude(pk=layer.pk)
            .order_by("-districts__population_stats__year", "-valid_from")
            .first()
        )
        if source is None:
            return None
        derived_from = source.name
        rows = _stats_rows([source.pk])
        shapes = [(d, shape(g)) for d, _, g in districts]
        mapping = {}
        for old_id, geometry in source.districts.values_list("id", "geometry"):
            point = shape(geometry).representative_point()
            target = next((d for d, geom in shapes if geom.covers(point)), None)
            if target is None:
                target = min(shapes, key=lambda item: item[1].distance(point))[0]
            mapping[old_id] = target
    if not rows:
        return None
    year = max(r[1] for r in rows)
    cells: dict[tuple[int, str, str], float] = defaultdict(float)
    estimated = False
    for district_id, row_year, band, sex, count, est in rows:
        if row_year != year or band not in POPULATION_BANDS or district_id not in mapping:
            continue
        cells[(mapping[district_id], band, sex)] += count
        estimated = estimated or est
    result = Population(
        layer_id=layer.pk,
        districts=tuple((d, name) for d, name, _ in districts),
        year=year,
        cells=dict(cells),
        derived_from=derived_from,
        sex_estimated=estimated,
    )
    cache.set(key, result, 3600)
    return result


def district_mapping(layer: DistrictLayer) -> dict[int, int]:
    """Every district id of the profile → the district of ``layer`` it lies in (by representative
    point), so profiles and ideas stored with an older layer still count (cached)."""
    key = f"insights:district-map:{layer.pk}:{layer.profile.loaded_at.isoformat()}"
    cached: dict[int, int] | None = cache.get(key)
    if cached is not None:
        return cached
    targets = [(d, shape(g)) for d, g in layer.districts.values_list("id", "geometry")]
    mapping = {d: d for d, _ in targets}
    for district_id, geometry in (
        District.objects.filter(layer__profile_id=layer.profile_id)
        .exclude(layer=layer)
        .values_list("id", "geometry")
    ):
        point = shape(geometry).representative_point()
        hit = next((d for d, geom in targets if geom.covers(point)), None)
        if hit is not None:
            mapping[district_id] = hit
    cache.set(key, mapping, 3600)
    return mapping


def points_by_district(layer: DistrictLayer) -> dict[int, dict[str, list[str]]]:
    """Places (Bürgerbüros, Seniorentreffs, Jugendzentren, Büchereien …) per district and category,
    for outreach suggestions (cached)."""
    key = f"insights:poi:{layer.pk}:{layer.profile.loaded_at.isoformat()}"
    cached: dict[int, dict[str, list[str]]] | None = cache.get(key)
    if cached is not None:
        return cached
    targets = [(d, shape(g)) for d, g in layer.districts.values_list("id", "geometry")]
    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for category, name, lat, lon in PointOfInterest.objects.filter(profile_id=layer.profile_id).values_list(
        "category", "name", "lat", "lon"
    ):
        point = Point(lon, lat)
        hit = next((d for d, geom in targets if geom.covers(point)), None)
        if hit is not None:
            out[hit][category].append(name)
    plain = {d: {c: sorted(names) for c, names in cats.items()} for d, cats in out.items()}
    cache.set(key, plain, 3600)
    return plain


# --- Participants --------------------------------------------------------------------------
@dataclass
class Participants:
    """Who took part: first activity per account, plus offline contributions (one person each)."""

    first_seen: dict[int, dt.datetime] = field(default_factory=dict)  # user id → first activity
    offline: list[tuple[int, dt.datetime, dict[str, Any]]] = field(default_factory=list)

    def add(self, rows: Iterable[tuple[int | None, dt.datetime | None]]) -> None:
        for user_id, when in rows:
            if user_id is None or when is None:
                continue
            known = self.first_seen.get(user_id)
            if known is None or when < known:
                self.first_seen[user_id] = when

    @property
    def count(self) -> int:
        return len(self.first_seen) + len(self.offline)


def participants(process: Process | None) -> Participants:
    """Authors, commenters, supporters, voters, survey respondents and statement voters of a process
    (``None``: of every public process), in seven queries."""
    public = Process.objects.public() if process is None else None

    def scoped(qs: Any, path: str) -> Any:
        if process is not None:
            return qs.filter(**{path: process})
        return qs.filter(**{f"{path}__in": public})

    result = Participants()
    ideas = scoped(Idea.objects.visible(), "process")
    result.add(
        ideas.filter(author__isnull=False)
        .values("author_id")
        .annotate(t=Min("created_at"))
        .values_list("author_id", "t")
    )
    result.add(
        scoped(Comment.objects.filter(author__isnull=False, deleted_at__isnull=True), "idea__process")
        .values("author_id")
        .annotate(t=Min("created_at"))
        .values_list("author_id", "t")
    )
    result.add(
        scoped(Support.objects, "idea__process")
        .values("user_id")
        .annotate(t=Min("created_at"))
        .values_list("user_id", "t")
    )
    result.add(
        scoped(Vote.objects, "idea__process")
        .values("user_id")
        .annotate(t=Min("created_at"))
        .values_list("user_id", "t")
    )
    result.add(
        scoped(Response.objects.filter(user__isnull=False), "survey__process")
        .values("user_id")
        .annotate(t=Min("created_at"))
        .values_list("user_id", "t")
    )
    result.add(
        scoped(StatementVote.objects, "statement__phase__process")
        .values("user_id")
        .annotate(t=Min("created_at"))
        .values_list("user_id", "t")
    )
    result.offline = [
        (pk, created, profile or {})
        for pk, created, profile in ideas.filter(author__isnull=True)
        .exclude(channel="online")
        .values_list("pk", "created_at", "contributor_profile")
    ]
    return result


# --- Consented profiles ----------------------------------------------------------------------
@dataclass(frozen=True)
class PersonProfile:
    district_id: int | None  # district of the reference layer
    age_band: str  # profile band ("" unknown)
    gender: str  # "" unknown
    languages: tuple[str, ...] = ()
    migration_background: str = ""  # only with the separate, active migration consent

    @property
    def population_band(self) -> str:
        return str(POPULATION_BAND.get(self.age_band, ""))  # type: ignore[call-overload]

    @property
    def sex(self) -> str:
        return self.gender if self.gender in SEXES else ""


def _active_consent(purpose: str) -> Exists:
    return Exists(
        Consent.objects.filter(user_id=OuterRef("user_id"), purpose=purpose, withdrawn_at__isnull=True)
    )


def consented_profiles(
    user_ids: Iterable[int] | None, *, layer: DistrictLayer | None
) -> dict[int, PersonProfile]:
    """Profiles of people whose consent to demographic answers is active (one query). The migration
    answer is included only under its own active consent."""
    qs = DemographicProfile.objects.annotate(
        ok=_active_consent(Consent.Purpose.DEMOGRAPHICS),
        ok_migration=_active_consent(Consent.Purpose.MIGRATION),
    ).filter(ok=True)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    mapping = district_mapping(layer) if layer is not None else {}
    out = {}
    for user_id, band, gender, district_id, languages, migration, ok_migration in qs.values_list(
        "user_id", "age_band", "gender", "district_id", "languages", "migration_background", "ok_migration"
    ):
        out[user_id] = PersonProfile(
            district_id=mapping.get(district_id) if district_id is not None else None,
            age_band=band,
            gender=gender,
            languages=tuple(languages or ()),
            migration_background=migration if ok_migration else "",
        )
    return out


def offline_profile(
    data: dict[str, Any], *, idea_district_id: int | None, districts: dict[str, int], mapping: dict[int, int]
) -> PersonProfile:
    """The ``contributor_profile`` staff entered for an offline contribution, read like a profile.
    Its district is the one given (code or name), else the district of the contribution itself."""
    district_value = str(data.get("district", "")).strip()
    district_id = districts.get(district_value) or districts.get(district_value.lower())
    if district_id is None and idea_district_id is not None:
        district_id = mapping.get(idea_district_id)
    gender = str(data.get("gender", "")).strip()
    return PersonProfile(
        district_id=district_id,
        age_band=str(data.get("age_band", "")).strip(),
        gender=gender if gender in ("f", "m", "d", "x") else "",
    )


@dataclass
class People:
    """Participants with what is known about them (only consented answers)."""

    participants: Participants
    profiles: dict[str, PersonProfile]  # key "u<id>" or "o<idea id>"
    first_seen: dict[str, dt.datetime]

    @property
    def count(self) -> int:
        return self.participants.count


def people(process: Process | None, *, layer: DistrictLayer | None) -> People:
    """Participants of a process (or the platform) with their consented profiles."""
    found = participants(process)
    profiles: dict[str, PersonProfile] = {}
    first_seen: dict[str, dt.datetime] = {}
    for user_id, profile in consented_profiles(found.first_seen, layer=layer).items():
        profiles[f"u{user_id}"] = profile
    for user_id, when in found.first_seen.items():
        first_seen[f"u{user_id}"] = when
    if found.offline:
        mapping = district_mapping(layer) if layer is not None else {}
        districts: dict[str, int] = {}
        if layer is not None:
            for pk, code, name in layer.districts.values_list("id", "code", "name"):
                districts[code] = districts[name] = districts[name.lower()] = pk
        idea_districts = dict(
            Idea.objects.filter(pk__in=[pk for pk, _, _ in found.offline]).values_list("pk", "district_id")
        )
        for pk, when, data in found.offline:
            key = f"o{pk}"
            first_seen[key] = when
            if data:
                profiles[key] = offline_profile(
                    data, idea_district_id=idea_districts.get(pk), districts=districts, mapping=mapping
                )
    return People(participants=found, profiles=profiles, first_seen=first_seen)


def public_processes_with_phases() -> list[Process]:
    return list(Process.objects.public().prefetch_related("phases").order_by("-created_at", "-pk")[:50])


def meinungsbild_phases(process: Process) -> list[Phase]:
    """The process's phases in which people give their opinion on statements (prefetched phases)."""
    return [p for p in process.phases.all() if p.type in phases.opinion_phase_types()]


def profile_of(user: Any) -> DemographicProfile | None:
    return DemographicProfile.objects.filter(user=user).select_related("district").first()


def active_purposes(user: Any) -> set[str]:
    return set(Consent.objects.filter(user=user).active().values_list("purpose", flat=True))


def idea_district_ids(
    ideas: Iterable[tuple[int, int | None, float | None, float | None]], layer: DistrictLayer
) -> dict[int, int]:
    """Idea id → district of the reference layer (from its stored district, or its point)."""
    mapping = district_mapping(layer)
    targets: list[tuple[int, Any]] | None = None
    out = {}
    for pk, district_id, lat, lon in ideas:
        if district_id is not None and district_id in mapping:
            out[pk] = mapping[district_id]
        elif lat is not None and lon is not None:
            if targets is None:
                targets = [(d, shape(g)) for d, g in layer.districts.values_list("id", "geometry")]
            point = Point(lon, lat)
            hit = next((d for d, geom in targets if geom.covers(point)), None)
            if hit is not None:
                out[pk] = hit
    return out


def visible_ideas(process: Process | None) -> Any:
    qs = Idea.objects.visible()
    if process is None:
        return qs.filter(process__in=Process.objects.public())
    return qs.filter(process=process)


def supports_of(process: Process | None) -> list[tuple[int, int]]:
    """(idea id, user id) of every support on visible ideas."""
    qs = Support.objects.filter(idea__is_hidden=False, idea__deleted_at__isnull=True)
    qs = (
        qs.filter(idea__process=process)
        if process is not None
        else qs.filter(idea__process__in=Process.objects.public())
    )
    return list(qs.values_list("idea_id", "user_id"))


# --- Fingerprint of everything a report reads ----------------------------------------------
def _scoped(qs: Any, path: str, process: Process | None) -> Any:
    if process is not None:
        return qs.filter(**{path: process})
    return qs.filter(**{f"{path}__in": Process.objects.public()})


def contributions_fingerprint(process: Process | None) -> str:
    """A short text that changes whenever anything a representation, weighting or cohesion report
    of ``process`` (``None``: the platform) reads changes: number and latest time of its ideas,
    comments, supports, ballot votes, survey responses and statement votes, and of all voluntary
    profiles and consents (a withdrawal counts at once). One query, whatever the numbers.

    Counts are part of it so that a deletion (a withdrawn support) changes it as well."""
    from django.db import connection

    parts: list[tuple[Any, tuple[str, ...]]] = [
        (_scoped(Idea.objects.visible(), "process", process), ("updated_at",)),
        (
            _scoped(Comment.objects.filter(deleted_at__isnull=True), "idea__process", process),
            ("created_at",),
        ),
        (_scoped(Support.objects.all(), "idea__process", process), ("created_at",)),
        (_scoped(Vote.objects.all(), "idea__process", process), ("created_at",)),
        (_scoped(Response.objects.all(), "survey__process", process), ("created_at",)),
        (_scoped(StatementVote.objects.all(), "statement__phase__process", process), ("created_at",)),
        (DemographicProfile.objects.all(), ("updated_at",)),
        (
            Consent.objects.filter(purpose__in=[Consent.Purpose.DEMOGRAPHICS, Consent.Purpose.MIGRATION]),
            ("given_at", "withdrawn_at"),
        ),
    ]
    selects, params = [], []
    for i, (qs, fields) in enumerate(parts):
        sql, sub_params = qs.order_by().values_list(*fields).query.sql_with_params()
        maxima = ", ".join(f"MAX(s{i}.{connection.ops.quote_name(f)})" for f in fields)
        # only ORM-compiled SQL and quoted field names of our own; values stay parameters
        selects.append(f"(SELECT COUNT(*), {maxima} FROM ({sql}) s{i}) a{i}")  # noqa: S608
        params.extend(sub_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM " + " CROSS JOIN ".join(selects), params)  # noqa: S608
        row = cursor.fetchone()
    return "|".join(str(v) for v in row)


def running_processes(now: dt.datetime | None = None) -> list[Process]:
    """Public processes with a phase that runs now: their representation is tracked day by day."""
    from django.utils import timezone

    now = now or timezone.now()
    return list(
        Process.objects.public().filter(phases__start__lte=now, phases__end__gt=now).distinct().order_by("pk")
    )


def statement_moderators(process: Process) -> list[Any]:
    """Who is told when statements wait for moderation: the moderators and administrators of the
    organiser; if it has none, the platform staff."""
    from konzeptk.accounts.models import Membership, User

    people = list(
        User.objects.filter(
            memberships__organisation_id=process.organiser_id,
            memberships__role__in=[Membership.Role.MODERATOR, Membership.Role.ADMIN],
            is_active=True,
        ).distinct()
    )
    if not people:
        people = list(
            User.objects.filter(
                platform_role__in=[User.PlatformRole.STAFF, User.PlatformRole.ADMINISTRATOR], is_active=True
            )
        )
    return people


def pending_statements(phase: Any) -> int:
    from konzeptk.insights.models import Statement

    return Statement.objects.filter(phase=phase, status=Statement.Status.PENDING).count()
