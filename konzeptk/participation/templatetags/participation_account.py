"""The participation part of the account page: verification; for staff the
Bürgerbüro and their processes."""

from __future__ import annotations

from typing import Any

from django import template

from konzeptk.accounts.verification.levels import level_label, user_level
from konzeptk.participation import rules

register = template.Library()


@register.inclusion_tag("participation/_account_links.html", takes_context=True)
def participation_account_links(context: Any) -> dict[str, Any]:
    from konzeptk.accounts.models import Membership

    user = context["request"].user
    runs_processes = (
        bool(user.is_platform_staff)
        or Membership.objects.filter(user=user, role__in=rules.EDITOR_ROLES).exists()
    )
    return {
        "level_label": level_label(user_level(user)),
        "runs_processes": runs_processes,
        "verifies_residents": rules.may_verify_residents(user),
    }
