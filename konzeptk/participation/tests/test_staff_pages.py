"""Staff run a process end to end without the admin: create it from a blueprint, set levels, change
phases, set up the ballot, publish; refusals for others; bad input gives messages, not 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.models import Level, Membership
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.ballots.models import Ballot, Vote
from konzeptk.participation.models import Phase, Process
from konzeptk.participation.tests.conftest import phases_around
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory

pytestmark = pytest.mark.usefixtures("frozen")

XSS = "<script>alert(1)</script>"


def test_editor_creates_publishes_and_configures_a_process(client: Client, editor: Any, city: Any) -> None:
    client.force_login(editor)
    assert client.get("/beteiligung/verwaltung/").status_code == 200
    data = {
        "title": XSS + "Bürgerhaushalt Uerdingen",
        "slug": "buergerhaushalt-uerdingen",
        "organiser": editor.memberships.get().organisation_id,
        "teaser": "100.000 Euro",
        "topics": ["leben", "mobilitaet"],
        "districts": [city["east"].pk],
        "status": "draft",
        "idea_level": str(Level.EMAIL),
        "comment_level": str(Level.EMAIL),
        "support_level": str(Level.EMAIL),
        "vote_level": str(Level.VERIFIED),
        "blueprint": "budget",
        "start": "2025-05-01",
    }
    response = client.post("/beteiligung/verwaltung/neu/", {**data, "slug": "verifizierung"})
    assert response.status_code == 400
    assert "reserviert" in response.content.decode()
    response = client.post("/beteiligung/verwaltung/neu/", {**data, "organiser": OrganisationFactory().pk})
    assert response.status_code == 400  # not one of the editor's organisations
    response = client.post("/beteiligung/verwaltung/neu/", data)
    assert response.status_code == 302
    process = Process.objects.get(slug="buergerhaushalt-uerdingen")
    assert process.vote_level == Level.VERIFIED
    assert list(process.districts.all()) == [city["east"]]
    assert [p.type for p in process.phases.order_by("weight")] == [
        "idea_collection",
        "discussion",
        "ballot",
        "results",
    ]
    ballot_phase = process.phases.get(type="ballot")
    assert Ballot.objects.get(phase=ballot_phase).kind == "votes"  # the blueprint's ballot, 3 votes
    phases_url = f"/beteiligung/{process.slug}/phasen/"
    html = client.get(phases_url).content.decode()
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    # change the ballot phase, which creates its ballot, then configure a budget
    prefix = f"p{ballot_phase.pk}"
    response = client.post(
        phases_url,
        {
            "action": "change",
            "phase": ballot_phase.pk,
            f"{prefix}-type": "ballot",
            f"{prefix}-name": "Abstimmung über das Budget",
            f"{prefix}-start": "2025-06-26T00:00",
            f"{prefix}-end": "2025-06-20T00:00",
        },
    )
    assert response.status_code == 400  # end before start
    response = client.post(
        phases_url,
        {
            "action": "change",
            "phase": ballot_phase.pk,
            f"{prefix}-type": "ballot",
            f"{prefix}-name": "Abstimmung über das Budget",
            f"{prefix}-start": "2025-06-26T00:00",
            f"{prefix}-end": "2025-07-17T00:00",
        },
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get(phase=ballot_phase)
    response = client.post(
        phases_url,
        {"action": "settings", "phase": ballot_phase.pk, f"s{ballot_phase.pk}-kind": "budget"},
    )
    assert response.status_code == 400  # a budget ballot needs the budget
    response = client.post(
        phases_url,
        {
            "action": "settings",
            "phase": ballot_phase.pk,
            f"s{ballot_phase.pk}-kind": "budget",
            f"s{ballot_phase.pk}-votes_per_person": "3",
            f"s{ballot_phase.pk}-budget": "100000",
        },
    )
    assert response.status_code == 302
    ballot.refresh_from_db()
    assert (ballot.kind, ballot.budget) == ("budget", 100_000)
    # add and delete a survey phase
    response = client.post(
        phases_url,
        {
            "action": "add",
            "neu-type": "survey",
            "neu-start": "2025-08-01T00:00",
            "neu-end": "2025-08-30T00:00",
        },
    )
    assert response.status_code == 302
    survey_phase = process.phases.get(type="survey")
    client.post(phases_url, {"action": "delete", "phase": survey_phase.pk})
    assert not process.phases.filter(type="survey").exists()
    assert client.post(phases_url, {"action": "delete", "phase": 999999}).status_code == 404
    # publish
    edit_url = f"/beteiligung/{process.slug}/bearbeiten/"
    response = client.post(
        edit_url,
        {
            **{k: v for k, v in data.items() if k not in ("slug", "organiser", "blueprint", "start")},
            "title": "Bürgerhaushalt Uerdingen",
            "status": "published",
        },
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == Process.Status.PUBLISHED
    assert process.title == "Bürgerhaushalt Uerdingen"
    assert "Bürgerhaushalt Uerdingen" in client.get("/beteiligung/").content.decode()


def test_others_may_not_edit_and_votes_protect_the_ballot(client: Client, editor: Any, city: Any) -> None:
    process = ProcessFactory(organiser=editor.memberships.get().organisation)
    phases_around(process, "ballot")
    phase = Phase.objects.get(process=process)
    ballot = Ballot.objects.create(phase=phase)
    voter = UserFactory()
    Vote.objects.create(ballot=ballot, user=voter, idea=IdeaFactory(process=process))
    for outsider in (UserFactory(), MembershipFactory(role=Membership.Role.EDITOR).user):
        client.force_login(outsider)
        assert client.get(f"/beteiligung/{process.slug}/bearbeiten/").status_code == 403
        assert client.get(f"/beteiligung/{process.slug}/phasen/").status_code == 403
    client.force_login(UserFactory())
    assert client.get("/beteiligung/verwaltung/neu/").status_code == 403
    client.force_login(editor)
    url = f"/beteiligung/{process.slug}/phasen/"
    response = client.post(url, {"action": "delete", "phase": phase.pk})
    assert response.status_code == 403
    assert Phase.objects.filter(pk=phase.pk).exists()
    response = client.post(
        url,
        {
            "action": "settings",
            "phase": phase.pk,
            f"s{phase.pk}-kind": "votes",
            f"s{phase.pk}-votes_per_person": "9",
        },
    )
    assert response.status_code == 403
    ballot.refresh_from_db()
    assert ballot.votes_per_person == 3
    assert client.post(url, {"action": "quatsch"}).status_code == 400
    # a draft process without phases cannot be published
    empty = ProcessFactory(organiser=process.organiser, status=Process.Status.DRAFT)
    response = client.post(
        f"/beteiligung/{empty.slug}/bearbeiten/",
        {
            "title": "Leer",
            "status": "published",
            "idea_level": "1",
            "comment_level": "1",
            "support_level": "1",
            "vote_level": "2",
        },
    )
    assert response.status_code == 400
    assert "ohne Phasen" in response.content.decode()


def test_staff_list_query_count_is_constant(
    client: Client, editor: Any, city: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(editor)
    organisation = editor.memberships.get().organisation
    ProcessFactory.create_batch(3, organiser=organisation)
    client.get("/beteiligung/verwaltung/")
    with django_assert_max_num_queries(20) as few:
        client.get("/beteiligung/verwaltung/")
    ProcessFactory.create_batch(30, organiser=organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/beteiligung/verwaltung/").content.decode()
    assert "Seite 1 von 2" in html


def test_an_editor_of_one_organisation_finds_it_chosen(client: Client, editor: Any) -> None:
    client.force_login(editor)
    organisation = editor.memberships.get().organisation
    html = client.get("/beteiligung/verwaltung/neu/").content.decode()
    assert f'<option value="{organisation.pk}" selected>' in html
    MembershipFactory(user=editor, role=Membership.Role.EDITOR)  # a second organisation: no guess
    html = client.get("/beteiligung/verwaltung/neu/").content.decode()
    assert '<option value="" selected>' in html.split('name="organiser"')[1].split("</select>")[0]
