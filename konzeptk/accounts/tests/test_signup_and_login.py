"""Registration, verification, login, logout, password reset — and every kind of bad input."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from konzeptk.accounts.models import Consent, User
from konzeptk.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "aylin@beispiel.invalid",
    "display_name": "Aylin aus Uerdingen",
    "password1": "Rheinbrücke-Uerdingen-1936",
    "password2": "Rheinbrücke-Uerdingen-1936",
    "accept_terms": "on",
}


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_records_person_unverified_address_and_terms_consent(client):
    response = client.post("/konto/signup/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    user = User.objects.get()
    assert user.email == "aylin@beispiel.invalid"
    assert user.display_name == "Aylin aus Uerdingen"
    assert not EmailAddress.objects.get(user=user).verified
    consent = Consent.objects.get(user=user)
    assert consent.purpose == Consent.Purpose.TERMS
    assert consent.withdrawn_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aylin@beispiel.invalid"]


def test_verification_link_confirms_and_logs_in(client):
    client.post("/konto/signup/", GOOD)
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "E-Mail-Adresse bestätigen" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get().verified
    assert client.get("/konto/").status_code == 200


def test_unverified_person_cannot_log_in(client):
    UserFactory(email="neu@beispiel.invalid", email_verified=False)
    response = client.post("/konto/login/", {"login": "neu@beispiel.invalid", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert client.get("/konto/").status_code == 302


def test_signup_without_consent_is_refused_and_writes_nothing(client):
    data = {**GOOD}
    del data["accept_terms"]
    response = client.post("/konto/signup/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bitte bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben." in page
    assert "Bitte prüfen Sie Ihre Angaben" in page
    assert User.objects.count() == 0
    assert EmailAddress.objects.count() == 0
    assert Consent.objects.count() == 0


def test_taken_email_shows_the_same_page_mails_the_owner_and_duplicates_nothing(client):
    owner = UserFactory(email="aylin@beispiel.invalid")
    response = client.post("/konto/signup/", {**GOOD, "email": "Aylin@Beispiel.invalid"})
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert User.objects.count() == 1
    assert EmailAddress.objects.filter(email__iexact="aylin@beispiel.invalid").count() == 1
    assert Consent.objects.count() == 0
    owner.refresh_from_db()
    assert owner.display_name != GOOD["display_name"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aylin@beispiel.invalid"]
    assert "/konto/password/reset/" in mail.outbox[0].body


@pytest.mark.parametrize("email", ["aylin", "aylin@", "@beispiel.invalid", "aylin beispiel@invalid", ""])
def test_malformed_email_gets_a_german_error_next_to_the_field(client, email):
    response = client.post("/konto/signup/", {**GOOD, "email": email})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_email_error"' in page
    assert 'aria-invalid="true"' in page
    assert "E-Mail-Adresse" in page
    assert ("gültige E-Mail-Adresse" in page) or ("Dieses Feld ist zwingend erforderlich." in page)
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kurz", "Dieses Passwort ist zu kurz."),
        ("12345678901", "Dieses Passwort ist komplett numerisch."),
        ("password123", "Dieses Passwort ist zu üblich."),
        ("aylin@beispiel.invalid", "Das Passwort ist zu ähnlich zu"),
    ],
)
def test_weak_password_gets_a_clear_german_message(client, password, message):
    response = client.post("/konto/signup/", {**GOOD, "password1": password, "password2": password})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'id="id_password1_error"' in page
    assert User.objects.count() == 0


def test_different_password_repetition_is_an_error(client):
    response = client.post("/konto/signup/", {**GOOD, "password2": "etwas-ganz-anderes-99"})
    assert response.status_code == 200
    assert User.objects.count() == 0


@pytest.mark.parametrize("key", ["falsch", "MQ:1abc:xyz", "a" * 80])
def test_wrong_verification_link_gets_a_clear_page(client, key):
    response = client.get(f"/konto/confirm-email/{key}/")
    assert response.status_code == 200
    assert "Der Bestätigungslink gilt nicht" in response.content.decode()
    response = client.post(f"/konto/confirm-email/{key}/")
    assert response.status_code in (200, 404)
    assert "<h1" in response.content.decode()


def test_forged_csrf_token_gets_the_styled_403_page_and_writes_nothing():
    client = Client(enforce_csrf_checks=True)
    client.get("/konto/signup/")
    response = client.post("/konto/signup/", {**GOOD, "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Das Formular ist abgelaufen" in page
    assert "Traceback" not in page
    assert User.objects.count() == 0


def test_failed_signup_half_way_leaves_nothing_behind(monkeypatch):
    from konzeptk.accounts import services

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "consent_give", broken)
    client = Client(raise_request_exception=False)
    response = client.post("/konto/signup/", GOOD)
    assert response.status_code == 500
    assert User.objects.count() == 0
    assert EmailAddress.objects.count() == 0
    assert Consent.objects.count() == 0


def test_login_and_logout(client):
    user = UserFactory()
    response = client.post("/konto/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    assert client.get("/konto/logout/").status_code == 200
    assert client.post("/konto/logout/").status_code == 302
    assert client.get("/konto/").status_code == 302


def test_wrong_password_gets_a_polite_german_error(client):
    user = UserFactory()
    response = client.post("/konto/login/", {"login": user.email, "password": "falsch-falsch"})
    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort stimmen nicht." in response.content.decode()


def test_login_is_rate_limited_after_five_failures(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post("/konto/login/", {"login": user.email, "password": "falsch-falsch"})
        assert "Zu viele fehlgeschlagene Anmeldeversuche" not in response.content.decode()
    response = client.post("/konto/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_flow(client):
    user = UserFactory()
    response = client.post("/konto/password/reset/", {"email": user.email})
    assert response.status_code == 302
    link = link_in(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    assert "Neues Passwort festlegen" in client.get(form_url).content.decode()
    new = "Seidenweberhaus-1976-neu"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_wrong_password_reset_link_gets_a_clear_page(client):
    UserFactory()
    response = client.get("/konto/password/reset/key/1-falsch/")
    assert response.status_code == 200
    assert "Der Link gilt nicht" in response.content.decode()


def test_inactive_account_cannot_log_in(client):
    user = UserFactory()
    user.is_active = False
    user.save()
    response = client.post("/konto/login/", {"login": user.email, "password": DEFAULT_PASSWORD}, follow=True)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_mails_speak_polite_german(client):
    client.post("/konto/signup/", GOOD)
    client.post("/konto/password/reset/", {"email": "niemand@beispiel.invalid"})
    confirmation, unknown = mail.outbox
    assert confirmation.subject == "[Konzept K] Bitte bestätigen Sie Ihre Registrierung"
    assert "Bitte bestätigen Sie Ihre Adresse mit diesem Link" in confirmation.body
    assert unknown.subject == "[Konzept K] Zu dieser Adresse gibt es kein Konto"
    for message in (confirmation, unknown):
        assert "Guten Tag," in message.body
        assert " du " not in message.body
        assert "Hello" not in message.body


def test_login_message_is_german(client):
    user = UserFactory()
    response = client.post("/konto/login/", {"login": user.email, "password": DEFAULT_PASSWORD}, follow=True)
    assert "Sie sind angemeldet." in response.content.decode()
