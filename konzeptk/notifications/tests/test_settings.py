"""Per-kind settings: the page, the service and what they mean for mails."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.notifications import services
from konzeptk.notifications.models import KindSetting, Mail, Notification, NotificationSetting

URL = "/benachrichtigungen/einstellungen/"


def test_the_page_saves_a_default_and_kinds_apart_from_it(client: Client, db: None) -> None:
    person = UserFactory()
    client.force_login(person)
    assert client.get(URL).status_code == 200
    assert not NotificationSetting.objects.exists()  # a GET never writes
    response = client.post(
        URL, {"email_frequency": "never", "art_reply": "immediate", "art_phase": "never", "art_status": ""}
    )
    assert response.status_code == 302
    assert NotificationSetting.objects.get(user=person).email_frequency == "never"
    # "never" equals the default: not stored apart; "" means "as the default"
    assert dict(KindSetting.objects.filter(user=person).values_list("kind", "frequency")) == {
        "reply": "immediate"
    }
    html = client.get(URL).content.decode()
    assert 'value="immediate" selected' in html  # the stored choice is shown again
    client.post(URL, {"email_frequency": "daily"})
    assert not KindSetting.objects.filter(user=person).exists()


def test_hostile_input_is_a_form_error_not_a_500(client: Client, db: None) -> None:
    client.force_login(UserFactory())
    for data in (
        {"email_frequency": "<script>"},
        {"email_frequency": "daily", "art_reply": "hourly"},
        {"email_frequency": "x" * 10_000},
        {},
    ):
        assert client.post(URL, data).status_code == 400
    assert not NotificationSetting.objects.exists()
    assert client.post(URL, {"email_frequency": "daily", "art_gibt_es_nicht": "never"}).status_code == 302
    assert not KindSetting.objects.exists()  # unknown kinds are ignored


def test_kind_choice_wins_over_the_default(db: None, django_capture_on_commit_callbacks: Any) -> None:
    quiet, loud = UserFactory(), UserFactory()
    services.settings_save(user=quiet, default="never", per_kind={"reply": "immediate"})
    services.settings_save(user=loud, default="immediate", per_kind={"reply": "never"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind="reply", subject="Antwort", body="Text", recipients=[quiet, loud])
        services.notify(kind="phase", subject="Phase", body="Text", recipients=[quiet, loud])
    assert sorted((m.subject, m.to[0]) for m in mail.outbox) == sorted(
        [("Antwort", quiet.email), ("Phase", loud.email)]
    )
    assert Notification.objects.count() == 4  # the inbox has everything
    assert Mail.objects.filter(status="sent").count() == 2


def test_unsubscribe_switches_every_kind_off(db: None, django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory()
    services.settings_save(user=person, default="daily", per_kind={"reply": "immediate"})
    services.emails_stop(user=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind="reply", subject="Antwort", body="Text", recipients=[person])
    assert not mail.outbox
