"""Rate limits of writes, the body-size guard and the shared cache (issue 11, finding 4).

The limits across two real server processes are in test_ratelimits_processes.py.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import time
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from konzeptk.core import ratelimits


@pytest.fixture
def limits_on(settings: Any) -> Any:
    settings.RATELIMIT_ENABLE = True
    settings.KONZEPTK_RATE_LIMITS = {"write": "3/d"}
    return settings


@pytest.mark.django_db
def test_every_write_counts_against_the_general_budget_and_gets_a_german_429(
    client: Client, limits_on: Any
) -> None:
    statuses = [client.post("/i18n/setlang/", {"language": "de"}).status_code for _ in range(3)]
    assert 429 not in statuses
    refused = client.post("/i18n/setlang/", {"language": "de"})
    assert refused.status_code == 429
    assert "Bitte warten Sie etwas" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # reading is never limited, and a write with a named limit counts against that one
    assert client.get("/maengel/").status_code == 200
    assert client.post("/maengel/melden/", {}).status_code != 429


@pytest.mark.django_db
def test_a_refused_api_write_is_json(client: Client, limits_on: Any) -> None:
    for _ in range(3):
        client.post("/api/v1/city/layers", {})
    refused = client.post("/api/v1/city/layers", {})
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["code"] == "rate_limited"


@pytest.mark.django_db
def test_people_have_budgets_of_their_own(limits_on: Any) -> None:
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(3):
        first.post("/i18n/setlang/", {"language": "de"})
    assert first.post("/i18n/setlang/", {"language": "de"}).status_code == 429
    assert second.post("/i18n/setlang/", {"language": "de"}).status_code != 429


@pytest.mark.django_db
def test_token_ingestion_counts_against_its_own_budget(client: Client, limits_on: Any) -> None:
    for _ in range(4):
        client.post("/i18n/setlang/", {"language": "de"})  # the person's budget is used up
    answer = client.post(
        "/sta/v1.1/Things", "{}", content_type="application/json", HTTP_AUTHORIZATION="Bearer x"
    )
    assert answer.status_code != 429


def test_every_named_limit_has_a_valid_rate() -> None:
    from django_ratelimit.core import _split_rate

    assert {"write", "ingest", "report_support", "report_follow", "invitation"} <= set(ratelimits.LIMITS)
    for limit in ratelimits.LIMITS.values():
        count, seconds = _split_rate(limit.rate)
        assert count > 0
        assert seconds > 0


def test_an_unknown_limit_name_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        ratelimits.limit("gibt-es-nicht")


@pytest.mark.django_db
def test_the_shared_database_cache_counts_exactly_and_keeps_the_expiry() -> None:
    cache = caches["shared"]
    assert cache.add("zaehler", 1, 3600)
    for _ in range(9):
        cache.incr("zaehler")
    assert cache.get("zaehler") == 10
    cache.touch("zaehler", 3600)
    # Django's own incr would have re-set the entry with the default timeout of 300 s
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM konzeptk_shared_cache WHERE cache_key LIKE %s", ["%zaehler"])
        (expires,) = cursor.fetchone()
    cache.incr("zaehler")
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM konzeptk_shared_cache WHERE cache_key LIKE %s", ["%zaehler"])
        assert cursor.fetchone()[0] == expires
    with pytest.raises(ValueError):
        cache.incr("gibt-es-nicht")


# --- body size ---------------------------------------------------------------------------------


def _raw_post(url: str, path: str, announced: int) -> tuple[str, float]:
    """Announce ``announced`` bytes, send 10, and read the answer without sending more."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Content-Type: application/octet-stream\r\n"
                f"Content-Length: {announced}\r\nConnection: close\r\n\r\n"
            ).encode()
            + b"0123456789"
        )
        # read one whole answer (headers and as many bytes as its Content-Length says); the test
        # server may keep the connection open afterwards to drain the body nobody sends
        received = b""
        while b"\r\n\r\n" not in received:
            received += conn.recv(65536)
        head, _sep, body = received.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
        while len(body) < length:
            body += conn.recv(65536)
    return (head + b"\r\n\r\n" + body).decode("utf-8", "replace"), time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_a_body_over_the_limit_is_refused_from_its_content_length(live_server: Any) -> None:
    # The socket timeout of 10 s is the bound: a server that waited for the 60 MB would never answer.
    page, _seconds = _raw_post(live_server.url, "/maengel/melden/", 60 * 1024 * 1024)
    assert page.startswith("HTTP/1.1 413")
    assert "größer als 32 MB" in page
    api, _seconds = _raw_post(live_server.url, "/api/v1/city/layers", 60 * 1024 * 1024)
    assert api.startswith("HTTP/1.1 413")
    assert '"code": "too_large"' in api


@pytest.mark.django_db
def test_a_body_under_the_limit_passes_and_a_broken_length_is_a_400(client: Client) -> None:
    assert client.post("/maengel/melden/", {}).status_code != 413
    assert client.post("/maengel/melden/", {}, CONTENT_LENGTH="zwölf").status_code == 400


def test_the_guards_sit_where_they_work() -> None:
    from django.conf import settings

    middleware = list(settings.MIDDLEWARE)
    assert middleware[0] == "konzeptk.core.middleware.BodySizeLimitMiddleware"
    write = middleware.index("konzeptk.core.middleware.WriteLimitMiddleware")
    assert write < middleware.index("django.middleware.csrf.CsrfViewMiddleware")
    assert (
        settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
        != "django.core.cache.backends.locmem.LocMemCache"
    )


