import pytest
from allauth.account.models import EmailAddress

from konzeptk.accounts.tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_factory_makes_a_verified_person_who_can_log_in(client):
    user = UserFactory()
    assert EmailAddress.objects.get(user=user).verified
    assert user.check_password(DEFAULT_PASSWORD)
    response = client.post("/konto/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_membership_factory_links_person_and_organisation():
    membership = MembershipFactory(role="editor")
    assert membership.user.memberships.get().organisation == membership.organisation
