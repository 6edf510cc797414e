"""The funding programme as a workflow, through the services: call, applications, jury with
conflicts, decision with notification, contract with rent split, reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.errors import DomainError
from konzeptk.innercity.models import Unit
from konzeptk.interimuse import selectors, services
from konzeptk.interimuse.models import Application, Call, Report, Score
from konzeptk.interimuse.tests.conftest import TODAY, apply_values
from konzeptk.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _to_jury(call: Call) -> Call:
    return services.call_advance(call=call, to=Call.Status.JURY)


def _points(call: Call, a: int, b: int) -> dict[int, int]:
    first, second = selectors.call_criteria(call)
    return {first.pk: a, second.pk: b}


def test_the_shares_must_add_up_to_100(units: list[Unit]) -> None:
    with pytest.raises(DomainError) as err:
        services.call_create(
            slug="x",
            title="X",
            text="X",
            opens_on=TODAY,
            closes_on=TODAY,
            owner_share=Decimal(30),
            funding_share=Decimal(50),
            tenant_share=Decimal(25),
        )
    assert err.value.code == "shares_not_100"


def test_a_call_opens_only_with_criteria(units: list[Unit]) -> None:
    call = services.call_create(
        slug="ohne-kriterien",
        title="X",
        text="X",
        opens_on=TODAY,
        closes_on=TODAY,
        owner_share=Decimal(30),
        funding_share=Decimal(50),
        tenant_share=Decimal(20),
    )
    with pytest.raises(DomainError) as err:
        services.call_advance(call=call, to=Call.Status.OPEN)
    assert err.value.code == "no_criteria"
    with pytest.raises(DomainError):
        services.call_advance(call=call, to=Call.Status.DECIDED)  # no skipping


def test_an_application_without_a_concept_is_refused(call: Call, applicant: User) -> None:
    for concept in ("", "   \n\t"):
        with pytest.raises(DomainError) as err:
            services.application_submit(call=call, applicant=applicant, **apply_values(concept=concept))
        assert err.value.code == "concept_missing"
        assert err.value.fields[0][0] == "concept"
    assert not Application.objects.exists()


def test_a_double_submit_creates_one_application(call: Call, applicant: User) -> None:
    services.application_submit(call=call, applicant=applicant, **apply_values())
    with pytest.raises(DomainError) as err:
        services.application_submit(call=call, applicant=applicant, **apply_values())
    assert err.value.code == "already_applied"
    assert err.value.status == 409
    assert Application.objects.count() == 1


def test_applications_only_while_the_call_is_open(call: Call, applicant: User) -> None:
    with pytest.raises(DomainError) as err:
        services.application_submit(
            call=call, applicant=applicant, today=call.closes_on + dt.timedelta(days=1), **apply_values()
        )
    assert err.value.code == "call_closed"
    _to_jury(call)
    with pytest.raises(DomainError):
        services.application_submit(call=call, applicant=applicant, **apply_values())


def test_a_unit_outside_the_call_is_refused(call: Call, applicant: User, districts: list) -> None:
    from konzeptk.interimuse.tests.conftest import make_unit

    other = make_unit(districts[0], house_number="99")
    with pytest.raises(DomainError) as err:
        services.application_submit(call=call, applicant=applicant, unit=other, **apply_values())
    assert err.value.code == "unit_not_in_call"


def test_a_juror_with_a_declared_conflict_cannot_score(
    call: Call, applicant: User, jurors: list[User]
) -> None:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    _to_jury(call)
    services.scores_set(application=application, user=jurors[0], points=_points(call, 8, 4))
    services.conflict_declare(application=application, user=jurors[0], reason="Meine Schwester")
    # the conflict removes the juror's scores and blocks new ones
    assert not Score.objects.filter(juror__user=jurors[0]).exists()
    with pytest.raises(DomainError) as err:
        services.scores_set(application=application, user=jurors[0], points=_points(call, 9, 5))
    assert err.value.code == "conflict_declared"
    assert err.value.status == 403
    assert not Score.objects.filter(juror__user=jurors[0]).exists()


def test_only_jurors_score_and_only_in_the_jury_phase(
    call: Call, applicant: User, jurors: list[User]
) -> None:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    with pytest.raises(DomainError) as err:
        services.scores_set(application=application, user=jurors[0], points=_points(call, 1, 1))
    assert err.value.code == "not_jury_phase"
    _to_jury(call)
    stranger = UserFactory()
    with pytest.raises(DomainError) as err:
        services.scores_set(application=application, user=stranger, points=_points(call, 1, 1))
    assert err.value.code == "not_juror"
    with pytest.raises(DomainError) as err:
        services.scores_set(application=application, user=jurors[0], points=_points(call, 11, 1))
    assert err.value.code == "invalid_points"
    with pytest.raises(DomainError):
        services.scores_set(application=application, user=jurors[0], points={})


def test_scoring_twice_changes_the_score_not_the_count(
    call: Call, applicant: User, jurors: list[User]
) -> None:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    _to_jury(call)
    services.scores_set(application=application, user=jurors[0], points=_points(call, 2, 2))
    services.scores_set(application=application, user=jurors[0], points=_points(call, 10, 5))
    assert Score.objects.count() == 2
    result = selectors.jury_results(call, [application.pk])[application.pk]
    assert result.score == Decimal("100.0")
    assert result.jurors_scored == 1


def test_jury_result_is_the_weighted_mean(call: Call, applicant: User, jurors: list[User]) -> None:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    _to_jury(call)
    services.scores_set(application=application, user=jurors[0], points=_points(call, 10, 5))  # 100
    services.scores_set(application=application, user=jurors[1], points=_points(call, 5, 0))  # 2*.5/3 = 33.3
    services.conflict_declare(application=application, user=jurors[2], reason="Geschäftspartner")
    result = selectors.jury_results(call, [application.pk])[application.pk]
    assert result.jurors_scored == 2
    assert result.conflicts == 1
    assert result.score == Decimal("66.7")


def test_from_call_to_contract_and_reports(
    call: Call, applicant: User, jurors: list[User], coordinator: User, units: list[Unit]
) -> None:
    application = services.application_submit(call=call, applicant=applicant, unit=units[2], **apply_values())
    _to_jury(call)
    for juror in jurors:
        services.scores_set(application=application, user=juror, points=_points(call, 8, 4))
    with pytest.raises(DomainError) as err:
        services.application_decide(application=application, by=coordinator, accept=True, reason="  ")
    assert err.value.code == "reason_missing"
    services.application_decide(
        application=application, by=coordinator, accept=True, reason="Überzeugendes Konzept."
    )
    note = Notification.objects.get(recipient=applicant)
    assert note.kind == services.STATUS_KIND
    assert "Überzeugendes Konzept." in note.body
    application.refresh_from_db()
    start = dt.date(2026, 1, 31)
    contract = services.contract_create(
        application=application, unit=units[2], rent=Decimal("333.33"), starts_on=start, by=coordinator
    )
    assert (contract.owner_amount, contract.funding_amount, contract.tenant_amount) == (
        Decimal("100.00"),
        Decimal("166.66"),
        Decimal("66.67"),
    )
    assert contract.ends_on == dt.date(2027, 1, 31)
    assert [r.due_on for r in selectors.contract_reports(contract)] == [
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 31),
        dt.date(2026, 10, 31),
        dt.date(2027, 1, 31),
    ]
    units[2].refresh_from_db()
    assert units[2].status == Unit.Status.INTERIM_USE
    with pytest.raises(DomainError):
        services.contract_create(
            application=application, unit=units[2], rent=Decimal("1"), starts_on=start, by=coordinator
        )
    # reports: overdue ones show for staff; the tenant sends one
    overdue = list(selectors.overdue_reports(dt.date(2026, 8, 1)))
    assert len(overdue) == 2
    first = overdue[0]
    with pytest.raises(DomainError):
        services.report_submit(report=first, by=jurors[0], text="Nicht meins")
    with pytest.raises(DomainError):
        services.report_submit(report=first, by=applicant, text=" ")
    services.report_submit(report=first, by=applicant, text="Drei Ausstellungen.", visitors=420)
    assert selectors.overdue_reports(dt.date(2026, 8, 1)).count() == 1
    assert Report.objects.get(pk=first.pk).visitors == 420


def test_decisions_wait_for_the_jury_phase(call: Call, applicant: User, coordinator: User) -> None:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    with pytest.raises(DomainError) as err:
        services.application_decide(application=application, by=coordinator, accept=False, reason="Nein")
    assert err.value.code == "not_jury_phase"


def test_a_contract_needs_an_accepted_application(
    call: Call, applicant: User, coordinator: User, units: list[Unit]
) -> None:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    _to_jury(call)
    services.application_decide(application=application, by=coordinator, accept=False, reason="Leider nicht.")
    with pytest.raises(DomainError) as err:
        services.contract_create(
            application=application, unit=units[0], rent=Decimal("500"), starts_on=TODAY, by=coordinator
        )
    assert err.value.code == "not_accepted"


def test_withdraw_only_own_and_undecided(call: Call, applicant: User, jurors: list[User]) -> None:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    with pytest.raises(DomainError):
        services.application_withdraw(application=application, by=jurors[0])
    services.application_withdraw(application=application, by=applicant)
    with pytest.raises(DomainError):
        services.application_withdraw(application=application, by=applicant)


def test_add_months_keeps_month_ends() -> None:
    assert services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert services.add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
