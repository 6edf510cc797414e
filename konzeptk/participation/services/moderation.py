"""Writes of the participation app: typed, keyword-only, each in one transaction. (moderation)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.participation import rules
from konzeptk.participation.models import (
    REASON_MAX,
    Block,
    Comment,
    Idea,
    ModerationAction,
    Process,
    Report,
)
from konzeptk.participation.services.common import Actor, _clean_text, _denied, _person

# --- moderation ------------------------------------------------------------------------------


def _target_process(target: Idea | Comment) -> Process:
    return target.process if isinstance(target, Idea) else target.idea.process


@transaction.atomic
def report_create(*, reporter: Actor, target: Idea | Comment, reason: str) -> Report:
    person = _person(reporter, _("Bitte melden Sie sich an, um einen Beitrag zu melden."))
    author_id = target.author_id
    if author_id is not None and author_id == person.pk:
        raise _denied(_("Sie können Ihren eigenen Beitrag nicht melden."), code="own_contribution")
    reason = _clean_text(reason, field="reason", label=_("Grund der Meldung"), max_length=REASON_MAX)
    lookup = {"idea": target} if isinstance(target, Idea) else {"comment": target}
    if Report.objects.filter(reporter=person, resolved_at=None, **lookup).exists():
        raise _denied(_("Sie haben diesen Beitrag bereits gemeldet."), code="already_reported")
    return Report.objects.create(reporter=person, reason=reason, **lookup)


def _require_moderator(moderator: User, process: Process) -> None:
    if not rules.is_moderator(moderator, process):
        raise _denied(_("Nur Moderator:innen der veranstaltenden Organisation dürfen das."))


def _log(
    moderator: User,
    kind: str,
    target: Idea | Comment | None,
    reason: str,
    process: Process,
    affected: User | None = None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        moderator=moderator,
        kind=kind,
        idea=target if isinstance(target, Idea) else None,
        comment=target if isinstance(target, Comment) else None,
        affected_user=affected if affected is not None else (target.author if target is not None else None),
        organisation_id=process.organiser_id,
        reason=reason,
    )


@transaction.atomic
def moderation_hide(*, moderator: User, target: Idea | Comment, reason: str) -> ModerationAction:
    process = _target_process(target)
    _require_moderator(moderator, process)
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    if not target.is_hidden:
        target.is_hidden = True
        target.hidden_reason = reason
        target.save(update_fields=["is_hidden", "hidden_reason"])
        if isinstance(target, Comment) and target.deleted_at is None:
            Idea.objects.filter(pk=target.idea_id).update(comment_count=F("comment_count") - 1)
    lookup = {"idea": target} if isinstance(target, Idea) else {"comment": target}
    Report.objects.filter(resolved_at=None, **lookup).update(resolved_at=timezone.now())
    return _log(moderator, ModerationAction.Kind.HIDE, target, reason, process)


@transaction.atomic
def moderation_restore(*, moderator: User, target: Idea | Comment, reason: str) -> ModerationAction:
    process = _target_process(target)
    _require_moderator(moderator, process)
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    if target.is_hidden:
        target.is_hidden = False
        target.hidden_reason = ""
        target.save(update_fields=["is_hidden", "hidden_reason"])
        if isinstance(target, Comment) and target.deleted_at is None:
            Idea.objects.filter(pk=target.idea_id).update(comment_count=F("comment_count") + 1)
    return _log(moderator, ModerationAction.Kind.RESTORE, target, reason, process)


@transaction.atomic
def report_dismiss(*, moderator: User, report: Report, reason: str) -> ModerationAction:
    process = _target_process(report.target)
    _require_moderator(moderator, process)
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now())
    return _log(moderator, ModerationAction.Kind.DISMISS, report.target, reason, process)


@transaction.atomic
def user_block(*, moderator: User, process: Process, user: User, reason: str) -> ModerationAction:
    _require_moderator(moderator, process)
    if user.pk == moderator.pk:
        raise _denied(_("Sie können sich nicht selbst sperren."))
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    Block.objects.get_or_create(user=user, organisation_id=process.organiser_id, defaults={"reason": reason})
    return _log(moderator, ModerationAction.Kind.BLOCK, None, reason, process, affected=user)


@transaction.atomic
def user_unblock(*, moderator: User, process: Process, user: User, reason: str) -> ModerationAction:
    _require_moderator(moderator, process)
    reason = _clean_text(reason, field="reason", label=_("Grund"), max_length=REASON_MAX)
    Block.objects.filter(user=user, organisation_id=process.organiser_id).delete()
    return _log(moderator, ModerationAction.Kind.UNBLOCK, None, reason, process, affected=user)
