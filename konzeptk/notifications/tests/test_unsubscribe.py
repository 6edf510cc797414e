"""One-click unsubscribe (RFC 8058) and the old addresses of the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.notifications import services
from konzeptk.notifications.mailing import unsubscribe_token
from konzeptk.notifications.models import Notification, NotificationSetting

pytestmark = pytest.mark.django_db


def _link_from_a_mail(person: Any, capture: Any) -> str:
    with capture(execute=True):
        services.notify(kind="reply", subject="Antwort", body="Text", recipients=[person])
    header = mail.outbox[-1].extra_headers["List-Unsubscribe"]
    assert header == f"<{mail.outbox[-1].body.split('Keine E-Mails mehr erhalten: ')[1].split()[0]}>"
    return header.strip("<>").replace("http://127.0.0.1:8000", "")


def test_the_mail_programs_post_unsubscribes_without_login_or_csrf_token(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = UserFactory()
    link = _link_from_a_mail(person, django_capture_on_commit_callbacks)
    stranger = Client(enforce_csrf_checks=True)  # a mail provider: no cookie, no token
    page = stranger.get(link)
    assert page.status_code == 200
    assert "Ja, keine E-Mails mehr" in page.content.decode()
    assert not NotificationSetting.objects.exists()  # the GET wrote nothing
    answer = stranger.post(link, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert NotificationSetting.objects.get(user=person).email_frequency == "never"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind="reply", subject="Noch eine", body="Text", recipients=[person])
    assert not mail.outbox
    assert Notification.objects.filter(recipient=person).count() == 2  # the inbox keeps everything


@pytest.mark.parametrize("token", ["kaputt", "1", unsubscribe_token(1)[:-3] + "abc", "x" * 3000, "%00"])
def test_a_broken_link_is_a_clear_400(client: Client, token: str) -> None:
    response = client.post(f"/benachrichtigungen/abbestellen/{token}/")
    assert response.status_code in (400, 404)
    assert not NotificationSetting.objects.exists()


def test_a_token_of_a_deleted_account_is_a_broken_link(client: Client) -> None:
    person = UserFactory()
    token = unsubscribe_token(person.pk)
    person.delete()
    assert client.post(f"/benachrichtigungen/abbestellen/{token}/").status_code == 400


def test_links_in_mails_sent_before_the_move_keep_working(client: Client) -> None:
    """Old tokens (the same signature) on the old path: 308 keeps the one-click POST a POST."""
    person = UserFactory()
    token = unsubscribe_token(person.pk)
    old = f"/beteiligung/abmelden/{token}/"
    moved = Client(enforce_csrf_checks=True).post(old)
    assert moved.status_code == 308
    assert moved["Location"] == f"/benachrichtigungen/abbestellen/{token}/"
    assert Client(enforce_csrf_checks=True).post(old, follow=True).status_code == 200
    assert NotificationSetting.objects.get(user=person).email_frequency == "never"
    assert client.get(old + "?x=1")["Location"].endswith("/?x=1")


def test_old_pages_answer_308_and_the_language_prefix_stays(client: Client) -> None:
    client.force_login(UserFactory())
    for old, new in (
        ("/beteiligung/benachrichtigungen/", "/benachrichtigungen/"),
        ("/beteiligung/benachrichtigungen/einstellungen/", "/benachrichtigungen/einstellungen/"),
        ("/en/beteiligung/benachrichtigungen/", "/en/benachrichtigungen/"),
    ):
        for method in (client.get, client.post):
            response = method(old)
            assert (response.status_code, response["Location"]) == (308, new), old
    assert client.get("/beteiligung/benachrichtigungen/", follow=True).status_code == 200
    stranger = Client().get("/beteiligung/benachrichtigungen/")
    assert stranger.status_code == 302
    assert "/konto/login/" in stranger["Location"]
