"""Rate limits of every write, on the shared cache, in one registry.

The counters are django-ratelimit's, kept in the cache alias ``RATELIMIT_USE_CACHE`` ("shared"):
Redis when ``REDIS_URL`` is set, otherwise the database (konzeptk/core/cache.py). So a limit holds
however many server processes answer. allauth's own limits (login, sign-up, password reset) use the
same cache (:func:`use_shared_cache_for_allauth`).

Two layers:

- :class:`~konzeptk.core.middleware.WriteLimitMiddleware` gives every POST/PUT/PATCH/DELETE of the
  site and the APIs the general budget ``write`` per person (account, or address without one).
  Only SensorThings writes with an ``Authorization`` header (machine ingestion with a token) count
  against their own, larger budget ``ingest`` per token instead.
- Actions that strangers could abuse name their own, tighter limit with the decorator
  :func:`limit`, e.g. ``@limit("report_support")``; their writes count against that limit instead
  of the general budget. The numbers live only in :data:`LIMITS`;
  ``KONZEPTK_RATE_LIMITS`` in the settings can override single rates (``{"report": "50/h"}``).

A limited request is answered 429 with a German message (a page) or the API's JSON error, through
:func:`konzeptk.core.errors.error_response`, and a ``Retry-After`` header.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

Key = Literal["ip", "user_or_ip", "token"]
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Limit:
    """A named limit: ``rate`` as django-ratelimit writes it ("10/h"), counted per ``key``."""

    name: str
    rate: str
    key: Key
    purpose: str

    def effective_rate(self) -> str:
        overrides: dict[str, str] = getattr(settings, "KONZEPTK_RATE_LIMITS", {})
        return overrides.get(self.name, self.rate)


LIMITS: dict[str, Limit] = {}


def register(name: str, rate: str, *, key: Key = "user_or_ip", purpose: str) -> Limit:
    """Add a named limit to the registry (apps may add their own at import time)."""
    LIMITS[name] = Limit(name=name, rate=rate, key=key, purpose=purpose)
    return LIMITS[name]


# The general budget of every write, and the machine ingestion that replaces it for token holders.
register("write", "120/m", purpose="jede schreibende Anfrage einer Person")
register("ingest", "6000/m", key="token", purpose="SensorThings-Schreibzugriffe je Zugangsschlüssel")
# Participation
register("idea", "20/h", purpose="neue Ideen")
register("comment", "60/h", purpose="Kommentare")
register("support", "120/h", purpose="Unterstützungen und Stimmen in der Beteiligung")
register("follow", "120/h", purpose="Prozessen und Ideen folgen oder nicht mehr folgen")
register("survey_answer", "30/h", purpose="Antworten auf Umfragen")
register("verification_code", "10/h", purpose="Codes zur Wohnort-Bestätigung")
# Meinungsbild (insights)
register("opinion_vote", "600/h", purpose="Bewertungen von Aussagen im Meinungsbild")
register("statement", "20/h", purpose="neue Aussagen im Meinungsbild")
# Mängelmelder
register(
    "report",
    "40/h",
    key="ip",
    purpose="Schritte neuer Mängelmeldungen (Formular, zwei Schritte je Meldung, und Open311)",
)
register(
    "open311_report",
    "200/h",
    key="ip",
    purpose="Meldungen über Open311 (Apps reichen viele Meldungen weiter)",
)
register("report_support", "30/h", key="ip", purpose="Unterstützungen von Mängelmeldungen")
register("report_follow", "10/h", key="ip", purpose="Anmeldungen zu Status-E-Mails einer Meldung")
# Everything else that sends mail or writes for strangers
register("feedback", "10/h", key="ip", purpose="Rückmeldungen zur Barrierefreiheit")
register("invitation", "30/h", purpose="Einladungen in Organisationen")


def client_ip(request: HttpRequest) -> str:
    """The client's address as allauth sees it (``ALLAUTH_TRUSTED_PROXY_COUNT`` behind a proxy)."""
    from allauth.core.internal.httpkit import get_client_ip

    return get_client_ip(request) or request.META.get("REMOTE_ADDR", "") or "unknown"


