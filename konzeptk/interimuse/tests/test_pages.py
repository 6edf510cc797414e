"""The pages over HTTP: a founder applies and follows the decision, jurors score or declare a
conflict, the coordination runs the call; hostile input; bounded query counts at two sizes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from konzeptk.accounts.models import User
from konzeptk.innercity.models import Unit
from konzeptk.interimuse import services
from konzeptk.interimuse.models import Application, Call, Conflict, Score
from konzeptk.interimuse.tests.conftest import apply_values

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**kw: Any) -> dict[str, Any]:
    data = {k: v for k, v in apply_values().items() if v is not None}
    data.update(kw)
    return data


def test_public_pages_show_the_call_with_shares_and_criteria(call: Call) -> None:
    client = Client()
    assert client.get(reverse("interimuse:index")).status_code == 200
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Platz für Deine Visionen" in page
    assert "Idee und Konzept" in page
    assert "30 %" in page
    assert "50 %" in page
    assert "20 %" in page
    assert Client().get("/innenstadt/zwischennutzung/aufrufe/gibt-es-nicht/").status_code == 404


def test_a_draft_call_is_not_public(units: list[Unit]) -> None:
    import datetime as dt

    draft = services.call_create(
        slug="entwurf",
        title="Entwurf",
        text="X",
        opens_on=dt.date.today(),
        closes_on=dt.date.today(),
        owner_share=Decimal(30),
        funding_share=Decimal(50),
        tenant_share=Decimal(20),
    )
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_a_founder_applies_and_follows_the_decision(
    call: Call, applicant: User, units: list[Unit], coordinator: User
) -> None:
    apply_url = reverse("interimuse:apply", args=[call.slug])
    assert Client().get(apply_url).status_code == 302  # sign in first
    client = client_for(applicant)
    assert client.get(apply_url + f"?unit={units[0].pk}").status_code == 200
    response = client.post(apply_url, form_data(unit=units[0].pk))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{application.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "eingereicht" in page
    assert "Ladenlokale, die zu Ihnen passen" in page
    # a double submit leads to the first application, with a note – not a second one, not an error
    again = client.post(apply_url, form_data(), follow=True)
    assert again.redirect_chain[-1][0].endswith(f"/{application.pk}/")
    assert "schon beworben" in again.content.decode()
    assert Application.objects.count() == 1
    services.call_advance(call=call, to=Call.Status.JURY)
    staff = client_for(coordinator)
    url = reverse("interimuse:staff_application", args=[application.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url, {"action": "decide", "decision": "accept", "reason": ""}).status_code == 400
    assert (
        staff.post(url, {"action": "decide", "decision": "accept", "reason": "Sehr gut."}).status_code == 302
    )
    response = staff.post(
        url, {"action": "contract", "unit": units[0].pk, "rent": "1000.00", "starts_on": "2026-02-01"}
    )
    assert response.status_code == 302
    page = client.get(reverse("interimuse:mine_detail", args=[application.pk])).content.decode()
    assert "angenommen" in page
    assert "Sehr gut." in page
    assert "200,00 €" in page
    assert "Bericht schreiben" in page
    # another person cannot see it
    assert (
        client_for(coordinator).get(reverse("interimuse:mine_detail", args=[application.pk])).status_code
        == 404
    )


def test_an_application_without_a_concept_is_a_form_error(call: Call, applicant: User) -> None:
    client = client_for(applicant)
    response = client.post(reverse("interimuse:apply", args=[call.slug]), form_data(concept="   "))
    assert response.status_code == 400
    assert "Bitte beschreiben Sie Ihr Konzept." in response.content.decode()
    assert not Application.objects.exists()
    english = client.post(
        f"/en/innenstadt/zwischennutzung/aufrufe/{call.slug}/bewerben/", form_data(concept="")
    )
    assert english.status_code == 400


@pytest.mark.parametrize(
    "bad",
    [
        {"area_min": "-5"},
        {"area_min": "99999999999999999999"},
        {"area_min": "200", "area_max": "100"},
        {"budget": "abc"},
        {"budget": "1e400"},
        {"unit": "999999999999"},
        {"unit": "1 OR 1=1"},
        {"districts": ["x"]},
        {"kind": "robot"},
        {"use": "<script>"},
        {"title": "x" * 500},
        {"concept": "x" * 9000},
    ],
)
def test_hostile_input_is_a_form_error(call: Call, applicant: User, bad: dict[str, Any]) -> None:
    response = client_for(applicant).post(reverse("interimuse:apply", args=[call.slug]), form_data(**bad))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_script_in_texts_is_escaped(call: Call, applicant: User) -> None:
    client = client_for(applicant)
    client.post(reverse("interimuse:apply", args=[call.slug]), form_data(title="<script>alert(1)</script>"))
    application = Application.objects.get()
    page = client.get(reverse("interimuse:mine_detail", args=[application.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_odd_query_parameters_do_not_break_pages(call: Call, applicant: User) -> None:
    client = client_for(applicant)
    for query in ("?page=999999999999999999999", "?page=-1", "?page=abc"):
        assert Client().get(reverse("interimuse:index") + query).status_code == 200
        assert client.get(reverse("interimuse:mine") + query).status_code == 200
    assert client.get(reverse("interimuse:apply", args=[call.slug]) + "?unit=abc").status_code == 200


def test_a_juror_with_a_conflict_cannot_score_through_the_page(
    call: Call, applicant: User, jurors: list[User]
) -> None:
    application = services.application_submit(call=call, applicant=applicant, **apply_values())
    services.call_advance(call=call, to=Call.Status.JURY)
    juror = client_for(jurors[0])
    url = reverse("interimuse:jury_application", args=[call.slug, application.pk])
    assert juror.get(reverse("interimuse:jury_call", args=[call.slug])).status_code == 200
    assert juror.post(url, {"action": "conflict", "reason": ""}).status_code == 400
    assert juror.post(url, {"action": "conflict", "reason": "Mein Bruder"}).status_code == 302
    assert Conflict.objects.count() == 1
    fields = {f"c{c.pk}": "5" for c in call.criteria.all()}
    response = juror.post(url, {"action": "score", **fields})
    assert response.status_code == 403
    assert "Befangenheit" in response.content.decode()
    assert not Score.objects.exists()
    # another juror scores; bad points are a form error
    other = client_for(jurors[1])
    assert other.post(url, {"action": "score", **dict.fromkeys(fields, "77")}).status_code == 400
    assert other.post(url, {"action": "score", **fields}).status_code == 302
    assert Score.objects.count() == 2


def test_strangers_get_no_jury_or_staff_pages(call: Call, applicant: User) -> None:
    client = client_for(applicant)
    assert client.get(reverse("interimuse:jury_call", args=[call.slug])).status_code == 403
    for name, args in (
        ("staff_index", []),
        ("call_new", []),
        ("staff_call", [call.slug]),
        ("staff_matching", [call.slug]),
        ("staff_reports", []),
    ):
        assert client.get(reverse(f"interimuse:{name}", args=args)).status_code == 403
        assert Client().get(reverse(f"interimuse:{name}", args=args)).status_code == 302


def test_the_coordination_runs_a_call_from_the_pages(
    coordinator: User, units: list[Unit], jurors: list[User]
) -> None:
    client = client_for(coordinator)
    data = {
        "slug": "herbst",
        "title": "Herbstaufruf",
        "text": "Text",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "owner_share": "30",
        "funding_share": "50",
        "tenant_share": "25",
        "term_months": "12",
        "report_every_months": "3",
    }
    response = client.post(reverse("interimuse:call_new"), data)
    assert response.status_code == 400
    assert "100 %" in response.content.decode()
    assert client.post(reverse("interimuse:call_new"), {**data, "tenant_share": "20"}).status_code == 302
    url = reverse("interimuse:staff_call", args=["herbst"])
    assert client.post(url, {"action": "advance", "to": "open"}).status_code == 409  # no criteria yet
    assert (
        client.post(
            url, {"action": "criterion", "title": "Idee", "weight": "2", "max_points": "10"}
        ).status_code
        == 302
    )
    assert client.post(url, {"action": "juror", "email": "niemand@beispiel.invalid"}).status_code == 400
    assert client.post(url, {"action": "juror", "email": jurors[0].email.upper()}).status_code == 302
    assert client.post(url, {"action": "advance", "to": "open"}).status_code == 302
    assert Call.objects.get(slug="herbst").status == Call.Status.OPEN
    assert client.post(url, {"action": "unknown"}).status_code == 400


def _seed(call: Call, n: int, units: list[Unit]) -> None:
    from konzeptk.accounts.tests.factories import UserFactory

    for i in range(n):
        services.application_submit(
            call=call, applicant=UserFactory(), unit=units[i % len(units)], **apply_values(title=f"V{i}")
        )


@pytest.mark.parametrize("name", ["staff_call", "staff_matching"])
def test_staff_query_counts_do_not_grow(call: Call, coordinator: User, units: list[Unit], name: str) -> None:
    client = client_for(coordinator)
    url = reverse(f"interimuse:{name}", args=[call.slug])
    counts = []
    for n in (2, 12):
        _seed(call, n - Application.objects.count(), units)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_jury_and_applicant_query_counts_do_not_grow(
    call: Call, applicant: User, jurors: list[User], units: list[Unit]
) -> None:
    services.application_submit(call=call, applicant=applicant, **apply_values())
    services.call_advance(call=call, to=Call.Status.JURY)
    juror = client_for(jurors[0])
    url = reverse("interimuse:jury_call", args=[call.slug])
    counts = []
    for extra in (0, 10):
        for i in range(extra):
            from konzeptk.accounts.tests.factories import UserFactory

            Application.objects.create(
                call=call, applicant=UserFactory(), kind="founder", title=f"A{i}", concept="K", use="retail"
            )
        juror.get(url)  # warm up the session
        with CaptureQueriesContext(connection) as ctx:
            assert juror.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
