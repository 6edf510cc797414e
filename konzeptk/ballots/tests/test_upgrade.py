"""The move of Ballot and Vote (to ballots) and of Verification and CodeLetter (to accounts) keeps
every row: rows written with the models as they were before the move are found afterwards with the
new models, in the renamed tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from konzeptk.accounts.models import CodeLetter, Verification
from konzeptk.ballots.models import Ballot, Vote

pytestmark = pytest.mark.django_db(transaction=True)

#: the last migrations before the move
BEFORE = [
    ("participation", "0010_idea_image_index"),
    ("accounts", "0002_organisation_invitations"),
    ("ballots", None),
]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()  # back to today's schema for the tests that follow
    executor.migrate(executor.loader.graph.leaf_nodes())


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def test_moved_tables_keep_their_rows(executor: MigrationExecutor) -> None:
    # every migration that depends on the move is unapplied with it
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    old = executor.loader.project_state(BEFORE[:2]).apps
    assert {"participation_ballot", "participation_vote", "participation_verification"} <= _tables()

    user_model = old.get_model("accounts", "User")
    now = timezone.now()
    voter = user_model.objects.create(email="waehlerin@beispiel.invalid", password="!")
    staff = user_model.objects.create(email="buergerbuero@beispiel.invalid", password="!")
    organisation = old.get_model("accounts", "Organisation").objects.create(slug="stadt", name="Stadt")
    process = old.get_model("participation", "Process").objects.create(
        slug="bh", title="BH", organiser=organisation
    )
    phase = old.get_model("participation", "Phase").objects.create(
        process=process, type="ballot", start=now, end=now + dt.timedelta(days=1)
    )
    idea = old.get_model("participation", "Idea").objects.create(
        process=process, title="Bänke", text="Mehr Bänke"
    )
    ballot = old.get_model("participation", "Ballot").objects.create(phase=phase, kind="budget", budget=1000)
    vote = old.get_model("participation", "Vote").objects.create(ballot=ballot, user=voter, idea=idea)
    verification = old.get_model("participation", "Verification").objects.create(
        user=voter,
        postcode="47798",
        resident_declared_at=now,
        verified_at=now,
        method="letter",
        confirmed_by=staff,
    )
    letter = old.get_model("participation", "CodeLetter").objects.create(
        user=voter, code_hash="h" * 64, created_by=staff, expires_at=now
    )

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    tables = _tables()
    assert {"ballots_ballot", "ballots_vote", "accounts_verification", "accounts_codeletter"} <= tables
    assert not {"participation_ballot", "participation_vote", "participation_verification"} & tables
    moved_ballot = Ballot.objects.get(pk=ballot.pk)
    assert (moved_ballot.phase_id, moved_ballot.kind, moved_ballot.budget) == (phase.pk, "budget", 1000)
    assert Vote.objects.filter(pk=vote.pk, ballot=moved_ballot, user_id=voter.pk, idea_id=idea.pk).exists()
    moved = Verification.objects.get(pk=verification.pk)
    assert (moved.user_id, moved.postcode, moved.method, moved.confirmed_by_id) == (
        voter.pk,
        "47798",
        "letter",
        staff.pk,
    )
    assert CodeLetter.objects.get(pk=letter.pk).created_by_id == staff.pk
    # the keys still work: a new vote of the same person on the same idea is refused by the database
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(ballot=moved_ballot, user_id=voter.pk, idea_id=idea.pk)
