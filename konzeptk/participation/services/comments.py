"""Writes of the participation app: typed, keyword-only, each in one transaction. (comments)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.participation.models import (
    COMMENT_MAX,
    Comment,
    Follow,
    Idea,
    Notification,
)
from konzeptk.participation.notifications import notify
from konzeptk.participation.services.common import _autofollow, _clean_text, _denied, _require

# --- comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_create(*, idea: Idea, author: Any, text: str, parent: Comment | None = None) -> Comment:
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError({"parent": _("Dieser Kommentar gehört zu einer anderen Idee.")})
        _require(author, "reply", parent)
    else:
        _require(author, "comment", idea)
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        parent=parent,
        text=_clean_text(text, field="text", label=_("Kommentar"), max_length=COMMENT_MAX),
    )
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    recipients = set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))
    if parent is not None and parent.author_id:
        recipients.add(parent.author_id)
    from django.contrib.auth import get_user_model

    notify(
        recipients=get_user_model().objects.filter(pk__in=recipients),
        subject=_("Neuer Kommentar zu „%(title)s“") % {"title": idea.title[:120]},
        body=comment.text[:500],
        url=idea.get_absolute_url(),
        exclude=author,
        kind=Notification.Kind.REPLY,
    )
    _autofollow(author, idea)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, user: Any, text: str) -> Comment:
    _require(user, "change_comment", comment)
    comment.text = _clean_text(text, field="text", label=_("Kommentar"), max_length=COMMENT_MAX)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user: Any) -> Comment:
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
