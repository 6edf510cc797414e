"""Who may do what in the Mängelmelder (django-rules predicates)."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_platform_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_platform_staff)


@rules.predicate
def is_member_of_report_organisation(user: Any, report: Any) -> bool:
    if not (user and user.is_authenticated) or report is None or not report.organisation_id:
        return False
    return user.memberships.filter(organisation_id=report.organisation_id).exists()


@rules.predicate
def is_member_of_organisation(user: Any, organisation: Any) -> bool:
    if not (user and user.is_authenticated) or organisation is None:
        return False
    return user.memberships.filter(organisation_id=organisation.pk).exists()


@rules.predicate
def has_any_membership(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.memberships.exists())


# Opening the staff pages at all: platform staff and members of an organisation.
rules.add_perm("servicedesk.access_queue", is_platform_staff | has_any_membership)
# The queue of one organisation.
rules.add_perm("servicedesk.view_queue", is_platform_staff | is_member_of_organisation)
# Working on one report: publish, assign, status, notes, forward, merge.
rules.add_perm("servicedesk.work_report", is_platform_staff | is_member_of_report_organisation)
