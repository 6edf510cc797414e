"""The Django admin for people, organisations and consent records works and respects its limits."""

from __future__ import annotations

import pytest

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import ConsentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(administrator=True))
    return client


def test_admin_pages_render(admin_client):
    membership = MembershipFactory()
    consent = ConsentFactory()
    for path in [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{membership.user.pk}/change/",
        "/admin/accounts/organisation/",
        f"/admin/accounts/organisation/{membership.organisation.pk}/change/",
        "/admin/accounts/consent/",
        f"/admin/accounts/consent/{consent.pk}/change/",
        "/admin/accounts/user/?q=person",
    ]:
        assert admin_client.get(path).status_code == 200, path


def test_admin_creates_a_person_without_user_name(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "neu@beispiel.invalid",
            "password1": "Krefelder-Zoo-1938",
            "password2": "Krefelder-Zoo-1938",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="neu@beispiel.invalid").check_password("Krefelder-Zoo-1938")


def test_consent_records_cannot_be_added_changed_or_deleted_in_admin(admin_client):
    consent = ConsentFactory()
    assert admin_client.get("/admin/accounts/consent/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/accounts/consent/{consent.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
