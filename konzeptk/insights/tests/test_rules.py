"""Who may see and do what in insights, as tables (django-rules permissions and the pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from konzeptk.accounts.models import Membership, User
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.participation.models import Block, Process
from konzeptk.participation.tests.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    organiser = OrganisationFactory()
    other = OrganisationFactory()
    core = OrganisationFactory(is_core_team=True)
    process = ProcessFactory(organiser=organiser)
    draft = ProcessFactory(organiser=organiser, status=Process.Status.DRAFT)
    phase = PhaseFactory(process=process, type="meinungsbild")
    people = {
        "anonymous": AnonymousUser(),
        "resident": UserFactory(),
        "unverified": UserFactory(email_verified=False),
        "blocked": UserFactory(),
        "editor": MembershipFactory(organisation=organiser, role=Membership.Role.EDITOR).user,
        "moderator": MembershipFactory(organisation=organiser, role=Membership.Role.MODERATOR).user,
        "other_org_admin": MembershipFactory(organisation=other, role=Membership.Role.ADMIN).user,
        "core_team": MembershipFactory(organisation=core, role=Membership.Role.MEMBER).user,
        "platform_staff": UserFactory(platform_role=User.PlatformRole.STAFF),
    }
    Block.objects.create(user=people["blocked"], organisation=organiser, reason="Wiederholt beleidigend.")
    return {"process": process, "draft": draft, "phase": phase, **people}


# person: (monitor of process, monitor of platform, see draft, opine, moderate statements)
TABLE = {
    "anonymous": (False, False, False, False, False),
    "resident": (False, False, False, True, False),
    "unverified": (False, False, False, False, False),
    "blocked": (False, False, False, False, False),
    "editor": (True, False, True, True, False),
    "moderator": (True, False, True, True, True),
    "other_org_admin": (False, False, False, True, False),
    "core_team": (True, True, True, True, False),
    "platform_staff": (True, True, True, True, True),
}


@pytest.mark.parametrize("who", list(TABLE))
def test_permission_table(world: dict[str, Any], who: str) -> None:
    user = world[who]
    expected = TABLE[who]
    got = (
        user.has_perm("insights.view_monitor", world["process"]),
        user.has_perm("insights.view_monitor", None),
        user.has_perm("insights.view_public", world["draft"]),
        user.has_perm("insights.opine", world["phase"]),
        user.has_perm("insights.moderate_statements", world["phase"]),
    )
    assert got == expected


def test_opine_closed_before_and_after_the_phase(world: dict[str, Any]) -> None:
    from konzeptk.insights.rules import opine_denial

    phase = world["phase"]
    resident = world["resident"]
    assert (
        opine_denial(resident, phase, now=phase.start - dt.timedelta(minutes=1))
        == "Das Meinungsbild hat noch nicht begonnen."
    )
    assert "beendet" in (opine_denial(resident, phase, now=phase.end + dt.timedelta(minutes=1)) or "")
    not_landscape = PhaseFactory(
        process=world["process"],
        type="idea_collection",
        start=timezone.now() - dt.timedelta(days=50),
        end=timezone.now() - dt.timedelta(days=40),
    )
    assert opine_denial(resident, not_landscape) == "Diese Phase ist kein Meinungsbild."


def test_outreach_suggestions_only_for_staff(client: Any, world: dict[str, Any], krefeld: None) -> None:
    url = f"/auswertung/prozess/{world['process'].slug}/"
    assert "Wer fehlt, und was hilft?" not in client.get(url).content.decode()
    client.force_login(world["editor"])
    assert "Wer fehlt, und was hilft?" in client.get(url).content.decode()
    client.force_login(world["other_org_admin"])
    assert "Wer fehlt, und was hilft?" not in client.get(url).content.decode()


def test_draft_process_pages_are_hidden(client: Any, world: dict[str, Any]) -> None:
    slug = world["draft"].slug
    for path in (
        f"/auswertung/prozess/{slug}/",
        f"/auswertung/prozess/{slug}/gewichtet/",
        f"/auswertung/prozess/{slug}/zusammenhalt/",
    ):
        assert client.get(path).status_code == 404
    draft_phase = PhaseFactory(process=world["draft"], type="meinungsbild")
    assert client.get(f"/auswertung/meinungsbild/{draft_phase.pk}/").status_code == 404
    assert client.get(f"/auswertung/meinungsbild/{draft_phase.pk}/ergebnis/").status_code == 404
    client.force_login(world["editor"])
    assert client.get(f"/auswertung/prozess/{slug}/").status_code == 200


def test_moderation_page_needs_the_moderator(client: Any, world: dict[str, Any]) -> None:
    url = f"/auswertung/meinungsbild/{world['phase'].pk}/verwaltung/moderation/"
    assert client.get(url).status_code == 302  # to the login
    client.force_login(world["resident"])
    assert client.get(url).status_code == 403
    client.force_login(world["moderator"])
    assert client.get(url).status_code == 200


def test_unknown_ids_are_404_not_500(client: Any, db: None) -> None:
    assert client.get("/auswertung/meinungsbild/999999/").status_code == 404
    assert client.get("/auswertung/meinungsbild/999999/ergebnis/").status_code == 404
    assert client.get("/auswertung/prozess/gibt-es-nicht/").status_code == 404
