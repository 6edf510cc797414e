"""Writes of the participation app: typed, keyword-only, each in one transaction. (comments)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.notifications.services import notify
from konzeptk.participation.models import (
    COMMENT_MAX,
    Comment,
    Follow,
    Idea,
)
from konzeptk.participation.notifications import REPLY
from konzeptk.participation.services.common import (
    Actor,
    _autofollow,
    _clean_text,
    _denied,
    _person,
    _require,
)

# --- comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *,
    idea: Idea,
    author: Actor,
    text: str,
    parent: Comment | None = None,
    at: dt.datetime | None = None,
    is_demo: bool = False,
) -> Comment:
    """A comment on ``idea`` (a reply with ``parent``); ``at``: when it was written, if entered afterwards."""
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError({"parent": _("Dieser Kommentar gehört zu einer anderen Idee.")})
        _require(author, "reply", parent, now=at)
    else:
        _require(author, "comment", idea, now=at)
    person = _person(author, _("Bitte melden Sie sich an, um mitzumachen."))
    comment = Comment.objects.create(
        idea=idea,
        author=person,
        parent=parent,
        text=_clean_text(text, field="text", label=_("Kommentar"), max_length=COMMENT_MAX),
        created_at=at or timezone.now(),
        is_demo=is_demo,
    )
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    recipients = set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))
    if parent is not None and parent.author_id:
        recipients.add(parent.author_id)
    notify(
        recipients=User.objects.filter(pk__in=recipients),
        subject=_("Neuer Kommentar zu „%(title)s“") % {"title": idea.title[:120]},
        body=comment.text[:500],
        url=idea.get_absolute_url(),
        exclude=person,
        kind=REPLY,
    )
    _autofollow(person, idea)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, user: Actor, text: str) -> Comment:
    _require(user, "change_comment", comment)
    comment.text = _clean_text(text, field="text", label=_("Kommentar"), max_length=COMMENT_MAX)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user: Actor) -> Comment:
    """Soft delete by the author: the text disappears, replies stay readable."""
    if not user.is_authenticated or comment.author_id != user.pk:
        raise _denied(_("Nur die Person, die den Kommentar geschrieben hat, kann ihn löschen."))
    if comment.deleted_at is not None:
        return comment
    was_counted = not comment.is_hidden
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    if was_counted:
        Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") - 1)
    return comment