def _key_value(limit: Limit, request: HttpRequest) -> str:
    if limit.key == "token":
        header = request.headers.get("Authorization", "")
        return "token:" + hashlib.sha256(header.encode()).hexdigest()
    user = getattr(request, "user", None)
    if limit.key == "user_or_ip" and user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "ip:" + client_ip(request)


@dataclass(frozen=True)
class Refusal:
    limit: Limit
    retry_after: int


def consume(request: HttpRequest, name: str) -> Refusal | None:
    """Count one use of the limit ``name``; a :class:`Refusal` when the limit is used up."""
    limit = LIMITS[name]
    if not getattr(settings, "RATELIMIT_ENABLE", True) or request.method not in WRITE_METHODS:
        return None  # before the key: it may load the signed-in user
    value = _key_value(limit, request)
    cache = caches[settings.RATELIMIT_USE_CACHE]
    if callable(getattr(cache, "count", None)):  # the database cache: one statement per write
        return _count_in_one_statement(cache, limit, value)
    usage = get_usage(
        request,
        group=f"konzeptk.{limit.name}",
        key=lambda _group, _request: value,
        rate=limit.effective_rate(),
        method=list(WRITE_METHODS),
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return Refusal(limit=limit, retry_after=max(1, int(usage["time_left"])))


def _count_in_one_statement(cache: Any, limit: Limit, value: str) -> Refusal | None:
    """django-ratelimit's count (the same key, window and expiry as ``get_usage``) by the shared database
    cache's ``count`` – one statement where ``add`` and ``incr`` take three."""
    from django_ratelimit import core

    rate = limit.effective_rate()
    allowed, period = core._split_rate(rate)
    window = core._get_window(value, period)
    key = core._make_cache_key(f"konzeptk.{limit.name}", window, rate, value, list(WRITE_METHODS))
    if cache.count(key, period + core.EXPIRATION_FUDGE) <= allowed:
        return None
    return Refusal(limit=limit, retry_after=max(1, window - int(time.time())))


def too_many_requests(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The 429 answer: a German page, or the JSON error of the API the path belongs to."""
    from konzeptk.core.errors import error_response

    message = _(
        "Sie haben dies in kurzer Zeit zu oft getan. Bitte warten Sie etwas und versuchen Sie es dann erneut."
    )
    response = error_response(request, status=429, code="rate_limited", message=message)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def handler429(request: HttpRequest) -> HttpResponse:
    """allauth's 429 (``ROOT_URLCONF.handler429``): the same answer as the platform's own limits."""
    return too_many_requests(request, Refusal(limit=LIMITS["write"], retry_after=60))


View = TypeVar("View", bound=Callable[..., Any])


def limit(name: str) -> Callable[[View], View]:
    """Decorate a view (or a django-ninja operation) so its writes count against limit ``name``."""
    if name not in LIMITS:
        raise KeyError(f"unknown rate limit {name!r}")

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            refusal = consume(request, name)
            if refusal is not None:
                return too_many_requests(request, refusal)
            return view(request, *args, **kwargs)

        wrapped.konzeptk_rate_limit = name  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorate


# --- allauth -------------------------------------------------------------------------------


def use_shared_cache_for_allauth() -> None:
    """Keep allauth's counters (login, sign-up, password reset) in the shared cache too.

    allauth counts in ``django.core.cache.cache``, the "default" alias, which stays a fast cache
    local to each process in the embedded default. Its rate-limit module is pointed at the shared
    alias instead; ``core/tests/test_ratelimits_processes.py`` proves it with two processes.
    """
    from allauth.core.internal import ratelimit as allauth_ratelimit
    from django.core.cache import caches
    from django.utils.connection import ConnectionProxy

    allauth_ratelimit.cache = ConnectionProxy(caches, settings.RATELIMIT_USE_CACHE)
