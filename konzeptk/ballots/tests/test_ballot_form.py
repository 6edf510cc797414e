"""Issue 13: the ballot shows each proposal with its description, place, cost and link, a running total
of the budget (live with JavaScript from a static file; without it "Summe prüfen" re-renders the form
with the total and keeps the choices), and voting is the primary action."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from konzeptk.accounts.models import Level, Verification
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.ballots.models import Ballot, Vote
from konzeptk.ballots.phases import KEY
from konzeptk.participation.models import Phase
from konzeptk.participation.tests.conftest import NOW
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory

URL = "/beteiligung/buergerhaushalt/abstimmung/"


@pytest.fixture
def budget(city: Any) -> dict[str, Any]:
    process = ProcessFactory(slug="buergerhaushalt", vote_level=Level.RESIDENT)
    phase = Phase.objects.create(
        process=process, type=KEY, start=NOW - dt.timedelta(days=5), end=NOW + dt.timedelta(days=5)
    )
    ballot = Ballot.objects.create(phase=phase, kind=Ballot.Kind.BUDGET, budget=100_000)
    ideas = [
        IdeaFactory(
            process=process,
            cost=cost,
            title=title,
            text=f"Beschreibung von {title}.",
            address="Am Marktplatz 1",
        )
        for title, cost in (("Bänke am Markt", 35_000), ("Trinkbrunnen", 40_000), ("Fahrradbügel", 50_000))
    ]
    voter = UserFactory()
    Verification.objects.create(user=voter, postcode="47798", resident_declared_at=NOW)
    return {"process": process, "ballot": ballot, "ideas": ideas, "voter": voter}


@pytest.mark.django_db
def test_each_proposal_shows_description_place_cost_and_link(client: Client, budget: dict[str, Any]) -> None:
    client.force_login(budget["voter"])
    with time_machine.travel(NOW, tick=False):
        html = client.get(URL).content.decode()
    for idea in budget["ideas"]:
        assert f"Beschreibung von {idea.title}." in html
        assert reverse("participation:idea", args=["buergerhaushalt", idea.pk]) in html
    assert "Am Marktplatz 1" in html
    assert "35.000\xa0€" in html
    assert "100.000\xa0€" in html
    assert "35000" not in html.replace('data-cost="35000"', "")  # no bare amounts beside the data
    # voting is the primary action, checking the total the secondary one
    assert re.search(r'kern-btn--primary"><span class="kern-label">Stimmen speichern', html)
    assert re.search(r'name="action" value="check" class="kern-btn kern-btn--secondary"', html)
    # the live total comes from a static file (no inline script: CSP)
    assert "ballots/ballot.js" in html
    assert "<script>" not in html
    assert "<script >" not in html


@pytest.mark.django_db
def test_sum_check_without_javascript_keeps_the_choice_and_saves_nothing(
    client: Client, budget: dict[str, Any]
) -> None:
    a, b, c = budget["ideas"]
    client.force_login(budget["voter"])
    with time_machine.travel(NOW, tick=False):
        response = client.post(URL, {"ideas": [a.pk, b.pk], "action": "check"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "data-kk-spent>75.000\xa0€<" in html
        assert "data-kk-remaining>25.000\xa0€<" in html
        assert re.search(rf'value="{a.pk}"[^>]* checked', html)
        assert re.search(rf'value="{b.pk}"[^>]* checked', html)
        assert not re.search(rf'value="{c.pk}"[^>]* checked', html)
        assert not Vote.objects.exists()
        # over the budget: said beside the total, still nothing saved
        html = client.post(URL, {"ideas": [a.pk, b.pk, c.pk], "action": "check"}).content.decode()
        assert re.search(r"data-kk-over>", html)
        assert "data-kk-spent>125.000\xa0€<" in html
        assert not Vote.objects.exists()
        # a refused save keeps the choice too
        html = client.post(URL, {"ideas": [a.pk, b.pk, c.pk]}).content.decode()
        assert re.search(rf'value="{c.pk}"[^>]* checked', html)
        # saving works as before
        assert client.post(URL, {"ideas": [a.pk, c.pk]}).status_code == 302
    assert set(Vote.objects.values_list("idea_id", flat=True)) == {a.pk, c.pk}


@pytest.mark.django_db
def test_amounts_are_written_as_the_language_writes_them(client: Client, budget: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        html = client.get("/en" + URL).content.decode()
    assert "€35,000" in html
    assert "€100,000" in html
