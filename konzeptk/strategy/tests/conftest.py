from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.models import Membership, Organisation, User
from konzeptk.accounts.tests.factories import OrganisationFactory
from konzeptk.city.models import District
from konzeptk.city.tests.factories import box, make_city
from konzeptk.strategy.models import FieldOfAction, Goal, Indicator, Project, Revision
from konzeptk.strategy.tests.factories import (
    CrossCuttingThemeFactory,
    FieldOfActionFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
    MeasureFactory,
    ProjectFactory,
    ProjectLinkFactory,
    RevisionFactory,
    StrategyFactory,
    SubTopicFactory,
)

SQUARE = box(6.5, 51.3, 6.7, 51.4)


@pytest.fixture
def orgs(db: Any) -> dict[str, Organisation]:
    return {
        "core": OrganisationFactory(slug="kernteam", name="Kernteam", short_name="", is_core_team=True),
        "swk": OrganisationFactory(slug="swk", name="Stadtwerke", short_name="SWK"),
        "vhs": OrganisationFactory(slug="vhs", name="Volkshochschule", short_name="VHS"),
    }


def _user(email: str, **extra: Any) -> User:
    return User.objects.create_user(
        email=email, password="x-secret-123", display_name=email.split("@")[0], **extra
    )


@pytest.fixture
def people(orgs: dict[str, Organisation]) -> dict[str, User | None]:
    core = _user("kern@example.org")
    Membership.objects.create(user=core, organisation=orgs["core"], role="member")
    swk_editor = _user("swk@example.org", platform_role="staff")
    Membership.objects.create(user=swk_editor, organisation=orgs["swk"], role="editor")
    swk_member = _user("swk-mitglied@example.org")
    Membership.objects.create(user=swk_member, organisation=orgs["swk"], role="member")
    vhs_admin = _user("vhs@example.org")
    Membership.objects.create(user=vhs_admin, organisation=orgs["vhs"], role="admin")
    return {
        "anonymous": None,
        "resident": _user("bewohnerin@example.org"),
        "swk_member": swk_member,
        "swk_editor": swk_editor,
        "vhs_admin": vhs_admin,
        "core": core,
        "platform_admin": _user("admin@example.org", platform_role="administrator"),
    }


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def district(db: Any) -> District:
    """The one district (Mitte) of a small square test city."""
    _city, (mitte,) = make_city(
        slug="teststadt", boundary=SQUARE, center=(51.35, 6.6), districts=[("1", "Mitte", SQUARE)]
    )
    return mitte


@pytest.fixture
def revision(db: Any) -> Revision:
    rev = RevisionFactory(
        strategy=StrategyFactory(slug="smart-city", name="Smart-City-Strategie"),
        version=1,
        title="Für alle",
        motto="lebenswert",
        date=dt.date(2023, 9, 1),
        status=Revision.Status.ADOPTED,
    )
    mob = FieldOfActionFactory(revision=rev, title="Mobilität", position=1)
    env = FieldOfActionFactory(revision=rev, title="Umwelt & Klima", position=2)
    SubTopicFactory(field=mob, title="Rad und Fuß")
    CrossCuttingThemeFactory(revision=rev, title="Urbanes Datenmanagement")
    goal = GoalFactory(field=env, title="Klimaneutral 2035", city_concept="KrefeldKlimaNeutral 2035")
    GoalFactory(field=mob, title="Umweltverbund stärken")
    MeasureFactory(goal=goal, title="Sensoren gegen Hitzeinseln")
    return rev


@pytest.fixture
def project(orgs: dict[str, Organisation], revision: Revision) -> Project:
    p = ProjectFactory(
        slug="sensoren",
        title="Umweltsensoren",
        summary="Wetterstationen an Laternen",
        lead=orgs["swk"],
        stage="pilot",
        published=True,
    )
    ProjectLinkFactory(
        project=p, kind="field", element=FieldOfAction.objects.get(revision=revision, title="Umwelt & Klima")
    )
    return p


@pytest.fixture
def indicator(revision: Revision) -> Indicator:
    goal = Goal.objects.get(revision=revision, title="Klimaneutral 2035")
    ind = IndicatorFactory(
        slug="co2",
        name="CO₂ je Einwohner:in",
        unit="t",
        direction="down",
        source="KrKN35",
        baseline_value=9,
        baseline_year=2017,
        goal_key=goal.key,
    )
    IndicatorTargetFactory(indicator=ind, value=2, year=2035)
    IndicatorValueFactory(indicator=ind, value=8, date=dt.date(2021, 1, 1))
    return ind
