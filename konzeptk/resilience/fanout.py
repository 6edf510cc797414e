"""Sending an alert to the subscribers of its districts, in their language, as a background job.

:func:`enqueue` runs after the commit that raised the alert. What happens then depends on
``settings.RESILIENCE_FANOUT`` (environment ``KONZEPTK_RESILIENCE_FANOUT``), as for the send job of the
notifications room (``notifications/background.py``):

* ``"celery"`` (default with ``REDIS_URL``): the task ``resilience.fanout_warning`` goes to the Celery worker;
* ``"thread"`` (default without it, the embedded setup): a daemon thread of the process sends;
* ``"inline"``: at once in the committing process (the test suite).

:func:`warning_fanout` is the job. It works through the subscriptions in chunks of :data:`CHUNK`. Per chunk,
in one transaction, it claims the pairs (warning, subscription) with one ``INSERT … ON CONFLICT DO NOTHING
RETURNING`` into ``Delivery`` (unique pair), so a job that runs twice, or two at once, tells nobody twice;
then, per language, one call of ``notifications.services.notify``: the inbox entries of the accounts are
written in bulk and the mails queued in bulk (the send job mails them). Only confirmed subscriptions that were
not stopped get anything. A registered facility (its subscription points to it) gets only heat alerts, and
those with the heat-protection checklist for its kind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import queue
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.core.content import content_in_language
from konzeptk.core.siteurl import absolute_url
from konzeptk.notifications.services import Address, notify
from konzeptk.resilience import rules as maths
from konzeptk.resilience.models import ALERT_KIND, Delivery, Subscription, Warning

log = logging.getLogger(__name__)

CHUNK = 5000
TASK = "resilience.fanout_warning"
HEAT_KINDS = frozenset({maths.HEAT, maths.TROPICAL_NIGHT, maths.FELT_HEAT})

_queue: queue.Queue[int] = queue.Queue()
_thread: threading.Thread | None = None
_lock = threading.Lock()
#: runs the thread has finished, for a test to wait on
runs_finished = 0


@dataclass
class FanoutResult:
    subscriptions: int = 0  # claimed now (told now)
    inbox: int = 0
    mails: int = 0


def mode() -> str:
    default = "celery" if getattr(settings, "REDIS_URL", "") else "thread"
    return str(getattr(settings, "RESILIENCE_FANOUT", default))


def enqueue(warning_id: int) -> None:
    """Ask for the fan-out of a warning (returns at once except in ``inline`` mode)."""
    current = mode()
    if current == "inline":
        warning_fanout(warning_id=warning_id)
    elif current == "celery":
        # by name (tasks.py imports this module): the project's app is the default app once loaded
        from celery import current_app

        import konzeptk.celery  # noqa: F401 – loads the project's app where REDIS_URL did not

        try:
            current_app.send_task(TASK, args=[warning_id])
        except Exception:  # the broker is away: the scheduled evaluation sends what is left (fanout_pending)
            log.exception("Versand der Warnung %s konnte nicht an Celery übergeben werden", warning_id)
    elif current == "thread":
        _queue.put(warning_id)
        _ensure_thread()


def _ensure_thread() -> None:
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_worker, name="resilience-fanout", daemon=True)
            _thread.start()


def _worker() -> None:
    global runs_finished
    while True:
        warning_id = _queue.get()
        try:
            close_old_connections()
            warning_fanout(warning_id=warning_id)
        except Exception:  # the next scheduled run (fanout_pending) catches up
            log.exception("Warnung %s konnte nicht versandt werden", warning_id)
        finally:
            connections.close_all()
            runs_finished += 1


# --- the job -----------------------------------------------------------------------------------


def is_heat_alert(warning: Warning) -> bool:
    return warning.event_code in HEAT_KINDS or bool(warning.rule and warning.rule.heat_checklist)


def recipients(warning: Warning) -> QuerySet[Subscription]:
    """Confirmed, not stopped subscriptions of the warning's districts (none: the whole city)."""
    through = Subscription.districts.through
    subs = Subscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    district_ids = list(warning.districts.values_list("pk", flat=True))
    if district_ids:
        anywhere = ~Exists(through.objects.filter(subscription_id=OuterRef("pk")))
        here = Exists(through.objects.filter(subscription_id=OuterRef("pk"), district_id__in=district_ids))
        subs = subs.filter(anywhere | here)
    if not is_heat_alert(warning):
        subs = subs.filter(facility__isnull=True)
    return subs.order_by("pk")


def _claim(warning: Warning, low: int, high: int) -> list[int]:
    """Deliveries for the recipients with ids from ``low`` to ``high``: one INSERT … SELECT, returning the
    subscriptions this run claimed (a pair another run claimed first is skipped by the unique constraint)."""
    chunk = recipients(warning).filter(pk__gte=low, pk__lte=high).annotate(sid=F("pk")).values("sid")
    select, params = chunk.query.sql_with_params()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Delivery._meta.db_table} (warning_id, subscription_id, created_at) "  # noqa: S608
            f"SELECT %s, r.sid, %s FROM ({select}) r WHERE true "
            "ON CONFLICT (warning_id, subscription_id) DO NOTHING RETURNING subscription_id",
            [warning.pk, now, *params],
        )
        return [row[0] for row in cursor.fetchall()]


