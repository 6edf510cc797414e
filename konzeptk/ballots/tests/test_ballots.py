"""Ballots: fixed votes or a budget, changeable until the end, results only afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from konzeptk.accounts.models import Level, Verification
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.ballots import services
from konzeptk.ballots.models import Ballot, Vote
from konzeptk.ballots.phases import KEY
from konzeptk.core.errors import DomainError
from konzeptk.participation.models import Phase
from konzeptk.participation.tests.conftest import NOW
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory


@pytest.fixture
def setup(city: Any) -> dict[str, Any]:
    process = ProcessFactory(slug="buergerhaushalt", vote_level=Level.RESIDENT)
    phase = Phase.objects.create(
        process=process, type=KEY, start=NOW - dt.timedelta(days=5), end=NOW + dt.timedelta(days=5)
    )
    ideas = [
        IdeaFactory(process=process, cost=cost, title=f"Vorschlag {cost}")
        for cost in (30_000, 50_000, 40_000)
    ]
    voter = UserFactory()
    Verification.objects.create(user=voter, postcode="47798", resident_declared_at=NOW)
    return {"process": process, "phase": phase, "ideas": ideas, "voter": voter}


def test_budget_cannot_be_exceeded_and_votes_are_changeable(setup: dict[str, Any]) -> None:
    ballot = Ballot.objects.create(phase=setup["phase"], kind=Ballot.Kind.BUDGET, budget=80_000)
    a, b, c = setup["ideas"]
    voter = setup["voter"]
    with time_machine.travel(NOW, tick=False):
        services.ballot_vote_set(ballot=ballot, user=voter, idea_ids=[a.pk, b.pk])
        with pytest.raises(ValidationError) as info:
            services.ballot_vote_set(ballot=ballot, user=voter, idea_ids=[a.pk, b.pk, c.pk])
        assert "überschreitet das Budget von 80.000\xa0€" in info.value.messages[0]
        assert set(Vote.objects.values_list("idea_id", flat=True)) == {a.pk, b.pk}  # unchanged
        services.ballot_vote_set(ballot=ballot, user=voter, idea_ids=[a.pk, c.pk])
        assert set(Vote.objects.values_list("idea_id", flat=True)) == {a.pk, c.pk}
    with time_machine.travel(NOW + dt.timedelta(days=6), tick=False), pytest.raises(DomainError):
        services.ballot_vote_set(ballot=ballot, user=voter, idea_ids=[b.pk])


def test_fixed_votes_and_verification_level(setup: dict[str, Any]) -> None:
    ballot = Ballot.objects.create(phase=setup["phase"], kind=Ballot.Kind.VOTES, votes_per_person=2)
    ids = [i.pk for i in setup["ideas"]]
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError):
            services.ballot_vote_set(ballot=ballot, user=setup["voter"], idea_ids=ids)
        with pytest.raises(DomainError):  # e-mail confirmed, but not a declared resident
            services.ballot_vote_set(ballot=ballot, user=UserFactory(), idea_ids=ids[:1])
        with pytest.raises(ValidationError):  # an idea of another process
            services.ballot_vote_set(ballot=ballot, user=setup["voter"], idea_ids=[IdeaFactory().pk])
        services.ballot_vote_set(ballot=ballot, user=setup["voter"], idea_ids=ids[:2] + ids[:1])
    assert Vote.objects.count() == 2


def test_ballot_pages(client: Client, setup: dict[str, Any]) -> None:
    ballot = Ballot.objects.create(phase=setup["phase"], kind=Ballot.Kind.BUDGET, budget=80_000)
    a, b, c = setup["ideas"]
    client.force_login(setup["voter"])
    with time_machine.travel(NOW, tick=False):
        response = client.post("/beteiligung/buergerhaushalt/abstimmung/", {"ideas": [a.pk, b.pk, c.pk]})
        assert response.status_code == 400
        assert "überschreitet das Budget" in response.content.decode()
        response = client.post("/beteiligung/buergerhaushalt/abstimmung/", {"ideas": ["x"]})
        assert response.status_code == 400
        client.post("/beteiligung/buergerhaushalt/abstimmung/", {"ideas": [b.pk]})
        assert (
            "nach dem Ende"
            in client.get("/beteiligung/buergerhaushalt/abstimmung/ergebnis/").content.decode()
        )
    with time_machine.travel(NOW + dt.timedelta(days=6), tick=False):
        html = client.get("/beteiligung/buergerhaushalt/abstimmung/ergebnis/").content.decode()
        assert "<svg" in html
        assert "Vorschlag 50000" in html
        assert ballot.votes.count() == 1
