"""Participation's notifications through the room: per-kind e-mail choice, daily digest, phase
starts of followed processes (idempotent), unsubscribe link and headers in every mail."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from konzeptk.accounts.models import Membership
from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.notifications.digests import digests_send
from konzeptk.notifications.models import KindSetting, Notification, NotificationSetting
from konzeptk.participation import services
from konzeptk.participation.models import Phase, Process
from konzeptk.participation.notifications import phases_announce
from konzeptk.participation.tests.conftest import NOW, phases_around
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory

pytestmark = pytest.mark.usefixtures("frozen")

SETTINGS_URL = "/benachrichtigungen/einstellungen/"


@pytest.fixture
def process(city: Any) -> Process:
    p = ProcessFactory(slug="radverkehr", title="Radverkehr")
    phases_around(p, "idea_collection", "prioritisation")
    return p


def test_settings_page_lists_followed_processes_and_saves_choices(client: Client, process: Process) -> None:
    person = UserFactory()
    services.follow_set(user=person, process=process, on=True)
    client.force_login(person)
    html = client.get(SETTINGS_URL).content.decode()
    assert "Radverkehr" in html  # participation's section: the followed process is listed
    assert "neue Phasen in Prozessen, denen ich folge" in html  # its kinds, with their labels
    response = client.post(SETTINGS_URL, {"email_frequency": "weekly"})
    assert response.status_code == 400
    response = client.post(SETTINGS_URL, {"email_frequency": "daily", "art_status": "never"})
    assert response.status_code == 302
    setting = NotificationSetting.objects.get(user=person)
    assert setting.email_frequency == "daily"
    assert dict(KindSetting.objects.filter(user=person).values_list("kind", "frequency")) == {
        "status": "never"
    }
    client.logout()
    assert client.get(SETTINGS_URL).status_code == 302


def test_kinds_switched_off_are_not_mailed_but_stay_in_the_inbox(
    process: Process, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory()
    KindSetting.objects.create(user=person, kind="reply", frequency="never")
    idea = IdeaFactory(process=process)
    services.follow_set(user=person, idea=idea, on=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(idea=idea, author=UserFactory(), text="Ein Kommentar")
    assert not [m for m in mail.outbox if person.email in m.to]
    assert Notification.objects.filter(recipient=person, kind="reply").count() == 1


def test_daily_digest_collects_once_and_has_the_unsubscribe_link(
    process: Process, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    reader = UserFactory()
    NotificationSetting.objects.create(user=reader, email_frequency="daily")
    idea = IdeaFactory(process=process, title="Fahrradstraße")
    services.follow_set(user=reader, idea=idea, on=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(idea=idea, author=UserFactory(), text="Erster")
        services.comment_create(idea=idea, author=UserFactory(), text="Zweiter")
    assert not [m for m in mail.outbox if reader.email in m.to]  # nothing immediately
    mail.outbox.clear()
    call_command("send_digests", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[reader.email]]
    body = mail.outbox[0].body
    assert "Erster" in body
    assert "Zweiter" in body
    assert "Keine E-Mails mehr erhalten: http" in body
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digests_send() == 0  # idempotent: nothing new, nothing sent
    assert len(mail.outbox) == 1
    # the digest run does a bounded number of queries per reader, not per notification
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(30):
            services.comment_create(idea=idea, author=UserFactory(), text=f"Mehr {i}")
    with django_assert_max_num_queries(12):
        assert digests_send() == 1


def test_a_daily_kind_goes_to_the_digest_while_the_rest_comes_at_once(
    process: Process, django_capture_on_commit_callbacks: Any
) -> None:
    reader = UserFactory()
    KindSetting.objects.create(user=reader, kind="reply", frequency="daily")
    idea = IdeaFactory(process=process)
    services.follow_set(user=reader, idea=idea, on=True)
    editor = MembershipFactory(organisation=process.organiser, role=Membership.Role.EDITOR).user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(idea=idea, author=UserFactory(), text="Kommt morgen")
        services.idea_answer(idea=idea, by=editor, status="accepted", answer="Gut")
    to_reader = [m for m in mail.outbox if m.to == [reader.email]]
    assert [m.subject for m in to_reader] == [f"Neuer Stand zu Ihrer Idee „{idea.title}“"]  # at once
    assert "Kommt morgen" not in to_reader[0].body
    mail.outbox.clear()
    call_command("send_digests", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "Kommt morgen" in mail.outbox[0].body
    assert "Gut" not in mail.outbox[0].body  # mailed already, not again


def test_phase_start_is_announced_to_process_followers_exactly_once(
    city: Any, frozen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    process = ProcessFactory(slug="radverkehr", title="Radverkehr")
    phases_around(process, "idea_collection", "prioritisation", start=NOW - dt.timedelta(hours=2), days=10)
    follower = UserFactory()
    services.follow_set(user=follower, process=process, on=True)
    UserFactory()  # not following: hears nothing
    with django_capture_on_commit_callbacks(execute=True):
        first = phases_announce()
    assert [p.type for p in first] == ["idea_collection"]
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "Sie können Ideen einreichen" in mail.outbox[0].body
    assert "Neue Phase in „Radverkehr“: Ideensammlung" in mail.outbox[0].subject
    assert "/benachrichtigungen/abbestellen/" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith("<http://")
    with django_capture_on_commit_callbacks(execute=True):
        assert phases_announce() == []  # second run: nothing again
    # ten days later the prioritisation phase has started
    frozen.move_to(NOW + dt.timedelta(days=10, hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_phases", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert "Priorisierung" in mail.outbox[1].subject
    assert Notification.objects.filter(recipient=follower, kind="phase").count() == 2
    assert not Phase.objects.filter(announced_at=None, start__lte=NOW + dt.timedelta(days=10)).exists()


def test_old_phases_are_not_announced_late(city: Any, django_capture_on_commit_callbacks: Any) -> None:
    process = ProcessFactory()
    phases_around(process, "idea_collection", start=NOW - dt.timedelta(days=15), days=30)
    services.follow_set(user=UserFactory(), process=process, on=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert phases_announce() == []
    assert not mail.outbox
    assert not Phase.objects.filter(announced_at=None).exists()


def test_follow_a_process_page(client: Client, process: Process) -> None:
    person = UserFactory()
    client.force_login(person)
    url = f"/beteiligung/{process.slug}/folgen/"
    client.post(url, {"on": "1"})
    client.post(url, {"on": "1"})  # twice: still one follow
    assert "Nicht mehr folgen" in client.get(process.get_absolute_url()).content.decode()
    client.post(url, {"on": "0"})
    assert "Diesem Prozess folgen" in client.get(process.get_absolute_url()).content.decode()
