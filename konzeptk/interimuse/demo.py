"""Demo content of the interim-use programme, after innercity's demo register (INSTALLED_APPS order).

From ``city/profiles/krefeld/demo/interimuse.json``: one decided call of the real programme with its
real shares and facts (with sources), three demo jurors, simulated applications scored by the jury
(one declared conflict), decisions, a contract with its rent split and reports; and one open call a
founder can apply to. Everything runs through the services, as a person would; idempotent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from konzeptk.accounts.demo import DEMO_PASSWORD
from konzeptk.accounts.models import User
from konzeptk.city.demo_data import demo_data
from konzeptk.innercity.models import Unit
from konzeptk.innercity.selectors import units_for_matching
from konzeptk.interimuse import selectors, services
from konzeptk.interimuse.models import Application, Call, Fact

DECIDED = "platz-fuer-deine-visionen-2026"
OPEN = "platz-fuer-deine-visionen-2027"


def _account(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
        user.display_name = name
        user.is_demo = True
        user.save()
    return user


def _call(
    data: dict[str, Any], slug: str, title: str, opens: dt.date, closes: dt.date, units: list[Unit]
) -> Call:
    shares = data["shares"]
    call = services.call_create(
        slug=slug,
        title=title,
        text=(
            "Beispielinhalt: Die Stadt mietet leere Ladenlokale an und gibt sie für zwölf Monate an "
            "Gründerinnen und Gründer, Kunstschaffende und Initiativen weiter. Bewerben Sie sich mit "
            "Ihrem Konzept für ein bestimmtes Ladenlokal oder allgemein."
        ),
        opens_on=opens,
        closes_on=closes,
        owner_share=Decimal(shares["owner"]),
        funding_share=Decimal(shares["funding"]),
        tenant_share=Decimal(shares["tenant"]),
        units=units,
        source="https://www.krefeld.de/",
    )
    for criterion in data["criteria"]:
        services.criterion_add(call=call, **criterion)
    for n, fact in enumerate(data["facts"]):
        Fact.objects.create(
            call=call,
            text_de=fact["text"],
            as_of=fact["as_of"],
            source_title=fact["source_title"],
            source_url=fact["source_url"],
            position=n,
        )
    for juror in data["jurors"]:
        services.juror_add(call=call, user=_account(juror["email"], juror["name"]))
    return services.call_advance(call=call, to=Call.Status.OPEN)


def _apply(call: Call, row: dict[str, Any], unit: Unit | None, today: dt.date) -> Application:
    return services.application_submit(
        call=call,
        applicant=_account(row["email"], row["name"]),
        unit=unit,
        kind=row["kind"],
        title=row["title"],
        concept=row["concept"],
        use=row["use"],
        area_min=row["area_min"],
        area_max=row["area_max"],
        budget=Decimal(row["budget"]),
        needs_step_free=row["needs_step_free"],
        simulated=True,
        today=today,
    )


def load_demo(*, out: TextIO) -> None:
    data = demo_data("interimuse")
    if data is None or Call.objects.filter(slug=DECIDED).exists():
        return
    staff = User.objects.filter(email="admin@demo.konzeptk.invalid").first()
    offered = list(units_for_matching()[:6])
    if staff is None or not offered:
        out.write("Zwischennutzung: keine Demo – erst die Konten und das Leerstandsregister laden.\n")
        return
    today = timezone.localdate()
    opens = today - dt.timedelta(days=200)
    call = _call(
        data,
        DECIDED,
        "Platz für Deine Visionen – Aufruf 2026 (Beispiel)",
        opens,
        opens + dt.timedelta(days=45),
        offered,
    )
    applications = [
        _apply(call, row, offered[0] if n == 0 else None, opens) for n, row in enumerate(data["applications"])
    ]
    call = services.call_advance(call=call, to=Call.Status.JURY)
    criteria = selectors.call_criteria(call)
    jurors = selectors.call_jurors(call)
    for application, row in zip(applications, data["applications"], strict=True):
        if conflict := row.get("conflict"):
            services.conflict_declare(
                application=application, user=jurors[conflict[0]].user, reason=conflict[1]
            )
        for juror, points in zip(jurors, row["scores"], strict=True):
            if points is not None:
                services.scores_set(
                    application=application,
                    user=juror.user,
                    points={c.pk: p for c, p in zip(criteria, points, strict=True)},
                )
        services.application_decide(
            application=application, by=staff, accept=row["decision"] == "accept", reason=row["reason"]
        )
    contract_data = data["contract"]
    contract = services.contract_create(
        application=applications[0],
        unit=offered[0],
        rent=Decimal(contract_data["rent"]),
        starts_on=today + dt.timedelta(days=contract_data["starts_on_offset_days"]),
        by=staff,
    )
    first = selectors.contract_reports(contract)[0]
    services.report_submit(
        report=first, by=applications[0].applicant, text=contract_data["report_text"], visitors=400
    )
    services.call_advance(call=call, to=Call.Status.DECIDED)
    open_call = _call(
        data,
        OPEN,
        "Platz für Deine Visionen – Aufruf 2027 (Beispiel)",
        today - dt.timedelta(days=7),
        today + dt.timedelta(days=60),
        offered[1:],
    )
    for row in data["open_applications"]:
        _apply(open_call, row, None, today)
    out.write(
        f"Zwischennutzung: 2 Aufrufe (Beispiel), {Application.objects.count()} Bewerbungen (simuliert), "
        f"Vertrag: Miete {contract.rent} € = {contract.owner_amount} + {contract.funding_amount} + "
        f"{contract.tenant_amount} €\n"
    )