def _detail_url(warning: Warning) -> str:
    try:
        return reverse("resilience:warning_detail", kwargs={"pk": warning.pk})
    except NoReverseMatch:  # the page of one warning is not there: the list
        try:
            return reverse("resilience:warnings")
        except NoReverseMatch:
            return "/"


def _message(warning: Warning, lang: str) -> tuple[str, str, str]:
    """Subject, body and link of the alert in ``lang`` (German where a text is missing)."""
    with translation.override(lang):
        headline = content_in_language(warning, "headline", lang)[0]
        description = content_in_language(warning, "description", lang)[0]
        instruction = content_in_language(warning, "instruction", lang)[0]
        url = _detail_url(warning)
        parts = [headline, description]
        if instruction:
            parts.append(_("Was Sie tun können:") + "\n" + instruction)
        return headline, "\n\n".join(p for p in parts if p), url


def _address_template(body: str, more: str, lang: str) -> tuple[str, str]:
    """The mail text of an address in ``lang`` around the checklist, and the line of its own unsubscribe link
    (with ``%(link)s``): translated once per language and run, not once per address."""
    with translation.override(lang):
        tail = _("Mehr dazu: %(link)s") % {"link": more} + "\n\n"
        tail += _(
            "Sie erhalten diese E-Mail, weil Sie Warnungen der Stadt für Ihren Stadtteil abonniert haben."
        )
        return body, tail + "\n" + _("Keine Warnungen mehr erhalten: %(link)s")


def _address_body(head: str, tail: str, stop: str, checklist: str) -> str:
    """The alert, the heat checklist (facilities), the link to the warning and the address's own way out."""
    middle = f"\n\n{checklist}\n\n" if checklist else "\n\n"
    return head + middle + tail % {"link": stop}


def _checklist(kind: str, lang: str) -> str:
    from konzeptk.resilience.heat import checklist_text

    with translation.override(lang):
        return str(checklist_text(kind))


_TOKEN = "TOKEN"


def stop_url(subscription_token: str, base: str = "") -> str:
    """The one-click unsubscribe link of a subscription (``base``: the link of :data:`_TOKEN`, reversed once)."""
    base = base or absolute_url(reverse("resilience:unsubscribe", kwargs={"token": _TOKEN}))
    return base.replace(f"/{_TOKEN}/", f"/{subscription_token}/")


def warning_fanout(*, warning_id: int, chunk: int = CHUNK) -> FanoutResult:
    """Tell every subscriber of the warning's districts who has not been told yet (idempotent)."""
    result = FanoutResult()
    warning = Warning.objects.select_related("rule").filter(pk=warning_id).first()
    if warning is None or warning.ended_at is not None:
        return result
    heat = is_heat_alert(warning)
    ids = list(recipients(warning).exclude(deliveries__warning_id=warning_id).values_list("pk", flat=True))
    base = stop_url(_TOKEN)
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            claimed = _claim(warning, ids[start], ids[min(start + chunk, len(ids)) - 1])
            if claimed:
                _tell(warning, claimed, heat, result, base)
    return result


def _tell(warning: Warning, claimed: list[int], heat: bool, result: FanoutResult, base: str) -> None:
    rows = Subscription.objects.filter(pk__in=claimed).values_list(
        "user_id", "email", "language", "by_email", "by_inbox", "token", "facility__kind"
    )
    accounts: dict[str, list[int]] = defaultdict(list)
    addresses: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for user_id, email, lang, by_email, by_inbox, token, facility_kind in rows:
        if user_id is not None and by_inbox:
            accounts[lang].append(user_id)
        elif email and by_email:
            addresses[lang].append((email, token, facility_kind or ""))
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=[pk for ids in accounts.values() for pk in ids]).only(
            "pk", "email"
        )
    }
    for lang in sorted(set(accounts) | set(addresses)):
        subject, body, url = _message(warning, lang)
        head, stop_line = _address_template(body, absolute_url(url), lang)
        checklists: dict[str, str] = {}
        told = notify(
            kind=ALERT_KIND,
            subject=subject,
            body=body,
            url=url,
            recipients=[users[pk] for pk in accounts.get(lang, []) if pk in users],
            addresses=[
                Address(
                    email=email,
                    body=_address_body(
                        head, stop_line, stop_url(token, base),
                        checklists.setdefault(kind, _checklist(kind, lang)) if heat and kind else "",
                    ),
                    unsubscribe_url=stop_url(token, base),
                )
                for email, token, kind in addresses.get(lang, [])
            ],
        )  # fmt: skip
        result.inbox += len(accounts.get(lang, []))
        result.mails += len(addresses.get(lang, []))
        result.subscriptions += told


def fanout_pending() -> int:
    """Warnings in force whose fan-out a lost job left unfinished (the scheduled safety net)."""
    count = 0
    for warning_id in Warning.objects.filter(
        source="own", ended_at__isnull=True, sent__gte=timezone.now() - dt.timedelta(days=2)
    ).values_list("pk", flat=True):
        with contextlib.suppress(Exception):
            count += warning_fanout(warning_id=warning_id).subscriptions
    return count
