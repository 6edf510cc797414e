"""The interim-use sections of the personal-data export (found by accounts' registry): a person's
applications with concept, needs, decision, contract and reports; and, for jurors, their scores and
declared conflicts. Four queries per section however much there is."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import declare_no_personal_data, register_export_section
from konzeptk.accounts.models import User
from konzeptk.interimuse.models import (
    Application,
    Call,
    Conflict,
    Contract,
    Criterion,
    Fact,
    Juror,
    Report,
    Score,
)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def applications_section(user: User) -> list[dict[str, object]]:
    applications = list(
        Application.objects.filter(applicant=user)
        .select_related("call", "contract")
        .prefetch_related("districts")
        .order_by("submitted_at", "pk")
    )
    reports: dict[int, list[dict[str, object]]] = {}
    for r in Report.objects.filter(contract__application__applicant=user).order_by("due_on", "pk"):
        reports.setdefault(r.contract_id, []).append(
            {
                "due_on": _iso(r.due_on),
                "text": r.text,
                "visitors": r.visitors,
                "submitted_at": _iso(r.submitted_at),
            }
        )
    rows: list[dict[str, object]] = []
    for a in applications:
        contract: Contract | None = getattr(a, "contract", None)
        rows.append(
            {
                "call": a.call.slug,
                "kind": a.kind,
                "title": a.title,
                "concept": a.concept,
                "use": a.use,
                "unit": a.unit_id,
                "area_min": a.area_min,
                "area_max": a.area_max,
                "districts": [d.name for d in a.districts.all()],
                "budget": None if a.budget is None else str(a.budget),
                "needs_step_free": a.needs_step_free,
                "status": a.status,
                "decision_reason": a.decision_reason,
                "decided_at": _iso(a.decided_at),
                "submitted_at": _iso(a.submitted_at),
                "contract": None
                if contract is None
                else {
                    "unit": contract.unit_id,
                    "rent": str(contract.rent),
                    "owner_amount": str(contract.owner_amount),
                    "funding_amount": str(contract.funding_amount),
                    "tenant_amount": str(contract.tenant_amount),
                    "starts_on": _iso(contract.starts_on),
                    "ends_on": _iso(contract.ends_on),
                    "reports": reports.get(contract.pk, []),
                },
            }
        )
    return rows


def jury_section(user: User) -> dict[str, object]:
    return {
        "calls": list(Juror.objects.filter(user=user).order_by("pk").values_list("call__slug", flat=True)),
        "scores": [
            {"call": c, "application": a, "criterion": t, "points": p, "comment": m}
            for c, a, t, p, m in Score.objects.filter(juror__user=user)
            .order_by("pk")
            .values_list("juror__call__slug", "application_id", "criterion__title", "points", "comment")
        ],
        "conflicts": [
            {"call": c, "application": a, "reason": r, "declared_at": _iso(at)}
            for c, a, r, at in Conflict.objects.filter(juror__user=user)
            .order_by("pk")
            .values_list("juror__call__slug", "application_id", "reason", "declared_at")
        ],
    }


register_export_section(
    "interimuse.applications",
    applications_section,
    models=[Application, Contract, Report],
    title=_("Bewerbungen für eine Zwischennutzung"),
    purpose=_(
        "Ihre Bewerbungen mit Konzept und Bedarf, die Entscheidung, Ihr Vertrag mit der Aufteilung "
        "der Miete und Ihre Berichte."
    ),
    retention=_(
        "abgelehnte und zurückgezogene Bewerbungen bis sechs Monate nach dem Ende des Aufrufs; "
        "Verträge und Berichte zehn Jahre nach Vertragsende (Nachweis der Förderung)"
    ),
    recipients=_("die Innenstadtkoordination und die Jury des Aufrufs"),
)
register_export_section(
    "interimuse.jury",
    jury_section,
    models=[Juror, Score, Conflict],
    title=_("Mitarbeit in der Jury der Zwischennutzung"),
    purpose=_("Ihre Bewertungen und erklärten Befangenheiten als Jurymitglied."),
    retention=_("so lange wie die Bewerbungen, die Sie bewertet haben"),
    recipients=_("die Innenstadtkoordination"),
)
declare_no_personal_data(
    Call,
    Criterion,
    Fact,
    reason="Calls, their criteria and facts are published texts of the city, not about a person.",
)
