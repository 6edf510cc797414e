"""Helpers for tests against a live server: requests at the same moment, and a signed-in HTTP client.

Used by the concurrency tests of the rooms (a burst of writers, a double click from several tabs)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def skip_without_real_connections() -> None:
    """Skip where the database is SQLite in memory: Django's live server then shares its one connection between
    all its threads, which is no concurrency at all. The same tests run on PostgreSQL (``make test``)."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite im Arbeitsspeicher: der Live-Server teilt eine Verbindung zwischen allen Threads")


@pytest.fixture(autouse=True)
def needs_real_connections() -> None:
    """Imported into a module of concurrency tests: :func:`skip_without_real_connections` for each of its tests."""
    skip_without_real_connections()


def at_once(count: int, work: Callable[[int], int]) -> list[int]:
    """Run ``work(i)`` for i in 0…count-1 in threads released together; the HTTP statuses in order."""
    barrier = threading.Barrier(count)
    statuses = [0] * count
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            statuses[i] = work(i)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return statuses


def signed_in_form(live_server: Any, user: Any, path: str) -> tuple[requests.Session, str]:
    """An HTTP client signed in as ``user`` (a session made on the server, its cookie sent) that has
    opened the form at ``path``: the client and the form's CSRF token."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    client = requests.Session()
    client.cookies.set(settings.SESSION_COOKIE_NAME, str(session.session_key))
    page = client.get(live_server.url + path, timeout=30)
    assert page.status_code == 200, (path, page.status_code)
    token = CSRF_FIELD.search(page.text)
    assert token, f"{path} has a form with a CSRF token"
    return client, token.group(1)