@pytest.mark.parametrize(
    ("view", "name"),
    [
        ("konzeptk.participation.views.idea_create", "idea"),
        ("konzeptk.participation.views.idea_support", "support"),
        ("konzeptk.participation.views.comment_create", "comment"),
        ("konzeptk.ballots.views.ballot", "support"),
        ("konzeptk.surveys.views.survey", "survey_answer"),
        ("konzeptk.accounts.verification.views.verification", "verification_code"),
        ("konzeptk.servicedesk.views.report_new", "report"),
        ("konzeptk.servicedesk.views.report_support", "report_support"),
        ("konzeptk.servicedesk.views.report_follow_add", "report_follow"),
        ("konzeptk.servicedesk.open311.requests", "open311_report"),
        ("konzeptk.core.views.accessibility", "feedback"),
        ("konzeptk.accounts.views.membership_add", "invitation"),
    ],
)
def test_writes_strangers_could_abuse_have_their_own_limit(view: str, name: str) -> None:
    from django.utils.module_loading import import_string

    function = import_string(view)
    names = set()
    while function is not None:
        if hasattr(function, "konzeptk_rate_limit"):
            names.add(function.konzeptk_rate_limit)
        function = getattr(function, "__wrapped__", None)
    assert name in names


@pytest.mark.django_db
def test_the_shared_database_cache_adds_only_new_or_expired_keys() -> None:
    from django.db import connection

    cache = caches["shared"]
    assert cache.add("neu", 1, 60)
    assert not cache.add("neu", 2, 60)
    assert cache.get("neu") == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE konzeptk_shared_cache SET expires = %s WHERE cache_key LIKE %s",
            [connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(minutes=1)), "%neu"],
        )
    assert cache.get("neu") is None
    cache.set("alt", 5, 60)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE konzeptk_shared_cache SET expires = %s WHERE cache_key LIKE %s",
            [connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(minutes=1)), "%alt"],
        )
    assert cache.add("alt", 7, 60)  # an expired entry is replaced
    assert cache.get("alt") == 7
    assert cache.add("ewig", 1, None)
    assert cache.get("ewig") == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_all_count() -> None:
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    cache = caches["shared"]
    cache.add("gleichzeitig", 0, 600)
    errors: list[BaseException] = []

    def count() -> None:
        try:
            for _ in range(25):
                caches["shared"].incr("gleichzeitig")
        except BaseException as exc:  # pragma: no cover – reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert cache.get("gleichzeitig") == 200
    cache.delete("gleichzeitig")


@pytest.mark.django_db(transaction=True)
def test_the_database_counter_counts_in_one_statement_and_starts_again_when_expired(
    django_assert_num_queries: Any,
) -> None:
    import threading

    from django.db import connection

    cache = caches["shared"]
    assert cache.add("zaehlwerk", 5, 60)  # a pickled entry of add/incr under the same name is not read
    with django_assert_num_queries(1):
        assert cache.count("zaehlwerk", 60) == 1
    assert [cache.count("zaehlwerk", 60) for _ in range(3)] == [2, 3, 4]
    assert cache.get("zaehlwerk") == 5
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM konzeptk_shared_cache WHERE cache_key LIKE %s", ["%count:zaehlwerk"]
        )
        (expires,) = cursor.fetchone()
        assert cache.count("zaehlwerk", 3600) == 5  # a live counter keeps its expiry
        cursor.execute(
            "SELECT expires FROM konzeptk_shared_cache WHERE cache_key LIKE %s", ["%count:zaehlwerk"]
        )
        assert cursor.fetchone()[0] == expires
        cursor.execute(
            "UPDATE konzeptk_shared_cache SET expires = %s WHERE cache_key LIKE %s",
            [connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(seconds=1)), "%count:%"],
        )
    assert cache.count("zaehlwerk", 60) == 1
    if connection.vendor == "sqlite":
        return  # SQLite serialises writers; the race needs PostgreSQL
    errors: list[BaseException] = []

    def count() -> None:
        try:
            for _ in range(25):
                caches["shared"].count("gleichzeitig-gezaehlt", 600)
        except BaseException as exc:  # pragma: no cover – reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert cache.count("gleichzeitig-gezaehlt", 600) == 201


@pytest.mark.django_db
def test_a_write_costs_the_database_one_statement_of_counting(
    client: Client, limits_on: Any, django_assert_num_queries: Any
) -> None:
    limits_on.KONZEPTK_RATE_LIMITS = {"write": "2/d"}
    for _ in range(2):
        with django_assert_num_queries(1):  # setlang itself reads and writes nothing
            assert client.post("/i18n/setlang/", {"language": "de"}).status_code == 302
    assert client.post("/i18n/setlang/", {"language": "de"}).status_code == 429


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_budget(limits_on: Any) -> None:
    limits_on.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = Client(HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    second = Client(HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    for _ in range(3):
        first.post("/i18n/setlang/", {"language": "de"})
    assert first.post("/i18n/setlang/", {"language": "de"}).status_code == 429
    assert second.post("/i18n/setlang/", {"language": "de"}).status_code != 429
