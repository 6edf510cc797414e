"""Who may do what, decided by the active phase, verification level and role (frozen time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from konzeptk.accounts.models import Level, Membership, Verification
from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.participation import rules
from konzeptk.participation.models import Block, Process
from konzeptk.participation.tests.conftest import NOW
from konzeptk.participation.tests.factories import CommentFactory, IdeaFactory, PhaseFactory, ProcessFactory

D = dt.timedelta(days=1)
# information -> idea collection -> prioritisation -> ballot -> results, 10 days each
SCHEDULE = [
    ("information", -20),
    ("idea_collection", -10),
    ("prioritisation", 0),
    ("ballot", 10),
    ("results", 20),
]
MOMENT = {
    "before": NOW - 25 * D,
    "information": NOW - 15 * D,
    "idea_collection": NOW - 5 * D,
    "prioritisation": NOW + 5 * D,
    "ballot": NOW + 15 * D,
    "results": NOW + 25 * D,
    "after": NOW + 40 * D,
}


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    process = ProcessFactory(vote_level=Level.RESIDENT)
    for weight, (key, offset) in enumerate(SCHEDULE):
        PhaseFactory(
            process=process, type=key, start=NOW + offset * D, end=NOW + (offset + 10) * D, weight=weight
        )
    author = UserFactory()
    idea = IdeaFactory(process=process, author=author)
    comment = CommentFactory(idea=idea, author=author)
    resident = UserFactory()
    Verification.objects.create(user=resident, postcode="47798", resident_declared_at=NOW - 100 * D)
    blocked = UserFactory()
    Block.objects.create(user=blocked, organisation=process.organiser, reason="wiederholt beleidigend")
    moderator = MembershipFactory(organisation=process.organiser, role=Membership.Role.MODERATOR).user
    return {
        "process": process,
        "idea": idea,
        "comment": comment,
        "people": {
            "anonymous": AnonymousUser(),
            "unconfirmed": UserFactory(email_verified=False),
            "person": UserFactory(),
            "resident": resident,
            "author": author,
            "blocked": blocked,
            "moderator": moderator,
        },
    }


# (moment, who, action, target, allowed)
TABLE = [
    # propose ideas: only in the idea collection, only with confirmed e-mail, not blocked
    ("before", "person", "add_idea", "process", False),
    ("information", "person", "add_idea", "process", False),
    ("idea_collection", "person", "add_idea", "process", True),
    ("idea_collection", "anonymous", "add_idea", "process", False),
    ("idea_collection", "unconfirmed", "add_idea", "process", False),
    ("idea_collection", "blocked", "add_idea", "process", False),
    ("prioritisation", "person", "add_idea", "process", False),
    ("after", "person", "add_idea", "process", False),
    # change an idea: the author, while ideas are collected
    ("idea_collection", "author", "change_idea", "idea", True),
    ("idea_collection", "person", "change_idea", "idea", False),
    ("idea_collection", "moderator", "change_idea", "idea", False),
    ("prioritisation", "author", "change_idea", "idea", False),
    # comments and replies: idea collection and prioritisation
    ("information", "person", "comment", "idea", False),
    ("idea_collection", "person", "comment", "idea", True),
    ("prioritisation", "person", "comment", "idea", True),
    ("prioritisation", "person", "reply", "comment", True),
    ("prioritisation", "anonymous", "comment", "idea", False),
    ("ballot", "person", "comment", "idea", False),
    ("idea_collection", "author", "change_comment", "comment", True),
    ("idea_collection", "person", "change_comment", "comment", False),
    ("results", "author", "change_comment", "comment", False),
    # supports: idea collection and prioritisation
    ("idea_collection", "person", "support", "idea", True),
    ("prioritisation", "person", "support", "idea", True),
    ("prioritisation", "unconfirmed", "support", "idea", False),
    ("prioritisation", "blocked", "support", "idea", False),
    ("ballot", "person", "support", "idea", False),
    ("results", "person", "support", "idea", False),
    # ballot: residents only (vote_level = RESIDENT)
    ("ballot", "resident", "vote", "idea", True),
    ("ballot", "person", "vote", "idea", False),
    ("ballot", "anonymous", "vote", "idea", False),
    ("prioritisation", "resident", "vote", "idea", False),
    ("results", "resident", "vote", "idea", False),
]


@pytest.mark.parametrize(("moment", "who", "action", "target", "allowed"), TABLE)
def test_who_may_do_what(
    world: dict[str, Any], moment: str, who: str, action: str, target: str, allowed: bool
) -> None:
    with time_machine.travel(MOMENT[moment], tick=False):
        user = world["people"][who]
        obj = world[target]
        # fresh objects: no cached active phase from another moment
        obj.refresh_from_db() if hasattr(obj, "refresh_from_db") else None
        reason = rules.denial(user, action, obj)
        assert (reason is None) == allowed, reason
        if not allowed:
            assert isinstance(reason, str)
            assert reason


def test_django_rules_permissions_ask_the_active_phase(world: dict[str, Any]) -> None:
    person = world["people"]["person"]
    with time_machine.travel(MOMENT["idea_collection"], tick=False):
        process = Process.objects.get(pk=world["process"].pk)
        assert person.has_perm("participation.add_idea", process)
    with time_machine.travel(MOMENT["ballot"], tick=False):
        process = Process.objects.get(pk=world["process"].pk)
        assert not person.has_perm("participation.add_idea", process)


def test_draft_process_opens_nothing(world: dict[str, Any]) -> None:
    Process.objects.filter(pk=world["process"].pk).update(status=Process.Status.DRAFT)
    with time_machine.travel(MOMENT["idea_collection"], tick=False):
        process = Process.objects.get(pk=world["process"].pk)
        assert "nicht geöffnet" in (rules.denial(world["people"]["person"], "add_idea", process) or "")


def test_hidden_idea_opens_nothing(world: dict[str, Any]) -> None:
    idea = world["idea"]
    idea.is_hidden = True
    idea.save()
    with time_machine.travel(MOMENT["idea_collection"], tick=False):
        assert (
            rules.denial(world["people"]["person"], "support", idea) == "Diese Idee ist nicht mehr sichtbar."
        )


def test_roles(world: dict[str, Any]) -> None:
    process = world["process"]
    people = world["people"]
    assert rules.is_moderator(people["moderator"], process)
    assert not rules.is_moderator(people["person"], process)
    assert not rules.is_moderator(people["anonymous"], process)
    editor = MembershipFactory(organisation=process.organiser, role=Membership.Role.EDITOR).user
    assert rules.is_editor(editor, process)
    assert not rules.is_moderator(editor, process)
    assert rules.is_moderator(UserFactory(staff=True), process)


def test_levels(world: dict[str, Any]) -> None:
    people = world["people"]
    assert rules.user_level(people["anonymous"]) == -1
    assert rules.user_level(people["unconfirmed"]) == Level.ACCOUNT
    assert rules.user_level(people["person"]) == Level.EMAIL
    assert rules.user_level(people["resident"]) == Level.RESIDENT
