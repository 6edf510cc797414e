"""Composing and queueing outgoing mails: one ``Mail`` row per message, written in the caller's
transaction; after the commit the send job is asked to run (background.py). Nothing here talks to
the mail server."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.core.siteurl import absolute_url
from konzeptk.notifications import background
from konzeptk.notifications.models import Mail
from konzeptk.notifications.registry import kinds

# The salt of the tokens in unsubscribe links. It keeps the name it had in ``participation`` so that
# links in mails sent before the move keep working.
UNSUBSCRIBE_SALT = "participation.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 365


@dataclass(frozen=True)
class Outgoing:
    """A mail to queue: ``unsubscribe_url`` is absolute and answers a POST without login."""

    to: str
    subject: str
    body: str
    unsubscribe_url: str
    kind: str
    user: User | None = None


def absolute(url: str) -> str:
    return absolute_url(url)


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> User | None:
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id).first()


def unsubscribe_url(user_id: int) -> str:
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user_id)}))


def user_mail_body(*, body: str, url: str, user_id: int, kind: str | None) -> str:
    """The text of a mail to an account: the message, its link, why it came and how to stop it.
    ``kind`` None: the daily digest."""
    parts = [body]
    if url:
        parts.append(_("Mehr dazu: %(link)s") % {"link": absolute(url)})
    reason = (
        _(
            "Sie erhalten diese E-Mail, weil Sie Benachrichtigungen der Art „%(kind)s“ per E-Mail gewählt haben."
        )
        % {"kind": kinds.label(kind)}
        if kind
        else _(
            "Sie erhalten diese Zusammenfassung, weil Sie Benachrichtigungen einmal täglich gewählt haben."
        )
    )
    parts.append(
        reason
        + "\n"
        + _("Keine E-Mails mehr erhalten: %(unsubscribe)s") % {"unsubscribe": unsubscribe_url(user_id)}
        + "\n"
        + _("Einstellungen ändern: %(settings)s") % {"settings": absolute(reverse("notifications:settings"))}
    )
    return "\n\n".join(parts)


def mails_queue(mails: Iterable[Outgoing]) -> list[Mail]:
    """Queue the mails (in the caller's transaction); the send job runs after the commit."""
    rows = Mail.objects.bulk_create(
        [
            Mail(
                user=m.user,
                to=m.to,
                kind=m.kind,
                subject=" ".join(m.subject.split())[:200],  # no line breaks in a header
                body=m.body,
                unsubscribe_url=m.unsubscribe_url[:500],
            )
            for m in mails
            if m.to
        ]
    )
    if rows:
        transaction.on_commit(background.enqueue)
    return rows
