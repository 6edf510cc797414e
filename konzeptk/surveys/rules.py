"""Who may answer, export and edit a questionnaire.

Answering follows the process: the phase that is active now must open ``answer`` on surveys (the
survey phase type, registered in apps.py), and a questionnaire tied to a phase only runs in that
phase. Organisers (editors, moderators, admins of the organiser) and platform staff export answers
and edit questionnaires. The django-rules permissions are thin wrappers around these functions.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from rules.permissions import add_perm
from rules.predicates import predicate

from konzeptk.participation.rules import _phase_denial, is_blocked, is_editor
from konzeptk.surveys.models import Survey

Person = AbstractBaseUser | AnonymousUser


def account_id(user: Person) -> int | None:
    """The id of a signed-in person's account, None without one."""
    return int(user.pk) if user.is_authenticated and user.pk is not None else None


def survey_denial(user: Person, survey: Survey, now: dt.datetime | None = None) -> str | None:
    """Why ``user`` may not answer ``survey`` now (the active phase must open ``answer`` on surveys;
    a survey tied to a phase only in that phase), or ``None``. Whether this person or browser has
    answered already is checked by the service."""
    now = now or timezone.now()
    process = survey.process
    phase_denial = _phase_denial(process, "answer", Survey, now)
    if phase_denial:
        return phase_denial
    active = process.active_phase(now)
    if survey.phase_id is not None and (active is None or active.pk != survey.phase_id):
        return _("Diese Umfrage läuft zurzeit nicht.")
    if not survey.questions.exists():
        return _("Dieser Fragebogen hat noch keine Fragen.")
    if not user.is_authenticated:
        if survey.allows_anonymous:
            return None
        return _("Bitte melden Sie sich an, um an dieser Umfrage teilzunehmen.")
    if is_blocked(user, process):
        return _("Sie sind für die Beteiligungsprozesse dieser Organisation gesperrt.")
    return None


def may_export_survey(user: Person, survey: Survey) -> bool:
    """Organisers (editors, moderators, admins of the organiser) and platform staff."""
    return is_editor(user, survey.process)


def may_edit_survey(user: Person, survey: Survey) -> bool:
    """Organisers (editors, moderators, admins of the organiser) and platform staff set up the
    questionnaires of their processes; what may still change once answers exist is decided by the
    services (``survey_is_locked``)."""
    return is_editor(user, survey.process)


def _may_answer(user: Person, survey: Survey) -> bool:
    return survey_denial(user, survey) is None


# django-rules is untyped: ``user.has_perm("surveys.answer_survey", survey)`` and so on
add_perm("surveys.answer_survey", predicate(_may_answer))  # type: ignore[no-untyped-call, unused-ignore]
add_perm("surveys.export_survey", predicate(may_export_survey))  # type: ignore[no-untyped-call, unused-ignore]
add_perm("surveys.change_survey", predicate(may_edit_survey))  # type: ignore[no-untyped-call, unused-ignore]
