"""Who may do what, as tables."""

from __future__ import annotations

import pytest

from konzeptk.strategy.models import Indicator, Project

PEOPLE = ["anonymous", "resident", "swk_member", "swk_editor", "vhs_admin", "core", "platform_admin"]


def _has(people, who, perm, obj=None):
    user = people[who]
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return user.has_perm(perm, obj)


@pytest.mark.parametrize(
    ("who", "edit_swk", "edit_vhs", "view_unpublished_swk", "edit_revision", "workspace"),
    [
        ("anonymous", False, False, False, False, False),
        ("resident", False, False, False, False, False),
        ("swk_member", False, False, False, False, False),
        ("swk_editor", True, False, True, False, True),
        ("vhs_admin", False, True, False, False, True),
        ("core", True, True, True, True, True),
        ("platform_admin", True, True, True, True, True),
    ],
)
def test_project_and_revision_permissions(
    people, orgs, who, edit_swk, edit_vhs, view_unpublished_swk, edit_revision, workspace
):
    swk = Project.objects.create(slug="a", title="A", summary="a", lead=orgs["swk"], published=False)
    vhs = Project.objects.create(slug="b", title="B", summary="b", lead=orgs["vhs"], published=True)
    assert _has(people, who, "strategy.edit_project", swk) is edit_swk
    assert _has(people, who, "strategy.edit_project", vhs) is edit_vhs
    assert _has(people, who, "strategy.view_project", swk) is view_unpublished_swk
    assert _has(people, who, "strategy.view_project", vhs) is True
    assert _has(people, who, "strategy.edit_revision") is edit_revision
    assert _has(people, who, "strategy.adopt_revision") is edit_revision
    assert _has(people, who, "strategy.use_workspace") is workspace


@pytest.mark.parametrize(
    ("who", "add_value", "edit_targets"),
    [
        ("anonymous", False, False),
        ("resident", False, False),
        ("swk_member", False, False),
        ("swk_editor", True, False),
        ("vhs_admin", False, False),
        ("core", True, True),
    ],
)
def test_indicator_permissions(people, orgs, who, add_value, edit_targets):
    swk = Project.objects.create(slug="a", title="A", summary="a", lead=orgs["swk"], published=True)
    ind = Indicator.objects.create(
        slug="i", name="I", unit="t", direction="down", source="s", baseline_value=1, baseline_year=2020
    )
    ind.projects.add(swk)
    assert _has(people, who, "strategy.add_indicator_value", ind) is add_value
    assert _has(people, who, "strategy.edit_indicator", ind) is edit_targets


def test_draft_revisions_hidden_from_public(people, revision):
    from konzeptk.strategy import services

    draft = services.revision_clone(source=revision, by=None)
    assert _has(people, "anonymous", "strategy.view_revision", draft) is False
    assert _has(people, "swk_editor", "strategy.view_revision", draft) is False
    assert _has(people, "core", "strategy.view_revision", draft) is True
    assert _has(people, "anonymous", "strategy.view_revision", revision) is True
