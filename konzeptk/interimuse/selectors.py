"""Reading queries of the interim-use programme, each with a fixed number of queries.

Matching loads its facts with four queries whatever the sizes (applications, their wanted
districts, units, their uses) and hands them to the pure engine in ``matching.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from konzeptk.accounts.models import User
from konzeptk.innercity.models import Unit
from konzeptk.innercity.selectors import units_for_matching
from konzeptk.interimuse.matching import Match, MatchTable, NeedFacts, UnitFacts, match_all
from konzeptk.interimuse.models import Application, Call, Conflict, Contract, Criterion, Juror, Report, Score

MATCHING_STATUSES = (Application.Status.SUBMITTED, Application.Status.ACCEPTED)


def calls_public() -> QuerySet[Call]:
    """Calls anyone may read: every call that left the draft, newest first."""
    return Call.objects.exclude(status=Call.Status.DRAFT).order_by("-opens_on", "pk")


def calls_all() -> QuerySet[Call]:
    return Call.objects.annotate(n_applications=Count("applications")).order_by("-opens_on", "pk")


def call_by_slug(slug: str, *, staff: bool = False) -> Call | None:
    calls = Call.objects.all() if staff else calls_public()
    return calls.filter(slug=slug).first()


def call_criteria(call: Call) -> list[Criterion]:
    return list(call.criteria.order_by("position", "pk"))


def call_units(call: Call) -> list[Unit]:
    """The units of the call (with district), or, if it names none, the public units."""
    units = list(call.units.select_related("district").order_by("pk"))
    return units or list(units_for_matching()[:500])


def applications_of(user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("call", "unit", "contract")
        .order_by("-submitted_at", "pk")
    )


def application_of(user: User, pk: int) -> Application | None:
    return applications_of(user).filter(pk=pk).first()


def application_in_call(user: User, call: Call) -> Application | None:
    """The person's application to a call (there is at most one)."""
    return Application.objects.filter(applicant=user, call=call).first()


def application_by_pk(pk: int) -> Application | None:
    return (
        Application.objects.select_related("call", "unit", "applicant", "contract", "contract__unit")
        .prefetch_related("districts")
        .filter(pk=pk)
        .first()
    )


def call_applications(call: Call, *, include_withdrawn: bool = True) -> QuerySet[Application]:
    qs = (
        Application.objects.filter(call=call)
        .select_related("unit", "applicant")
        .order_by("submitted_at", "pk")
    )
    return qs if include_withdrawn else qs.exclude(status=Application.Status.WITHDRAWN)


def juror_calls(user: User) -> QuerySet[Call]:
    return (
        Call.objects.filter(jurors__user=user).exclude(status=Call.Status.DRAFT).order_by("-opens_on", "pk")
    )


def juror_of(call: Call, user: User) -> Juror | None:
    return Juror.objects.filter(call=call, user=user).first()


def call_jurors(call: Call) -> list[Juror]:
    return list(call.jurors.select_related("user").order_by("pk"))


@dataclass(frozen=True)
class JuryState:
    """One juror's view of some applications: their own points and their conflicts."""

    points: dict[int, dict[int, int]]  # application id → criterion id → points
    conflicts: set[int]  # application ids


def jury_state(juror: Juror, application_ids: list[int]) -> JuryState:
    points: dict[int, dict[int, int]] = defaultdict(dict)
    for app_id, crit_id, value in Score.objects.filter(
        juror=juror, application_id__in=application_ids
    ).values_list("application_id", "criterion_id", "points"):
        points[app_id][crit_id] = value
    conflicts = set(
        Conflict.objects.filter(juror=juror, application_id__in=application_ids).values_list(
            "application_id", flat=True
        )
    )
    return JuryState(points=dict(points), conflicts=conflicts)


@dataclass(frozen=True)
class JuryResult:
    """The weighted jury result of an application: the mean over the jurors who scored every
    criterion, each juror's result being Σ weight × points / max points, scaled to 0–100."""

    score: Decimal | None
    jurors_scored: int
    conflicts: int


