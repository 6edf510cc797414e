"""Export and erasure of a person's applications, reports and jury work (DSGVO Art. 15, 17, 20)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from konzeptk.accounts.models import User
from konzeptk.interimuse import services
from konzeptk.interimuse.erasure import ERASED, erase_interimuse
from konzeptk.interimuse.exports import applications_section, jury_section
from konzeptk.interimuse.models import Application, Call, Conflict, Contract, Report, Score
from konzeptk.interimuse.tests.conftest import TODAY, apply_values

pytestmark = pytest.mark.django_db


def _run(call: Call, applicant: User, jurors: list[User], coordinator: User, units: list) -> Application:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    services.call_advance(call=call, to=Call.Status.JURY)
    first, second = call.criteria.all()
    services.scores_set(
        application=application, user=jurors[0], points={first.pk: 5, second.pk: 3}, comment="Gut"
    )
    services.conflict_declare(application=application, user=jurors[1], reason="Nachbarin")
    services.application_decide(application=application, by=coordinator, accept=True, reason="Passt.")
    contract = services.contract_create(
        application=application, unit=units[0], rent=Decimal("1000"), starts_on=TODAY, by=coordinator
    )
    services.report_submit(report=contract.reports.first(), by=applicant, text="Mein Bericht", visitors=12)
    return application


def test_export_holds_applications_contract_reports_and_jury_work(
    call: Call, applicant: User, jurors: list[User], coordinator: User, units: list
) -> None:
    _run(call, applicant, jurors, coordinator, units)
    [row] = applications_section(applicant)
    assert row["concept"].startswith("Ein Atelier")
    assert row["contract"]["tenant_amount"] == "200.00"
    assert row["contract"]["reports"][0]["text"] == "Mein Bericht"
    jury = jury_section(jurors[0])
    assert jury["scores"][0]["comment"] == "Gut"
    assert jury_section(jurors[1])["conflicts"][0]["reason"] == "Nachbarin"


def test_erasure_deletes_open_applications_and_empties_texts_of_funded_ones(
    call: Call, applicant: User, jurors: list[User], coordinator: User, units: list
) -> None:
    application = _run(call, applicant, jurors, coordinator, units)
    erase_interimuse(applicant)
    application.refresh_from_db()
    assert application.concept == ERASED
    assert application.decision_reason == ""
    assert Contract.objects.count() == 1  # proof of funding stays
    assert Report.objects.filter(text="Mein Bericht").count() == 0
    erase_interimuse(jurors[0])
    erase_interimuse(jurors[1])
    assert set(Score.objects.values_list("comment", flat=True)) == {""}
    assert Conflict.objects.get().reason == ERASED


def test_erasure_deletes_an_application_without_contract(call: Call, applicant: User) -> None:
    services.application_submit(call=call, applicant=applicant, **apply_values())
    erase_interimuse(applicant)
    assert not Application.objects.exists()
