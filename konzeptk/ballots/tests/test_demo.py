"""The demo Bürgerhaushalt gets its budget ballot through the services, once, however often it loads."""

from __future__ import annotations

import io
from typing import Any

import pytest

from konzeptk.accounts.demo import load_demo as load_accounts_demo
from konzeptk.ballots.demo import DEMO_BUDGET, DEMO_PROCESS
from konzeptk.ballots.demo import load_demo as load_ballots_demo
from konzeptk.ballots.models import Ballot
from konzeptk.participation import demo as participation_demo


def test_demo_ballot_is_a_budget_and_idempotent(city: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    load_ballots_demo(out=out)  # nothing to set up yet: says so, fails nothing
    assert "kein Demo-Bürgerhaushalt" in out.getvalue()
    monkeypatch.setattr(participation_demo, "SCALE", 0.1)
    load_accounts_demo(out=io.StringIO())
    participation_demo.load_demo(out=io.StringIO())
    for _run in range(2):
        load_ballots_demo(out=io.StringIO())
    ballot = Ballot.objects.get(phase__process__slug=DEMO_PROCESS)
    assert (ballot.kind, ballot.budget) == (Ballot.Kind.BUDGET, DEMO_BUDGET)
    assert ballot.phase.is_active()  # residents can vote in the demo


def test_demo_proposals_have_unique_titles(city: Any) -> None:
    """Issue 13: the demo ballot listed the same title twice with different prices."""
    from konzeptk.participation.models import Idea

    load_accounts_demo(out=io.StringIO())
    participation_demo.load_demo(out=io.StringIO())
    load_ballots_demo(out=io.StringIO())
    for slug in ("buergerhaushalt-uerdingen", "smartkrefeld", "platz-fuer-deine-visionen"):
        titles = list(Idea.objects.filter(process__slug=slug).values_list("title", flat=True))
        assert titles, slug
        assert len(titles) == len(set(titles)), slug
    proposals = Idea.objects.filter(process__slug=DEMO_PROCESS, cost__isnull=False)
    assert proposals.count() >= 20  # still a real choice
