"""Bookings come in bursts (a course announced in the newspaper): 200 people with their own browsers
book a course with 20 places at the same moment against a live server. Exactly 20 get a place, 180
go on the waiting list in the order they arrived, and nobody sees an error. One person clicking
"anmelden" in several tabs at once gets one booking."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import reverse

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.tests import live
from konzeptk.education.booking_selectors import waiting_position
from konzeptk.education.models import Booking, Offer
from konzeptk.education.tests.booking_testdata import course

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 200
PLACES = 20
TABS = 6
#: requests the server works on at once (like a production server's worker threads, each with one
#: database connection); the others wait in the server, as behind gunicorn. PostgreSQL allows 100
#: connections on the shared test server.
SERVER_THREADS = 24


class BoundedServer(ThreadedWSGIServer):
    """The live server, answering at most SERVER_THREADS requests at the same time."""

    request_queue_size = 1024  # 200 browsers connect at the same moment (the default backlog is 10)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = threading.BoundedSemaphore(SERVER_THREADS)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self.slots:
            super().process_request_thread(request, client_address)


class BoundedLiveServerThread(LiveServerThread):
    server_class = BoundedServer


class Server:
    def __init__(self) -> None:
        self.thread = BoundedLiveServerThread("localhost", _StaticFilesHandler)
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://localhost:{self.thread.port}"


@pytest.fixture
def live_server_bounded(transactional_db: Any, settings: Any) -> Any:
    """A live server of its own (pytest-django's has no bound on its threads)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    server = Server()
    yield server
    server.thread.terminate()


needs_real_connections = live.needs_real_connections  # autouse: SQLite in memory is skipped


def _at_once(count: int, work: Callable[[int], int]) -> list[int]:
    barrier = threading.Barrier(count)
    statuses = [0] * count
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=120)
            statuses[i] = work(i)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures[:3]
    return statuses


def browser(base: str, user: User, form_url: str) -> tuple[requests.Session, str]:
    """A browser signed in as ``user`` that has opened the booking form (cookies and CSRF token)."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.headers["Connection"] = "close"  # no idle keep-alive connection holds a server thread
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    page = session.get(base + form_url, timeout=60, allow_redirects=False)
    assert page.status_code == 200, page.status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "the booking form has a CSRF token"
    return session, token.group(1)


def burst(server: Any, offer: Offer, people: int) -> tuple[list[int], list[requests.Session]]:
    """``people`` signed-in browsers send the booking form at the same moment; their statuses."""
    url = reverse("education:book", kwargs={"slug": offer.slug})
    browsers = [browser(server.url, UserFactory(), url) for _ in range(people)]

    def book(i: int) -> int:
        session, token = browsers[i]
        sent = session.post(
            server.url + url,
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": server.url + url},
            allow_redirects=False,
            timeout=120,
        )
        return sent.status_code

    return _at_once(people, book), [s for s, _t in browsers]


def check_arrival_order(offer: Offer) -> None:
    """Every booked person arrived before every waiting one; the positions follow the arrival."""
    booked = list(
        Booking.objects.filter(offer=offer, status=Booking.Status.BOOKED).order_by("queued_at", "pk")
    )
    waiting = list(
        Booking.objects.filter(offer=offer, status=Booking.Status.WAITING).order_by("queued_at", "pk")
    )
    assert max(b.queued_at for b in booked if b.queued_at) <= min(w.queued_at for w in waiting if w.queued_at)
    assert [waiting_position(w) for w in waiting] == list(range(1, len(waiting) + 1))


def test_200_people_booking_20_places_at_once(live_server_bounded: Any) -> None:
    offer = course(capacity=PLACES)
    statuses, _sessions = burst(live_server_bounded, offer, PEOPLE)
    assert statuses == [302] * PEOPLE  # each to their booking page: no error, no "bad input"
    offer.refresh_from_db()
    assert offer.seats_taken == PLACES
    assert Booking.objects.filter(offer=offer, status=Booking.Status.BOOKED).count() == PLACES
    assert Booking.objects.filter(offer=offer, status=Booking.Status.WAITING).count() == PEOPLE - PLACES
    check_arrival_order(offer)


def test_one_person_clicking_in_several_tabs_books_once(live_server_bounded: Any) -> None:
    offer = course(capacity=PLACES)
    url = reverse("education:book", kwargs={"slug": offer.slug})
    session, token = browser(live_server_bounded.url, UserFactory(), url)
    cookies = session.cookies.get_dict()

    def click(_: int) -> int:
        tab = requests.Session()
        tab.headers["Connection"] = "close"
        tab.cookies.update(cookies)
        sent = tab.post(
            live_server_bounded.url + url,
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": live_server_bounded.url + url},
            allow_redirects=False,
            timeout=60,
        )
        return sent.status_code

    statuses = _at_once(TABS, click)
    assert statuses == [302] * TABS
    assert Booking.objects.filter(offer=offer).count() == 1
    offer.refresh_from_db()
    assert offer.seats_taken == 1


def test_cancellations_during_a_burst_keep_the_count(live_server_bounded: Any) -> None:
    """While 40 people book 10 places, 5 of the first holders cancel: still exactly 10 booked, the
    waiting list moved up in order, the counter equals the booked rows."""
    offer = course(capacity=10)
    holders = [UserFactory() for _ in range(5)]
    from konzeptk.education.booking import booking_create

    held = [booking_create(offer=offer, name="x", email="", user=u).booking for u in holders]
    url = reverse("education:book", kwargs={"slug": offer.slug})
    browsers = [browser(live_server_bounded.url, UserFactory(), url) for _ in range(40)]
    holder_sessions = [
        browser(live_server_bounded.url, u, reverse("education:booking_cancel", kwargs={"token": b.token}))
        for u, b in zip(holders, held, strict=True)
    ]

    def act(i: int) -> int:
        if i < 40:
            session, token = browsers[i]
            target = url
        else:
            session, token = holder_sessions[i - 40]
            target = reverse("education:booking_cancel", kwargs={"token": held[i - 40].token})
        return session.post(
            live_server_bounded.url + target,
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": live_server_bounded.url + url},
            allow_redirects=False,
            timeout=120,
        ).status_code

    statuses = _at_once(45, act)
    assert statuses == [302] * 45
    offer.refresh_from_db()
    booked = Booking.objects.filter(offer=offer, status=Booking.Status.BOOKED).count()
    assert offer.seats_taken == booked == 10
    # 45 bookings, 5 of them cancelled: 40 left, 10 with a place, 30 waiting in order
    assert Booking.objects.filter(offer=offer, status=Booking.Status.CANCELLED).count() == 5
    assert Booking.objects.filter(offer=offer, status=Booking.Status.WAITING).count() == 30
    waiting = Booking.objects.filter(offer=offer, status=Booking.Status.WAITING).order_by("queued_at", "pk")
    assert [waiting_position(w) for w in waiting] == list(range(1, 31))
