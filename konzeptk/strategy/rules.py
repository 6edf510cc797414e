"""Who may do what in the strategy.

- The public sees published projects and indicators and every adopted or superseded revision.
- The core team (members of an organisation marked ``is_core_team`` and platform administrators)
  drafts, edits and adopts revisions and edits every project and indicator.
- Editors and admins of an organisation edit the projects their organisation leads and add values
  to indicators of those projects. Platform staff of a partner organisation is not core team.
"""

from __future__ import annotations

from typing import Any

import rules

from konzeptk.accounts.models import Membership

EDITOR_ROLES = (Membership.Role.EDITOR, Membership.Role.ADMIN)


def _cached(user: Any, name: str, compute: Any) -> Any:
    cache = getattr(user, "_strategy_rule_cache", None)
    if cache is None:
        cache = {}
        user._strategy_rule_cache = cache
    if name not in cache:
        cache[name] = compute()
    return cache[name]


@rules.predicate
def is_core_team(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.platform_role == "administrator":
        return True
    return bool(
        _cached(
            user,
            "core",
            lambda: Membership.objects.filter(user=user, organisation__is_core_team=True).exists(),
        )
    )


def editor_organisation_ids(user: Any) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return _cached(
        user,
        "editor_orgs",
        lambda: frozenset(
            Membership.objects.filter(user=user, role__in=EDITOR_ROLES).values_list(
                "organisation_id", flat=True
            )
        ),
    )


@rules.predicate
def is_any_editor(user: Any) -> bool:
    return bool(editor_organisation_ids(user))


@rules.predicate
def is_editor_of_lead(user: Any, project: Any) -> bool:
    return project is not None and project.lead_id in editor_organisation_ids(user)


@rules.predicate
def is_published(user: Any, obj: Any) -> bool:
    return obj is not None and bool(obj.published)


@rules.predicate
def is_editor_of_indicator_project(user: Any, indicator: Any) -> bool:
    orgs = editor_organisation_ids(user)
    if indicator is None or not orgs:
        return False
    return bool(indicator.projects.filter(lead_id__in=orgs).exists())


@rules.predicate
def revision_is_public(user: Any, revision: Any) -> bool:
    return revision is not None and revision.status != "draft"


can_edit_project = is_core_team | is_editor_of_lead
can_add_indicator_value = is_core_team | is_editor_of_indicator_project

rules.add_perm("strategy.use_workspace", is_core_team | is_any_editor)
rules.add_perm("strategy.edit_revision", is_core_team)
rules.add_perm("strategy.adopt_revision", is_core_team)
rules.add_perm("strategy.view_revision", revision_is_public | is_core_team)
rules.add_perm("strategy.create_project", is_core_team | is_any_editor)
rules.add_perm("strategy.edit_project", can_edit_project)
rules.add_perm("strategy.view_project", is_published | can_edit_project)
rules.add_perm("strategy.add_indicator_value", can_add_indicator_value)
rules.add_perm("strategy.edit_indicator", is_core_team)
rules.add_perm("strategy.view_indicator", is_published | is_core_team)
