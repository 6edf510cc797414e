"""Who may do what in a participation process.

What a person may do is decided by the phase that is active now (the registry in phases.py says
which actions it opens on which content), by the level of verification the process asks for, and by
the person's role in the organiser organisation. ``denial(user, action, target)`` returns the reason
in words (shown to the person) or ``None``; the django-rules permissions are thin wrappers around it.
"""

from __future__ import annotations

import datetime as dt

import rules
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Level, Membership, User
from konzeptk.accounts.verification import levels
from konzeptk.participation.models import Block, Comment, Idea, Process

MODERATOR_ROLES = (Membership.Role.MODERATOR, Membership.Role.ADMIN)
EDITOR_ROLES = (Membership.Role.EDITOR, Membership.Role.MODERATOR, Membership.Role.ADMIN)


#: who is asked about: a person, or nobody signed in
Actor = AbstractBaseUser | AnonymousUser


def _role_in(user: Actor, organisation_id: int) -> str | None:
    if not isinstance(user, User):
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


def is_moderator(user: Actor, process: Process) -> bool:
    if not isinstance(user, User):
        return False
    return bool(user.is_platform_staff) or _role_in(user, process.organiser_id) in MODERATOR_ROLES


def is_editor(user: Actor, process: Process) -> bool:
    if not isinstance(user, User):
        return False
    return bool(user.is_platform_staff) or _role_in(user, process.organiser_id) in EDITOR_ROLES


def user_level(user: Actor) -> int:
    """The verification level a person has reached: accounts knows (residency is a property of a person)."""
    return levels.user_level(user if isinstance(user, User) else AnonymousUser())


def is_blocked(user: Actor, process: Process) -> bool:
    if not isinstance(user, User):
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


def _person_denial(user: Actor, process: Process, action: str) -> str | None:
    if not user.is_authenticated:
        return _("Bitte melden Sie sich an, um mitzumachen.")
    if is_blocked(user, process):
        return _("Sie sind für die Beteiligungsprozesse dieser Organisation gesperrt.")
    needed = process.level_for(action)
    if user_level(user) < needed:
        return _level_message(max(needed, Level.EMAIL) if user_level(user) < Level.EMAIL else needed)
    return None


def denial(
    user: Actor, action: str, target: Process | Idea | Comment, now: dt.datetime | None = None
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


def may_verify_residents(user: Actor) -> bool:
    """Staff of the city (Bürgerbüro) confirm residents and issue code letters (accounts decides)."""
    return levels.may_verify_residents(user if isinstance(user, User) else AnonymousUser())


def may(user: Actor, action: str, target: Process | Idea | Comment) -> bool:
    return denial(user, action, target) is None


# django-rules permissions (``user.has_perm("participation.support_idea", idea)``).
@rules.predicate
def _can_add_idea(user: Actor, process: Process) -> bool:
    return may(user, "add_idea", process)


@rules.predicate
def _can_change_idea(user: Actor, idea: Idea) -> bool:
    return may(user, "change_idea", idea)


@rules.predicate
def _can_comment(user: Actor, idea: Idea) -> bool:
    return may(user, "comment", idea)


@rules.predicate
def _can_support(user: Actor, idea: Idea) -> bool:
    return may(user, "support", idea)


@rules.predicate
def _can_vote(user: Actor, idea: Idea) -> bool:
    return may(user, "vote", idea)


@rules.predicate
def _can_moderate(user: Actor, process: Process) -> bool:
    return is_moderator(user, process)


@rules.predicate
def _can_answer(user: Actor, process: Process) -> bool:
    return is_editor(user, process)


@rules.predicate
def _can_view_process(user: Actor, process: Process) -> bool:
    return process.is_public or is_editor(user, process)


rules.add_perm("participation.add_idea", _can_add_idea)
rules.add_perm("participation.change_idea", _can_change_idea)
rules.add_perm("participation.comment_idea", _can_comment)
rules.add_perm("participation.support_idea", _can_support)
rules.add_perm("participation.vote_idea", _can_vote)
rules.add_perm("participation.moderate_process", _can_moderate)
rules.add_perm("participation.answer_idea", _can_answer)
rules.add_perm("participation.view_process", _can_view_process)
rules.add_perm("participation.verify_residents", rules.predicate(may_verify_residents))
