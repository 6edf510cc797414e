"""Supports and follows of a Mängelmelder report, safe against strangers.

- A **follow** by e-mail starts unconfirmed: the only mail that goes to the address is the
  confirmation link; status mails go only to confirmed followers (``Follower.objects.confirmed()``).
  The link shows a page with a button; the button (POST) confirms – a GET never writes. Unconfirmed
  follows expire after :data:`FOLLOW_CONFIRM_DAYS`. A signed-in person following with one of their
  verified addresses is confirmed at once. The answer on the page is the same in every case, so it
  reveals nothing about the address. The confirmation itself is the double opt-in of
  :mod:`konzeptk.notifications.optin`; mails are queued and sent by the notifications job.
- The **reporter's address** (``Report.email``) follows the same rule: a report with an address
  that is not a verified one of the signed-in reporter starts a follow of that address, and
  confirming it also sets ``Report.email_confirmed_at``; only then do status mails go to it.
- A **support** counts once per account, or – anonymously – once per browser (session) and once per
  e-mail address. Unique constraints in the database decide, so two requests at the same moment
  still count once; a second support is answered kindly, not as an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from konzeptk.core.siteurl import absolute_url
from konzeptk.notifications import optin
from konzeptk.servicedesk.models import Follower, Report, ReportSupport

FOLLOW_CONFIRM_DAYS = 7
RESEND_AFTER = dt.timedelta(hours=1)


def _absolute(path: str) -> str:
    return absolute_url(path)


def _keyed(purpose: str, value: str) -> str:
    """A keyed hash: equal inputs match, nothing readable is stored."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


# --- follows -------------------------------------------------------------------------------


def followers_expire(*, now: dt.datetime | None = None) -> int:
    """Delete follows that were never confirmed within FOLLOW_CONFIRM_DAYS; returns how many."""
    return optin.expire(queryset=Follower.objects.all(), days=FOLLOW_CONFIRM_DAYS, now=now)


def _request_confirmation(follower: Follower, now: dt.datetime) -> bool:
    """The double opt-in of konzeptk.notifications: one confirmation mail per RESEND_AFTER."""
    link = _absolute(reverse("servicedesk:follow_confirm", kwargs={"token": follower.confirm_token}))
    stop = _absolute(reverse("servicedesk:unfollow", kwargs={"token": follower.token}))
    with override(settings.LANGUAGE_CODE):
        return optin.confirmation_request(
            row=Follower.objects.filter(pk=follower.pk),
            email=follower.email,
            subject=_("Bitte bestätigen: E-Mails zur Meldung %(id)s")
            % {"id": follower.report.service_request_id},
            intro=_(
                "Jemand hat diese E-Mail-Adresse für Nachrichten zum Stand der Mängelmeldung %(id)s angemeldet."
            )
            % {"id": follower.report.service_request_id},
            confirm_url=link,
            unsubscribe_url=stop,
            days=FOLLOW_CONFIRM_DAYS,
            resend_after=RESEND_AFTER,
            now=now,
        )


@transaction.atomic
def follower_add(*, report: Report, email: str, verified: bool = False) -> Follower:
    """Ask ``email`` to confirm following ``report`` (or follow at once when ``verified``).

    ``verified`` means the address is a verified address of the signed-in person. A pending follow
    gets at most one confirmation mail per RESEND_AFTER, however often the form is sent.
    """
    email = email.strip()
    validate_email(email)
    now = timezone.now()
    followers_expire(now=now)
    follower = Follower.objects.select_for_update().filter(report=report, email__iexact=email).first()
    if follower is None:
        try:
            with transaction.atomic():
                follower = Follower.objects.create(report=report, email=email)
        except IntegrityError:  # the same address at the same moment from another request
            follower = Follower.objects.get(report=report, email__iexact=email)
    if follower.confirmed_at is not None:
        return follower
    if verified:
        follower.confirmed_at = now
        follower.save(update_fields=["confirmed_at"])
        return follower
    _request_confirmation(follower, now)  # queued with the follow, sent by the job after the commit
    return follower


def follower_pending(*, confirm_token: str) -> Follower | None:
    """The follow a confirmation link stands for, while it can still be confirmed."""
    return optin.pending(
        queryset=Follower.objects.select_related("report"), token=confirm_token, days=FOLLOW_CONFIRM_DAYS
    )


@transaction.atomic
def follower_confirm(*, confirm_token: str) -> Follower | None:
    follower = follower_pending(confirm_token=confirm_token)
    if follower is None:
        return None
    now = timezone.now()
    optin.confirm(row=Follower.objects.filter(pk=follower.pk), now=now)
    # the reporter's own address: the same link confirms their status mails (services.report_create)
    Report.objects.filter(
        pk=follower.report_id, email__iexact=follower.email, email_confirmed_at__isnull=True
    ).update(email_confirmed_at=now)
    follower.refresh_from_db(fields=["confirmed_at"])
    return follower


def follower_remove(*, token: str) -> Report | None:
    follower = Follower.objects.filter(token=token).select_related("report").first()
    if follower is None:
        return None
    report = follower.report
    follower.delete()
    # the reporter's own address: its status mails stop as well (services.notify_status_change)
    Report.objects.filter(pk=report.pk, email__iexact=follower.email).update(email_confirmed_at=None)
    return report


# --- supports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportResult:
    counted: bool  # False: this person, browser or address had supported already
    follow: Follower | None


def report_support(
    *, report: Report, user: Any = None, session_key: str = "", email: str = "", verified: bool = False
) -> SupportResult:
    """Someone has the same problem: count it once and, with an e-mail, offer status mails.

    Signed in: once per account. Anonymous: once per browser (``session_key``) and, with an address,
    once per address. ``verified``: the address is a verified one of the signed-in person.
    """
    email = email.strip()
    if email:
        validate_email(email)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if not signed_in and not session_key:
        raise ValueError("an anonymous support needs the browser's session")
    support = ReportSupport(
        report=report,
        user=user if signed_in else None,
        browser="" if signed_in else _keyed("support-browser", session_key),
        email_key=_keyed("support-email", email.casefold()) if email else "",
    )
    counted = True
    try:
        with transaction.atomic():
            support.save()
            Report.objects.filter(pk=report.pk).update(supporters=F("supporters") + 1)
    except IntegrityError:
        counted = False
    follow = follower_add(report=report, email=email, verified=verified) if email else None
    report.refresh_from_db(fields=["supporters"])
    return SupportResult(counted=counted, follow=follow)
