from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.models import Membership, Organisation, User
from konzeptk.city.models import CityProfile, District, DistrictLayer
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Project,
    ProjectLink,
    Revision,
    Strategy,
    SubTopic,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[6.5, 51.3], [6.7, 51.3], [6.7, 51.4], [6.5, 51.4], [6.5, 51.3]]],
}


@pytest.fixture
def orgs(db: Any) -> dict[str, Organisation]:
    return {
        "core": Organisation.objects.create(slug="kernteam", name="Kernteam", is_core_team=True),
        "swk": Organisation.objects.create(slug="swk", name="Stadtwerke", short_name="SWK"),
        "vhs": Organisation.objects.create(slug="vhs", name="Volkshochschule", short_name="VHS"),
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
    profile = CityProfile.objects.create(
        slug="teststadt", name="Teststadt", boundary=SQUARE, center_lat=51.35, center_lon=6.6
    )
    layer = DistrictLayer.objects.create(
        profile=profile, slug="bezirke", name="Stadtbezirke", kind=DistrictLayer.Kind.ADMINISTRATIVE
    )
    return District.objects.create(layer=layer, code="1", name="Mitte", geometry=SQUARE)


@pytest.fixture
def revision(db: Any) -> Revision:
    strategy = Strategy.objects.create(slug="smart-city", name="Smart-City-Strategie")
    rev = Revision.objects.create(
        strategy=strategy,
        version=1,
        title="Für alle",
        motto="lebenswert",
        date=dt.date(2023, 9, 1),
        status=Revision.Status.ADOPTED,
    )
    mob = FieldOfAction.objects.create(revision=rev, title="Mobilität", position=1)
    env = FieldOfAction.objects.create(revision=rev, title="Umwelt & Klima", position=2)
    SubTopic.objects.create(revision=rev, field=mob, title="Rad und Fuß")
    CrossCuttingTheme.objects.create(revision=rev, title="Urbanes Datenmanagement")
    goal = Goal.objects.create(
        revision=rev, field=env, title="Klimaneutral 2035", city_concept="KrefeldKlimaNeutral 2035"
    )
    Goal.objects.create(revision=rev, field=mob, title="Umweltverbund stärken")
    Measure.objects.create(revision=rev, goal=goal, title="Sensoren gegen Hitzeinseln")
    return rev


@pytest.fixture
def project(orgs: dict[str, Organisation], revision: Revision) -> Project:
    p = Project.objects.create(
        slug="sensoren",
        title="Umweltsensoren",
        summary="Wetterstationen an Laternen",
        lead=orgs["swk"],
        stage="pilot",
        published=True,
    )
    field = FieldOfAction.objects.get(revision=revision, title="Umwelt & Klima")
    ProjectLink.objects.create(project=p, kind="field", key=field.key)
    return p


@pytest.fixture
def indicator(revision: Revision) -> Indicator:
    goal = Goal.objects.get(revision=revision, title="Klimaneutral 2035")
    ind = Indicator.objects.create(
        slug="co2",
        name="CO₂ je Einwohner:in",
        unit="t",
        direction="down",
        source="KrKN35",
        baseline_value=9,
        baseline_year=2017,
        goal_key=goal.key,
    )
    IndicatorTarget.objects.create(indicator=ind, value=2, year=2035)
    IndicatorValue.objects.create(indicator=ind, value=8, date=dt.date(2021, 1, 1))
    return ind