def jury_results(call: Call, application_ids: list[int]) -> dict[int, JuryResult]:
    """Two queries for any number of applications."""
    criteria = {c.pk: c for c in call.criteria.all()}
    total_weight = sum(c.weight for c in criteria.values()) or 1
    per: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for app_id, juror_id, crit_id, value in Score.objects.filter(
        application_id__in=application_ids
    ).values_list("application_id", "juror_id", "criterion_id", "points"):
        per[app_id][juror_id][crit_id] = value
    conflicts: dict[int, int] = defaultdict(int)
    for app_id in Conflict.objects.filter(application_id__in=application_ids).values_list(
        "application_id", flat=True
    ):
        conflicts[app_id] += 1
    results = {}
    for app_id in application_ids:
        complete = [s for s in per.get(app_id, {}).values() if set(s) == set(criteria)]
        values = [
            Decimal(sum(criteria[c].weight * Decimal(p) / criteria[c].max_points for c, p in s.items()))
            * 100
            / total_weight
            for s in complete
        ]
        score = (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1")) if values else None
        results[app_id] = JuryResult(score=score, jurors_scored=len(complete), conflicts=conflicts[app_id])
    return results


def jury_scores_of(application: Application) -> list[Score]:
    return list(
        Score.objects.filter(application=application)
        .select_related("juror__user", "criterion")
        .order_by("juror_id", "criterion__position", "criterion_id")
    )


def conflicts_of(application: Application) -> list[Conflict]:
    return list(Conflict.objects.filter(application=application).select_related("juror__user").order_by("pk"))


# --- matching --------------------------------------------------------------------------------------
def unit_facts(units: QuerySet[Unit]) -> list[UnitFacts]:
    """Facts of units: two queries (the units' numbers, their uses), no model instances."""
    rows = list(
        units.prefetch_related(None)
        .order_by("pk")
        .values_list("pk", "area_m2", "district_id", "rent_per_month", "step_free")
    )
    uses: dict[int, set[str]] = defaultdict(set)
    through = Unit.uses.through
    for unit_id, key in through.objects.filter(unit_id__in=[r[0] for r in rows]).values_list(
        "unit_id", "use__key"
    ):
        uses[unit_id].add(key)
    return [
        UnitFacts(
            id=pk,
            area=float(area),
            district_id=district_id,
            rent=rent,
            allowed_uses=frozenset(uses.get(pk, ())),
            step_free=step_free,
        )
        for pk, area, district_id, rent, step_free in rows
    ]


def units_by_pk(pks: list[int] | set[int]) -> dict[int, Unit]:
    """Unit rows to show (with district name, without the district's geometry)."""
    return {
        u.pk: u
        for u in Unit.objects.filter(pk__in=list(pks)).select_related("district").defer("district__geometry")
    }


def applications_by_pk(pks: list[int] | set[int]) -> dict[int, Application]:
    return {a.pk: a for a in Application.objects.filter(pk__in=list(pks))}


def need_facts(applications: QuerySet[Application]) -> list[NeedFacts]:
    """Facts of applications: two queries (applications, their wanted districts)."""
    rows = list(
        applications.values_list("pk", "area_min", "area_max", "budget", "use", "needs_step_free").order_by(
            "pk"
        )
    )
    districts: dict[int, set[int]] = defaultdict(set)
    through = Application.districts.through
    for app_id, district_id in through.objects.filter(application_id__in=[r[0] for r in rows]).values_list(
        "application_id", "district_id"
    ):
        districts[app_id].add(district_id)
    return [
        NeedFacts(
            id=pk,
            area_min=None if lo is None else float(lo),
            area_max=None if hi is None else float(hi),
            district_ids=frozenset(districts.get(pk, ())),
            budget=budget,
            use=use,
            needs_step_free=step_free,
        )
        for pk, lo, hi, budget, use, step_free in rows
    ]


def candidate_units(call: Call) -> QuerySet[Unit]:
    """The units a call matches against: its own, or the public units if it names none."""
    if call.units.exists():
        return Unit.objects.filter(pk__in=call.units.values("pk"))
    return units_for_matching()


def call_matching(call: Call, *, limit: int = 10) -> MatchTable:
    """Rank units for each open application of ``call`` and applications for each unit.

    Five queries for any size: candidate check, units, their uses, applications, their districts."""
    applications = Application.objects.filter(call=call, status__in=MATCHING_STATUSES)
    return match_all(
        need_facts(applications),
        unit_facts(candidate_units(call)),
        tenant_share=call.tenant_share,
        limit=limit,
    )


def units_for_application(application: Application, *, limit: int = 10) -> list[tuple[Match, Unit]]:
    """The ranked units for one application, with the unit rows."""
    call = application.call
    needs = need_facts(Application.objects.filter(pk=application.pk))
    table = match_all(needs, unit_facts(candidate_units(call)), tenant_share=call.tenant_share, limit=limit)
    matches = table.by_need.get(application.pk, [])
    rows = units_by_pk([m.other_id for m in matches])
    return [(m, rows[m.other_id]) for m in matches]


def applications_for_unit(call: Call, unit: Unit, *, limit: int = 20) -> list[tuple[Match, Application]]:
    """The ranked open applications of ``call`` for one unit, with the application rows."""
    applications = Application.objects.filter(call=call, status__in=MATCHING_STATUSES)
    table = match_all(
        need_facts(applications),
        unit_facts(Unit.objects.filter(pk=unit.pk)),
        tenant_share=call.tenant_share,
        limit=limit,
    )
    matches = table.by_unit.get(unit.pk, [])
    rows = applications_by_pk([m.other_id for m in matches])
    return [(m, rows[m.other_id]) for m in matches]


def unit_by_pk(pk: int) -> Unit | None:
    return Unit.objects.select_related("district").filter(pk=pk).first()


# --- contracts and reports -------------------------------------------------------------------------
def contract_reports(contract: Contract) -> list[Report]:
    return list(contract.reports.order_by("due_on", "pk"))


def report_of(user: User, pk: int) -> Report | None:
    return (
        Report.objects.filter(pk=pk, contract__application__applicant=user)
        .select_related("contract__application")
        .first()
    )


def overdue_reports(today: dt.date) -> QuerySet[Report]:
    """Reports due before today and not sent, oldest first."""
    return (
        Report.objects.filter(due_on__lt=today, submitted_at__isnull=True)
        .select_related("contract__application__applicant", "contract__application__call", "contract__unit")
        .order_by("due_on", "pk")
    )


def recent_reports(limit: int = 20) -> list[Report]:
    return list(
        Report.objects.filter(~Q(submitted_at=None))
        .select_related("contract__application", "contract__unit")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def user_by_email(email: str) -> User | None:
    """The account with this address (case-insensitive), for adding a juror."""
    return User.objects.filter(email__iexact=email.strip()).order_by("pk").first()
