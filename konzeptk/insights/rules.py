"""Who may see and do what in insights.

* The **representation monitor, weighted results and cohesion report** of a process with names of
  under-represented groups and outreach suggestions are for the organiser's staff (editors,
  moderators, admins), the Smart City core team and platform staff. The platform-wide monitor is
  for the core team and platform staff. A public version shows the same suppressed aggregates
  without the working notes.
* The **opinion landscape** of a public process is public (aggregates, groups of fewer than five
  people are not described).
* Voting on statements and proposing statements (action ``opine``) needs a running
  "Meinungsbild" phase, an account with a confirmed e-mail address and no block by the organiser.
* Statements are moderated by the organiser's moderators and platform staff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Level, Membership
from konzeptk.accounts.verification.levels import user_level
from konzeptk.insights.models import Statement
from konzeptk.participation import rules as participation_rules
from konzeptk.participation.models import Phase, Process


def is_core_team(user: Any) -> bool:
    """Platform staff or a member of an organisation marked as the Smart City core team."""
    if not user.is_authenticated:
        return False
    if user.is_platform_staff:
        return True
    if "_insights_core_team" not in user.__dict__:
        user.__dict__["_insights_core_team"] = Membership.objects.filter(
            user=user, organisation__is_core_team=True
        ).exists()
    return bool(user.__dict__["_insights_core_team"])


def may_view_monitor(user: Any, process: Process | None) -> bool:
    """Staff view of a process (or, with ``None``, of the whole platform)."""
    if process is None:
        return is_core_team(user)
    return is_core_team(user) or participation_rules.is_editor(user, process)


def may_view_public(user: Any, process: Process) -> bool:
    return process.is_public or may_view_monitor(user, process)


def opine_denial(user: Any, phase: Phase, now: dt.datetime | None = None) -> str | None:
    """Why ``user`` may not vote on or propose statements in ``phase`` now, or ``None``."""
    now = now or timezone.now()
    process = phase.process
    if process.status != Process.Status.PUBLISHED:
        return _("Dieser Beteiligungsprozess ist nicht geöffnet.")
    if not phase.phase_type.has_feature("opine", Statement):
        return _("Diese Phase ist kein Meinungsbild.")
    if not phase.is_active(now):
        if now < phase.start:
            return _("Das Meinungsbild hat noch nicht begonnen.")
        return _("Das Meinungsbild ist beendet. Sie können sich die Ergebnisse ansehen.")
    if not user.is_authenticated:
        return _("Bitte melden Sie sich an, um mitzumachen.")
    if participation_rules.is_blocked(user, process):
        return _("Sie sind für die Beteiligungsprozesse dieser Organisation gesperrt.")
    if user_level(user) < Level.EMAIL:
        return _("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse.")
    return None


def may_moderate_statements(user: Any, phase: Phase) -> bool:
    return participation_rules.is_moderator(user, phase.process)


rules.add_perm(
    "insights.view_monitor", rules.predicate(lambda user, process=None: may_view_monitor(user, process))
)
rules.add_perm("insights.view_public", rules.predicate(may_view_public))
rules.add_perm("insights.opine", rules.predicate(lambda user, phase: opine_denial(user, phase) is None))
rules.add_perm("insights.moderate_statements", rules.predicate(may_moderate_statements))
rules.add_perm("insights.edit_profile", rules.is_authenticated)
