"""Who may do what with organisations: roles × actions as tables."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from konzeptk.accounts import rules as account_rules
from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

WHO = [
    "anonymous",
    "resident",
    "member",
    "editor",
    "moderator",
    "org_admin",
    "admin_elsewhere",
    "platform_staff",
    "platform_administrator",
    "deactivated_org_admin",
]


def make(who: str, organisation, elsewhere):
    if who == "anonymous":
        return AnonymousUser()
    if who == "platform_staff":
        return UserFactory(staff=True)
    if who == "platform_administrator":
        return UserFactory(administrator=True)
    user = UserFactory()
    roles = {"member": "member", "editor": "editor", "moderator": "moderator", "org_admin": "admin"}
    if who in roles:
        MembershipFactory(user=user, organisation=organisation, role=roles[who])
    elif who == "admin_elsewhere":
        MembershipFactory(user=user, organisation=elsewhere, role="admin")
    elif who == "deactivated_org_admin":
        MembershipFactory(user=user, organisation=organisation, role="admin")
        user.is_active = False
        user.save()
    return user


def table(allowed: set[str]):
    return [pytest.param(who, who in allowed, id=who) for who in WHO]


@pytest.fixture
def orgs():
    return OrganisationFactory(slug="swk"), OrganisationFactory(slug="vhs")


@pytest.mark.parametrize(
    ("who", "expected"),
    table({"member", "editor", "moderator", "org_admin", "platform_staff", "platform_administrator"}),
)
def test_view_members(orgs, who, expected):
    user = make(who, *orgs)
    assert user.has_perm("accounts.view_members", orgs[0]) is expected


@pytest.mark.parametrize(("who", "expected"), table({"org_admin", "platform_administrator"}))
def test_manage_members(orgs, who, expected):
    user = make(who, *orgs)
    assert user.has_perm("accounts.manage_members", orgs[0]) is expected


@pytest.mark.parametrize(("who", "expected"), table({"org_admin", "platform_administrator"}))
def test_change_organisation(orgs, who, expected):
    user = make(who, *orgs)
    assert user.has_perm("accounts.change_organisation", orgs[0]) is expected


@pytest.mark.parametrize(("who", "expected"), table({"platform_administrator"}))
def test_add_and_delete_organisation(orgs, who, expected):
    user = make(who, *orgs)
    assert user.has_perm("accounts.add_organisation") is expected
    assert user.has_perm("accounts.delete_organisation", orgs[0]) is expected


PREDICATES = {
    "is_org_member": {"member", "editor", "moderator", "org_admin"},
    "is_org_editor": {"editor", "org_admin"},
    "is_org_moderator": {"moderator", "org_admin"},
    "is_org_admin": {"org_admin"},
}


@pytest.mark.parametrize("predicate", PREDICATES)
@pytest.mark.parametrize("who", WHO)
def test_org_role_predicates(orgs, predicate, who):
    user = make(who, *orgs)
    assert getattr(account_rules, predicate).test(user, orgs[0]) is (who in PREDICATES[predicate])


@pytest.mark.parametrize(
    ("who", "staff", "administrator"),
    [
        ("anonymous", False, False),
        ("resident", False, False),
        ("org_admin", False, False),
        ("platform_staff", True, False),
        ("platform_administrator", True, True),
    ],
)
def test_platform_role_predicates(orgs, who, staff, administrator):
    user = make(who, *orgs)
    assert account_rules.is_platform_staff.test(user) is staff
    assert account_rules.is_administrator.test(user) is administrator


def test_core_team_membership_with_any_role():
    core = OrganisationFactory(is_core_team=True)
    other = OrganisationFactory()
    inside = MembershipFactory(organisation=core, role="member").user
    outside = MembershipFactory(organisation=other, role="admin").user
    assert account_rules.is_core_team_member.test(inside)
    assert not account_rules.is_core_team_member.test(outside)
    assert not account_rules.is_core_team_member.test(AnonymousUser())


def test_helpers_for_other_apps(orgs):
    editor = make("editor", *orgs)
    assert account_rules.has_org_role(editor, orgs[0])
    assert account_rules.has_org_role(editor, orgs[0].pk, "editor", "admin")
    assert not account_rules.has_org_role(editor, orgs[0], "admin")
    assert not account_rules.has_org_role(editor, None)

    class Project:
        def __init__(self, organisation):
            self.organisation = organisation

    is_project_editor = account_rules.org_role_predicate("editor", "admin", via=lambda p: p.organisation)
    assert is_project_editor.test(editor, Project(orgs[0]))
    assert not is_project_editor.test(editor, Project(orgs[1]))
    assert not is_project_editor.test(editor, None)


def test_memberships_are_read_once_per_user_object(orgs, django_assert_num_queries):
    user = User.objects.get(pk=make("editor", *orgs).pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            user.has_perm("accounts.manage_members", orgs[0])
            user.has_perm("accounts.view_members", orgs[1])
