"""What participation does when a person deletes the account (DSGVO Art. 17).

Rows stay only where others' contributions or a published result depend on them, and then without
anything that points to the person. Each eraser runs a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext

from konzeptk.accounts.erasure_registry import delete_file_on_commit, register_eraser
from konzeptk.participation.models import (
    Block,
    Comment,
    Follow,
    Idea,
    ModerationAction,
    Report,
    Support,
)


def _count_of(model: Any, condition: Q | None = None) -> Subquery:
    rows = (
        model.objects.filter(condition or Q(), idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))  # type: ignore[return-value]


def erase_ideas(user: Any) -> None:
    """The person's ideas are removed from the platform: title and text replaced by a note, place
    (address, coordinates that may lie near a home), image file and voluntary profile deleted, the
    author link cut, and the idea marked deleted (its page answers 410 like any deleted idea).

    The row itself stays, so others' comments, supports, votes and the administration's answer keep
    their idea and the strategy keeps its link; none of it says anything about the person any more.
    """
    ideas = Idea.objects.filter(author=user)
    for name in ideas.exclude(image="").values_list("image", flat=True):
        delete_file_on_commit(Idea._meta.get_field("image").storage, name)
    with translation.override(settings.LANGUAGE_CODE):
        placeholder = gettext("Gelöschter Beitrag")
    ideas.update(
        author=None,
        title=placeholder,
        text="",
        address="",
        lat=None,
        lon=None,
        image="",
        contributor_profile={},
        deleted_at=Coalesce("deleted_at", Value(timezone.now())),
    )


def erase_comments(user: Any) -> None:
    """Comments lose their text and author and count as deleted; replies of others stay readable
    under "deleted comment", as when a person deletes a comment themselves. The comment counters of
    the ideas concerned are recounted in one statement."""
    comments = Comment.objects.filter(author=user)
    idea_ids = list(comments.values_list("idea_id", flat=True).distinct())
    comments.update(author=None, text="", deleted_at=Coalesce("deleted_at", Value(timezone.now())))
    if idea_ids:
        Idea.objects.filter(pk__in=idea_ids).update(
            comment_count=_count_of(Comment, Q(deleted_at__isnull=True, is_hidden=False))
        )


def erase_supports(user: Any) -> None:
    """Supports are deleted (the person withdraws them, as they could one by one) and the counters
    of the ideas concerned recounted. (Ballot votes stay on the anonymised account: ``ballots.personal_data``.)"""
    supports = Support.objects.filter(user=user)
    idea_ids = list(supports.values_list("idea_id", flat=True))
    supports.delete()
    if idea_ids:
        Idea.objects.filter(pk__in=idea_ids).update(support_count=_count_of(Support))


def erase_personal_records(user: Any) -> None:
    """Records that exist only for the person are deleted: follows and blocks (residency verification
    and code letters are erased by accounts, inbox and notification settings by notifications). With
    follows gone, no idea or process mail is addressed to the account any more.

    Moderation: flags the person raised are deleted once resolved; open ones stay for the moderators
    without the reporter. The moderation log (ModerationAction) is never deleted; it points to the
    anonymised account."""
    Follow.objects.filter(user=user).delete()
    Block.objects.filter(user=user).delete()
    Report.objects.filter(reporter=user, resolved_at__isnull=False).delete()
    Report.objects.filter(reporter=user).update(reporter=None)


def erase_from_dumps(user: Any) -> None:
    """The open-data dumps hold visible ideas and comments of public processes. If the person has any
    there, a new generation is written once the erasure has committed and every older one deleted
    (a job: in-process in the embedded default, Celery with Redis). Runs before the other erasers,
    while the contributions are still recognisable."""
    from konzeptk.participation.dumps import manifest_read

    public_ideas = Idea.objects.public()
    in_dumps = (
        public_ideas.filter(author=user).exists()
        or Comment.objects.filter(
            author=user, deleted_at__isnull=True, is_hidden=False, idea__in=public_ideas
        ).exists()
    )
    if in_dumps and manifest_read() is not None:
        import konzeptk.celery  # noqa: F401 – binds the task to the project's Celery app (eager without Redis)
        from konzeptk.participation.tasks import dump

        # robust: a broker that does not answer must not turn the finished erasure into an error page;
        # the next daily dump (which deletes older generations) then catches up
        transaction.on_commit(lambda: dump.delay(keep_previous=False), robust=True)


register_eraser("participation.dumps", erase_from_dumps, models=[Idea, Comment], priority=-10)
register_eraser("participation.ideas", erase_ideas, models=[Idea])
register_eraser("participation.comments", erase_comments, models=[Comment])
register_eraser("participation.supports", erase_supports, models=[Support])
register_eraser(
    "participation.personal_records",
    erase_personal_records,
    models=[
        Follow,
        Block,
        Report,
        ModerationAction,
    ],
)
