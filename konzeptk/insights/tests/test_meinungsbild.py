"""Meinungsbild: voting one statement at a time, proposing and moderating statements, and the
recomputation that runs after votes – never inside the request that votes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from konzeptk.accounts.models import Membership
from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.insights import background, services
from konzeptk.insights.engine import opinion as engine_opinion
from konzeptk.insights.models import OpinionLandscape, Statement, StatementVote
from konzeptk.participation.tests.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phase() -> Any:
    phase = PhaseFactory(process=ProcessFactory(), type="meinungsbild")
    for i in range(8):
        Statement.objects.create(
            phase=phase, text=f"Aussage Nummer {i}", status=Statement.Status.APPROVED, is_seed=True
        )
    return phase


def _forbid_engine(monkeypatch: Any) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the engine ran on the request path of a vote")

    monkeypatch.setattr(engine_opinion, "opinion_groups", boom)  # services import it when computing


def test_a_vote_never_runs_the_engine_and_enqueues_after_commit(
    client: Any, phase: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _forbid_engine(monkeypatch)
    asked: list[int] = []
    monkeypatch.setattr(background, "enqueue", asked.append)
    user = UserFactory()
    client.force_login(user)
    statement = Statement.objects.filter(phase=phase).first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/auswertung/meinungsbild/{phase.pk}/", {"statement": statement.pk, "value": "1"}
        )
    assert response.status_code == 302
    assert StatementVote.objects.get(user=user, statement=statement).value == 1
    assert len(callbacks) == 1
    assert asked == [phase.pk]
    landscape = OpinionLandscape.objects.get(phase=phase)
    assert landscape.stale
    assert landscape.computed_at is None


def test_the_thread_mode_only_queues(phase: Any, settings: Any, monkeypatch: Any) -> None:
    settings.INSIGHTS_RECOMPUTE = "thread"
    started: list[bool] = []
    monkeypatch.setattr(background, "_ensure_thread", lambda: started.append(True))
    background.enqueue(phase.pk)
    assert started == [True]
    assert background._queue.get_nowait() == phase.pk
    settings.INSIGHTS_RECOMPUTE = "command"
    background.enqueue(phase.pk)
    assert background._queue.empty()


def _vote_many(phase: Any, n: int = 12) -> list[Any]:
    statements = list(Statement.objects.filter(phase=phase))
    people = [UserFactory() for _ in range(n)]
    votes = []
    for i, user in enumerate(people):
        side = 1 if i % 2 else -1
        for j, statement in enumerate(statements):
            votes.append(StatementVote(statement=statement, user=user, value=side if j % 2 else -side))
    StatementVote.objects.bulk_create(votes)
    return people


def test_background_run_computes_stale_phases_and_keeps_groups_stable(phase: Any) -> None:
    _vote_many(phase)
    services.landscape_mark_stale(phase=phase)
    assert services.opinion_landscapes_recompute_pending() == [phase.pk]
    landscape = OpinionLandscape.objects.get(phase=phase)
    assert landscape.status == OpinionLandscape.Status.OK
    assert not landscape.stale
    assert landscape.result["k"] == 2
    assert sum(landscape.result["group_sizes"]) == 12
    first = dict(landscape.labels)
    services.landscape_mark_stale(phase=phase)
    call_command("recompute_insights")
    landscape.refresh_from_db()
    assert landscape.labels == first
    assert not landscape.stale
    assert services.opinion_landscapes_recompute_pending() == []


def test_too_few_votes_give_a_message_not_an_error(phase: Any) -> None:
    user = UserFactory()
    StatementVote.objects.create(statement=Statement.objects.filter(phase=phase).first(), user=user, value=1)
    landscape = services.opinion_landscape_compute(phase=phase)
    assert landscape.status == OpinionLandscape.Status.TOO_FEW
    assert "Nur eine Person" in landscape.message


def test_results_page_shows_groups(client: Any, phase: Any, django_assert_max_num_queries: Any) -> None:
    _vote_many(phase, 14)
    services.opinion_landscape_compute(phase=phase)
    with django_assert_max_num_queries(12):
        response = client.get(f"/auswertung/meinungsbild/{phase.pk}/ergebnis/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gruppe A" in html
    assert "Gruppe B" in html
    assert "<svg" in html
    assert "<table" in html


def test_one_statement_at_a_time_until_all_are_done(
    client: Any, phase: Any, django_assert_max_num_queries: Any
) -> None:
    user = UserFactory()
    client.force_login(user)
    seen = []
    for _ in range(8):
        with django_assert_max_num_queries(14):
            page = client.get(f"/auswertung/meinungsbild/{phase.pk}/")
        current = page.context["current"]
        seen.append(current[0])
        client.post(f"/auswertung/meinungsbild/{phase.pk}/", {"statement": current[0], "value": "0"})
    assert len(set(seen)) == 8
    assert client.get(f"/auswertung/meinungsbild/{phase.pk}/").context["current"] is None
    assert StatementVote.objects.filter(user=user).count() == 8


@pytest.mark.parametrize(
    "data",
    [
        {"statement": "abc", "value": "1"},
        {"statement": "1", "value": "7"},
        {"value": "1"},
        {"statement": "99999", "value": "1"},
    ],
)
def test_bad_votes_get_a_message(client: Any, phase: Any, data: dict[str, str]) -> None:
    client.force_login(UserFactory())
    response = client.post(f"/auswertung/meinungsbild/{phase.pk}/", data, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    assert StatementVote.objects.count() == 0


def test_anonymous_and_pending_statements_cannot_be_voted_on(client: Any, phase: Any) -> None:
    statement = Statement.objects.filter(phase=phase).first()
    response = client.post(
        f"/auswertung/meinungsbild/{phase.pk}/", {"statement": statement.pk, "value": "1"}, follow=True
    )
    assert "Bitte melden Sie sich an" in response.content.decode()
    pending = Statement.objects.create(phase=phase, text="Noch nicht geprüft")
    client.force_login(UserFactory())
    response = client.post(
        f"/auswertung/meinungsbild/{phase.pk}/", {"statement": pending.pk, "value": "1"}, follow=True
    )
    assert "kann nicht abgestimmt werden" in response.content.decode()
    assert StatementVote.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kurz", "mindestens 5 Zeichen"),
        ("x" * 281, "höchstens 280 Zeichen"),
        ("Aussage Nummer 1", "gibt es schon"),
    ],
)
def test_statement_proposals_are_checked(client: Any, phase: Any, text: str, message: str) -> None:
    client.force_login(UserFactory())
    response = client.post(f"/auswertung/meinungsbild/{phase.pk}/aussage/", {"text": text}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_proposal_moderation_and_seeding(client: Any, phase: Any) -> None:
    author = UserFactory()
    client.force_login(author)
    client.post(f"/auswertung/meinungsbild/{phase.pk}/aussage/", {"text": "Mehr Bänke im Stadtwald"})
    statement = Statement.objects.get(text="Mehr Bänke im Stadtwald")
    assert statement.status == Statement.Status.PENDING
    assert statement.author == author
    moderator = MembershipFactory(organisation=phase.process.organiser, role=Membership.Role.MODERATOR).user
    client.force_login(moderator)
    page = client.get(f"/auswertung/meinungsbild/{phase.pk}/verwaltung/moderation/")
    assert "Mehr Bänke im Stadtwald" in page.content.decode()
    client.post(
        f"/auswertung/meinungsbild/{phase.pk}/verwaltung/moderation/",
        {"statement": statement.pk, "decision": "approve"},
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.APPROVED
    client.post(
        f"/auswertung/meinungsbild/{phase.pk}/verwaltung/moderation/", {"text": "Die Stadt gehört allen."}
    )
    seeded = Statement.objects.get(text="Die Stadt gehört allen.")
    assert seeded.is_seed
    assert seeded.status == Statement.Status.APPROVED
    response = client.post(
        f"/auswertung/meinungsbild/{phase.pk}/verwaltung/moderation/",
        {"statement": "x", "decision": "maybe"},
        follow=True,
    )
    assert response.status_code == 200


def test_moderators_are_told_once_per_batch_of_waiting_statements(
    client: Any, phase: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from konzeptk.notifications.models import Notification

    moderator = MembershipFactory(organisation=phase.process.organiser, role=Membership.Role.MODERATOR).user
    member = MembershipFactory(organisation=phase.process.organiser, role=Membership.Role.MEMBER).user
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/auswertung/meinungsbild/{phase.pk}/aussage/", {"text": "Mehr Bänke im Stadtwald"})
        client.post(f"/auswertung/meinungsbild/{phase.pk}/aussage/", {"text": "Mehr Licht am Bahnhof"})
    inbox = Notification.objects.filter(recipient=moderator)
    assert inbox.count() == 1  # one message for the batch, not one per statement
    note = inbox.get()
    assert note.url == f"/auswertung/meinungsbild/{phase.pk}/verwaltung/moderation/"
    assert "wartet eine neu eingereichte Aussage" in note.body
    assert not Notification.objects.filter(recipient=member).exists()
    assert [m.to for m in mailoutbox] == [[moderator.email]]
    client.force_login(moderator)
    page = client.get(f"/auswertung/meinungsbild/{phase.pk}/").content.decode()
    assert "(2 warten)" in page
    assert "2 Aussagen warten auf Prüfung" in client.get(note.url).content.decode()
    for statement in Statement.objects.filter(phase=phase, status=Statement.Status.PENDING):
        services.statement_moderate(statement=statement, by=moderator, approve=True)
    client.force_login(UserFactory())
    client.post(f"/auswertung/meinungsbild/{phase.pk}/aussage/", {"text": "Ein neuer Gedanke dazu"})
    assert inbox.count() == 2  # the queue was empty again: a new batch


def test_without_moderators_the_platform_staff_is_told(phase: Any) -> None:
    from konzeptk.accounts.models import User
    from konzeptk.notifications.models import Notification

    staff = UserFactory(platform_role=User.PlatformRole.STAFF)
    services.statement_submit(phase=phase, user=UserFactory(), text="Mehr Bänke im Stadtwald")
    assert Notification.objects.filter(recipient=staff).count() == 1
