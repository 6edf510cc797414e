"""The ballot phase type plugs into participation: registry, blueprint, phase editor, process page,
API – and participation never names it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.models import Level, Verification
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.ballots import services
from konzeptk.ballots.models import Ballot, Vote
from konzeptk.ballots.phases import BALLOT, KEY
from konzeptk.participation import services as participation_services
from konzeptk.participation.models import Phase, Process
from konzeptk.participation.phases import BLUEPRINTS, registry
from konzeptk.participation.tests.conftest import NOW, phases_around
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory

pytestmark = pytest.mark.usefixtures("frozen")

PROJECT = Path(__file__).resolve().parents[2]


def test_the_phase_type_and_the_blueprint_are_registered_from_ready() -> None:
    assert registry.get(KEY) is BALLOT
    assert registry.keys_opening("vote") == [KEY]
    assert BALLOT.setup is not None
    assert BALLOT.pages is not None
    assert KEY in dict(BLUEPRINTS["budget"].steps)


def test_no_module_outside_ballots_names_the_phase_type() -> None:
    """Only ballots/phases.py says "ballot" as a phase type; the rest asks the registry."""
    pattern = re.compile(
        r"""type\s*(==|!=|=)\s*["']ballot["']|["']ballot["']\s*(==|!=|in\b)|\(["']ballot["'],\s*\d+\)"""
    )
    offenders = []
    for path in PROJECT.rglob("*.py"):
        relative = path.relative_to(PROJECT)
        if relative.parts[0] == "ballots" or "tests" in relative.parts or "migrations" in relative.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_a_budget_blueprint_gets_its_ballot_and_a_phase_with_votes_stays(editor: Any, city: Any) -> None:
    organiser = editor.memberships.get().organisation
    process = participation_services.process_create(
        organiser=organiser, title="Bürgerhaushalt", slug="bh", blueprint="budget", start=NOW, by=editor
    )
    phase = process.phases.get(type=KEY)
    ballot = Ballot.objects.get(phase=phase)
    assert (ballot.kind, ballot.votes_per_person) == (Ballot.Kind.VOTES, 3)
    # saving the phase again keeps the one ballot
    participation_services.phase_save(
        process=process, by=editor, phase=phase, type=KEY, start=phase.start, end=phase.end, name="Abstimmung"
    )
    assert Ballot.objects.filter(phase=phase).count() == 1
    Vote.objects.create(ballot=ballot, user=UserFactory(), idea=IdeaFactory(process=process))
    with pytest.raises(Exception, match="schon abgestimmt"):
        participation_services.phase_delete(phase=phase, by=editor)
    assert Phase.objects.filter(pk=phase.pk).exists()


def test_the_phase_editor_sets_up_the_ballot_through_the_phase_type(
    client: Client, editor: Any, city: Any
) -> None:
    process = ProcessFactory(organiser=editor.memberships.get().organisation)
    phases_around(process, "idea_collection", KEY)
    phase = process.phases.get(type=KEY)
    services.ballot_ensure(phase=phase)
    url = f"/beteiligung/{process.slug}/phasen/"
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert "Abstimmung dieser Phase" in html
    assert f'name="s{phase.pk}-kind"' in html
    for hostile in ({"kind": "lotterie"}, {"kind": "votes", "votes_per_person": "-1"}, {"kind": "budget"}):
        data = {
            "action": "settings",
            "phase": phase.pk,
            **{f"s{phase.pk}-{k}": v for k, v in hostile.items()},
        }
        assert client.post(url, data).status_code == 400
    other = process.phases.exclude(pk=phase.pk).get()
    assert client.post(url, {"action": "settings", "phase": other.pk}).status_code == 404  # has no settings
    response = client.post(
        url,
        {
            "action": "settings",
            "phase": phase.pk,
            f"s{phase.pk}-kind": "votes",
            f"s{phase.pk}-votes_per_person": "5",
        },
    )
    assert response.status_code == 302
    assert Ballot.objects.get(phase=phase).votes_per_person == 5


def test_process_page_links_to_the_ballot_only_when_there_is_one(client: Client, city: Any) -> None:
    process = ProcessFactory()
    phases_around(process, "idea_collection", KEY)
    link = f'href="/beteiligung/{process.slug}/abstimmung/"'
    assert link not in client.get(process.get_absolute_url()).content.decode()
    services.ballot_ensure(phase=process.phases.get(type=KEY))
    assert link in client.get(process.get_absolute_url()).content.decode()
    assert client.get(f"/beteiligung/{ProcessFactory().slug}/abstimmung/").status_code == 404
    assert client.get("/beteiligung/gibt-es-nicht/abstimmung/ergebnis/").status_code == 404


def test_api_result_after_the_end_in_the_api_format(
    client: Client, city: Any, frozen: Any, django_assert_max_num_queries: Any
) -> None:
    process = ProcessFactory(status=Process.Status.PUBLISHED, vote_level=Level.RESIDENT)
    phases_around(process, KEY)
    ballot = services.ballot_ensure(phase=process.phases.get())
    ideas = [IdeaFactory(process=process, title=f"Vorschlag {n}") for n in range(3)]
    url = f"/api/v1/participation/processes/{process.slug}/ballot"
    response = client.get(url)
    assert response.status_code == 409
    assert response.json()["code"] == "ballot_running"
    for n in range(4):
        voter = UserFactory()
        Verification.objects.create(user=voter, postcode="47798", resident_declared_at=NOW)
        services.ballot_vote_set(
            ballot=ballot, user=voter, idea_ids=[ideas[0].pk] + ([ideas[2].pk] if n % 2 else [])
        )
    frozen.move_to(NOW + dt.timedelta(days=30))
    with django_assert_max_num_queries(8):
        body = client.get(url).json()
    assert [(row["idea"], row["votes"]) for row in body["items"]] == [
        (ideas[0].pk, 4),
        (ideas[2].pk, 2),
        (ideas[1].pk, 0),
    ]
    assert client.get("/api/v1/participation/processes/nix/ballot").json()["code"] == "process_not_found"
    assert client.get(f"/api/v1/participation/processes/{ProcessFactory().slug}/ballot").status_code == 404
    assert client.get(url + "?limit=-1").status_code == 400
