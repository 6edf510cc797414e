"""Votes come in bursts: concurrent writers on PostgreSQL (SQLite serialises writers)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import time_machine
from django.db import connection

from konzeptk.accounts.models import Level, Verification
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.ballots import services
from konzeptk.ballots.models import Ballot, Vote
from konzeptk.ballots.phases import KEY
from konzeptk.participation.tests.conftest import NOW, phases_around
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _run(targets: list[Any]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(target: Any) -> None:
        try:
            with time_machine.travel(NOW, tick=False):
                target()
        except BaseException as exc:  # pragma: no cover – reported by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_votes_all_count_and_one_person_never_exceeds_the_votes(city: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    process = ProcessFactory(vote_level=Level.RESIDENT)
    phases_around(process, KEY)
    ballot = services.ballot_ensure(phase=process.phases.get())
    ballot.votes_per_person = 2
    ballot.save()
    ideas = [IdeaFactory(process=process).pk for _ in range(6)]
    voters = UserFactory.create_batch(8)
    for voter in voters:
        Verification.objects.create(user=voter, postcode="47798", resident_declared_at=NOW)
    same = voters[0]
    selections = [ideas[i : i + 2] for i in range(0, 6, 2)] * 3  # one person, three tabs, nine clicks

    def vote(user: Any, selection: list[int]) -> Any:
        return lambda: services.ballot_vote_set(
            ballot=Ballot.objects.get(pk=ballot.pk), user=user, idea_ids=selection
        )

    errors = _run([vote(same, s) for s in selections] + [vote(v, ideas[:2]) for v in voters[1:]])
    assert not errors, errors
    mine = sorted(Vote.objects.filter(ballot=ballot, user=same).values_list("idea_id", flat=True))
    assert mine in [sorted(s) for s in selections]  # one whole selection, never a mix of two
    assert Vote.objects.filter(ballot=ballot).exclude(user=same).count() == 2 * 7
