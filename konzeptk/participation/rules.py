"""Who may do what in a participation process.

What a person may do is decided by the phase that is active now (the registry in phases.py says
which actions it opens on which content), by the level of verification the process asks for, and by
the person's role in the organiser organisation. ``denial(user, action, target)`` returns the reason
in words (shown to the person) or ``None``; the django-rules permissions are thin wrappers around it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Membership
from konzeptk.participation.models import Block, Comment, Idea, Level, Process, Survey, Verification

MODERATOR_ROLES = (Membership.Role.MODERATOR, Membership.Role.ADMIN)
EDITOR_ROLES = (Membership.Role.EDITOR, Membership.Role.MODERATOR, Membership.Role.ADMIN)


def _role_in(user: Any, organisation_id: int) -> str | None:
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_participation_roles", {})
    if organisation_id not in cache:
        cache[organisation_id] = (
            Membership.objects.filter(user=user, organisation_id=organisation_id)
            .values_list("role", flat=True)
            .first()
        )
    role: str | None = cache[organisation_id]
    return role


def is_moderator(user: Any, process: Process) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_platform_staff) or _role_in(user, process.organiser_id) in MODERATOR_ROLES


def is_editor(user: Any, process: Process) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_platform_staff) or _role_in(user, process.organiser_id) in EDITOR_ROLES


def user_level(user: Any) -> int:
    """The verification level a person has reached (cached on the user object)."""
    if not user.is_authenticated:
        return -1
    if "_participation_level" not in user.__dict__:
        level = Level.ACCOUNT
        if EmailAddress.objects.filter(user=user, verified=True).exists():
            level = Level.EMAIL
        verification = Verification.objects.filter(user=user).first()
        if verification is not None and level >= Level.EMAIL:
            if verification.verified_at:
                level = Level.VERIFIED
            elif verification.resident_declared_at:
                level = Level.RESIDENT
        user.__dict__["_participation_level"] = int(level)
    result: int = user.__dict__["_participation_level"]
    return result


def is_blocked(user: Any, process: Process) -> bool:
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_participation_blocks", {})
    if process.organiser_id not in cache:
        cache[process.organiser_id] = Block.objects.filter(
            user=user, organisation_id=process.organiser_id
        ).exists()
    return bool(cache[process.organiser_id])


class LevelDenial(str):
    """A refusal because the person's verification level is too low; ``level`` is the level needed.
    Templates add the way to get there (confirm the e-mail address, or the verification page)."""

    level: int

    def __new__(cls, text: str, level: int) -> LevelDenial:
        obj = super().__new__(cls, text)
        obj.level = int(level)
        return obj

    @property
    def needs_email(self) -> bool:
        return self.level == Level.EMAIL

    @property
    def needs_residence(self) -> bool:
        return self.level >= Level.RESIDENT


def _level_message(level: int) -> str:
    messages = {
        Level.ACCOUNT: _("Bitte melden Sie sich an, um mitzumachen."),
        Level.EMAIL: _("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."),
        Level.RESIDENT: _(
            "Dafür müssen Sie angeben, dass Sie in Krefeld wohnen (Postleitzahl auf der Seite „Verifizierung“)."
        ),
        Level.VERIFIED: _(
            "Dafür müssen Sie als Einwohner:in bestätigt sein (Code-Brief oder Besuch im Bürgerbüro)."
        ),
    }
    if level <= Level.ACCOUNT:
        return str(messages[Level(level)])
    return LevelDenial(str(messages[Level(level)]), level)


def _phase_denial(process: Process, action: str, model: type, now: dt.datetime) -> str | None:
    if process.status != Process.Status.PUBLISHED:
        return _("Dieser Beteiligungsprozess ist nicht geöffnet.")
    phase = process.active_phase(now)
    if phase is None:
        return _("Zurzeit läuft keine Phase dieses Beteiligungsprozesses.")
    if not phase.phase_type.has_feature(action, model):
        texts = {
            "crud": _(
                "In der aktuellen Phase „%(phase)s“ können keine Ideen eingereicht oder geändert werden."
            ),
            "comment": _("In der aktuellen Phase „%(phase)s“ kann nicht kommentiert werden."),
            "support": _("In der aktuellen Phase „%(phase)s“ können Ideen nicht unterstützt werden."),
            "vote": _("In der aktuellen Phase „%(phase)s“ kann nicht abgestimmt werden."),
            "answer": _("In der aktuellen Phase „%(phase)s“ kann die Umfrage nicht beantwortet werden."),
        }
        return texts[action] % {"phase": phase.display_name}
    return None


def _person_denial(user: Any, process: Process, action: str) -> str | None:
    if not user.is_authenticated:
        return _("Bitte melden Sie sich an, um mitzumachen.")
    if is_blocked(user, process):
        return _("Sie sind für die Beteiligungsprozesse dieser Organisation gesperrt.")
    needed = process.level_for(action)
    if user_level(user) < needed:
        return _level_message(max(needed, Level.EMAIL) if user_level(user) < Level.EMAIL else needed)
    return None


def denial(
    user: Any, action: str, target: Process | Idea | Comment, now: dt.datetime | None = None
) -> str | None:
    """Why ``user`` may not do ``action`` on ``target`` now, or ``None`` when they may.

    Actions: ``add_idea`` (target process), ``change_idea``, ``comment``, ``support``, ``vote``
    (target idea), ``reply``/``change_comment`` (target comment).
    """
    now = now or timezone.now()
    if isinstance(target, Process):
        process, idea, comment = target, None, None
    elif isinstance(target, Idea):
        process, idea, comment = target.process, target, None
    else:
        process, idea, comment = target.idea.process, target.idea, target
    if idea is not None and not idea.is_visible:
        return _("Diese Idee ist nicht mehr sichtbar.")

    if action == "add_idea":
        return _phase_denial(process, "crud", Idea, now) or _person_denial(user, process, "crud")
    if action == "change_idea":
        assert idea is not None
        if not user.is_authenticated or idea.author_id != user.pk:
            return _("Nur die Person, die die Idee eingereicht hat, kann sie ändern.")
        return _phase_denial(process, "crud", Idea, now) or _person_denial(user, process, "crud")
    if action in ("comment", "reply"):
        model = Comment if action == "reply" else Idea
        if comment is not None and (comment.parent_id is not None or comment.is_removed):
            return _("Auf diesen Kommentar kann nicht geantwortet werden.")
        return _phase_denial(process, "comment", model, now) or _person_denial(user, process, "comment")
    if action == "change_comment":
        assert comment is not None
        if not user.is_authenticated or comment.author_id != user.pk:
            return _("Nur die Person, die den Kommentar geschrieben hat, kann ihn ändern.")
        if comment.is_removed:
            return _("Dieser Kommentar ist gelöscht oder ausgeblendet.")
        return _phase_denial(process, "comment", Comment, now) or _person_denial(user, process, "comment")
    if action in ("support", "vote"):
        return _phase_denial(process, action, Idea, now) or _person_denial(user, process, action)
    raise ValueError(f"unknown action {action}")


def survey_denial(user: Any, survey: Survey, now: dt.datetime | None = None) -> str | None:
    """Why ``user`` may not answer ``survey`` now (the active phase must open ``answer`` on surveys;
    a survey tied to a phase only in that phase), or ``None``. Whether this person or browser has
    answered already is checked by the service."""
    now = now or timezone.now()
    process = survey.process
    phase_denial = _phase_denial(process, "answer", Survey, now)
    if phase_denial:
        return phase_denial
    if survey.phase_id is not None and process.active_phase(now).pk != survey.phase_id:  # type: ignore[union-attr]
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


def may_verify_residents(user: Any) -> bool:
    """Staff of the city (Bürgerbüro) confirm residents and issue code letters."""
    return bool(user.is_authenticated and user.is_platform_staff)


def may_export_survey(user: Any, survey: Survey) -> bool:
    """Organisers (editors, moderators, admins of the organiser) and platform staff."""
    return is_editor(user, survey.process)


def may_edit_survey(user: Any, survey: Survey) -> bool:
    """Organisers (editors, moderators, admins of the organiser) and platform staff set up the
    questionnaires of their processes; what may still change once answers exist is decided by the
    services (``survey_is_locked``)."""
    return is_editor(user, survey.process)


def may(user: Any, action: str, target: Process | Idea | Comment) -> bool:
    return denial(user, action, target) is None


# django-rules permissions (``user.has_perm("participation.support_idea", idea)``).
@rules.predicate
def _can_add_idea(user: Any, process: Process) -> bool:
    return may(user, "add_idea", process)


@rules.predicate
def _can_change_idea(user: Any, idea: Idea) -> bool:
    return may(user, "change_idea", idea)


@rules.predicate
def _can_comment(user: Any, idea: Idea) -> bool:
    return may(user, "comment", idea)


@rules.predicate
def _can_support(user: Any, idea: Idea) -> bool:
    return may(user, "support", idea)


@rules.predicate
def _can_vote(user: Any, idea: Idea) -> bool:
    return may(user, "vote", idea)


@rules.predicate
def _can_moderate(user: Any, process: Process) -> bool:
    return is_moderator(user, process)


@rules.predicate
def _can_answer(user: Any, process: Process) -> bool:
    return is_editor(user, process)


@rules.predicate
def _can_view_process(user: Any, process: Process) -> bool:
    return process.is_public or is_editor(user, process)


rules.add_perm("participation.add_idea", _can_add_idea)
rules.add_perm("participation.change_idea", _can_change_idea)
rules.add_perm("participation.comment_idea", _can_comment)
rules.add_perm("participation.support_idea", _can_support)
rules.add_perm("participation.vote_idea", _can_vote)
rules.add_perm("participation.moderate_process", _can_moderate)
rules.add_perm("participation.answer_idea", _can_answer)
rules.add_perm("participation.view_process", _can_view_process)
rules.add_perm(
    "participation.answer_survey", rules.predicate(lambda user, survey: survey_denial(user, survey) is None)
)
rules.add_perm("participation.export_survey", rules.predicate(may_export_survey))
rules.add_perm("participation.change_survey", rules.predicate(may_edit_survey))
rules.add_perm("participation.verify_residents", rules.predicate(may_verify_residents))
