"""Profile, consents, data export, account deletion."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client

from konzeptk.accounts.models import Consent, User
from konzeptk.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(email="aylin@beispiel.invalid", display_name="Aylin")


@pytest.fixture
def logged_in(client, person):
    client.force_login(person)
    return client


@pytest.mark.parametrize("path", ["/konto/", "/konto/daten/", "/konto/loeschen/", "/konto/organisationen/"])
def test_account_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_profile_shows_email_organisations_and_consents(logged_in, person, django_assert_max_num_queries):
    for n in range(3):
        MembershipFactory(
            user=person, organisation=OrganisationFactory(name=f"Organisation {n}"), role="editor"
        )
        ConsentFactory(
            user=person, purpose=Consent.Purpose.NOTIFICATIONS, withdrawn_at=f"2025-01-0{n + 1}T10:00Z"
        )
    ConsentFactory(user=person, purpose=Consent.Purpose.TERMS)
    with django_assert_max_num_queries(12):
        page = logged_in.get("/konto/").content.decode()
    assert "aylin@beispiel.invalid" in page
    assert "Organisation 2" in page
    assert "Redakteur:in" in page
    assert page.count("widerrufen am") == 3
    assert page.count("<h1") == 1
    assert "/konto/daten/" in page
    assert "/konto/loeschen/" in page


def test_display_name_can_be_changed_and_is_validated(logged_in, person):
    response = logged_in.post("/konto/", {"display_name": "Aylin K."})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Aylin K."
    response = logged_in.post("/konto/", {"display_name": "x" * 81})
    assert response.status_code == 200
    assert 'id="id_display_name_error"' in response.content.decode()
    person.refresh_from_db()
    assert person.display_name == "Aylin K."


def test_withdraw_and_give_consent_again(logged_in, person):
    ConsentFactory(user=person, purpose=Consent.Purpose.TERMS)
    assert logged_in.post("/konto/einwilligungen/terms/widerrufen/").status_code == 302
    assert not person.consents.active().exists()
    page = logged_in.get("/konto/").content.decode()
    assert "/konto/einwilligungen/terms/erteilen/" in page
    assert logged_in.post("/konto/einwilligungen/terms/erteilen/").status_code == 302
    assert person.consents.count() == 2
    assert person.consents.active().count() == 1


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/konto/einwilligungen/terms/widerrufen/", 405),
        ("post", "/konto/einwilligungen/werbung/widerrufen/", 404),
        ("post", "/konto/einwilligungen/migration/erteilen/", 404),
    ],
)
def test_consent_urls_refuse_bad_requests(logged_in, method, path, status):
    assert getattr(logged_in, method)(path).status_code == status


def test_export_downloads_everything_as_a_zip_with_json(logged_in, person):
    ConsentFactory(user=person)
    MembershipFactory(user=person, organisation=OrganisationFactory(slug="swk"), role="admin")
    response = logged_in.get("/konto/daten/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    document = json.loads(archive.read("daten.json"))
    sections = document["sections"]
    assert sections["accounts.account"]["email"] == "aylin@beispiel.invalid"
    assert sections["accounts.memberships"][0]["organisation"] == "swk"
    assert sections["accounts.consents"][0]["purpose"] == "terms"
    assert "password" not in json.dumps(sections["accounts.account"]).replace("password_note", "").replace(
        "has_password", ""
    )


def test_delete_page_explains_before_confirmation(logged_in):
    page = logged_in.get("/konto/loeschen/").content.decode()
    assert "Ihre Texte, Orte und Bilder löschen wir" in page
    assert "Was ohne Bezug zu Ihnen bleibt" in page
    assert 'type="password"' in page


def test_delete_with_wrong_password_changes_nothing(logged_in, person):
    response = logged_in.post("/konto/loeschen/", {"password": "falsch"})
    assert response.status_code == 200
    assert "Das Passwort stimmt nicht." in response.content.decode()
    person.refresh_from_db()
    assert person.is_active
    assert person.anonymised_at is None


def test_delete_anonymises_and_logs_out(logged_in, person):
    MembershipFactory(user=person)
    response = logged_in.post("/konto/loeschen/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert not person.is_active
    assert person.email == f"deleted-{person.pk}@invalid"
    assert logged_in.get("/konto/").status_code == 302
    other = Client()
    response = other.post("/konto/login/", {"login": "aylin@beispiel.invalid", "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in other.session
    # The address is free again for a new registration.
    assert not User.objects.filter(email="aylin@beispiel.invalid").exists()


def test_deletion_ends_sessions_on_other_devices(person):
    laptop, phone = Client(), Client()
    laptop.force_login(person)
    phone.force_login(person)
    laptop.post("/konto/loeschen/", {"password": DEFAULT_PASSWORD})
    assert phone.get("/konto/").status_code == 302


def test_email_and_password_pages_render_in_german(logged_in):
    for path, heading in [
        ("/konto/email/", "E-Mail-Adressen"),
        ("/konto/password/change/", "Passwort ändern"),
    ]:
        response = logged_in.get(path)
        assert response.status_code == 200
        assert f'<h1 class="kern-heading-x-large">{heading}</h1>' in response.content.decode()
