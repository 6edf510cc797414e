"""Organisation admins manage their members; everybody else gets a styled 403."""

from __future__ import annotations

import pytest
from django.test import Client

from konzeptk.accounts.models import Invitation, Membership
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(slug="swk", name="Stadtwerke Krefeld AG (SWK)")


def person_as(who, org):
    if who == "platform_administrator":
        return UserFactory(administrator=True)
    if who == "platform_staff":
        return UserFactory(staff=True)
    user = UserFactory()
    if who in ("member", "editor", "moderator", "admin"):
        MembershipFactory(user=user, organisation=org, role=who)
    return user


@pytest.mark.parametrize(
    ("who", "view", "manage"),
    [
        ("resident", 403, 403),
        ("member", 200, 403),
        ("editor", 200, 403),
        ("moderator", 200, 403),
        ("admin", 200, 302),
        ("platform_staff", 200, 403),
        ("platform_administrator", 200, 302),
    ],
)
def test_who_may_see_and_manage_members(client, org, who, view, manage):
    MembershipFactory(organisation=org, role="admin")
    UserFactory(email="neu@beispiel.invalid")
    client.force_login(person_as(who, org))
    response = client.get("/konto/organisationen/swk/")
    assert response.status_code == view
    if view == 403:
        assert "Kein Zugriff" in response.content.decode()
    response = client.post(
        "/konto/organisationen/swk/mitglieder/neu/", {"email": "neu@beispiel.invalid", "role": "editor"}
    )
    assert response.status_code == manage
    invited = Invitation.objects.filter(organisation=org, email="neu@beispiel.invalid").exists()
    assert invited is (manage == 302)
    # nobody becomes a member without accepting
    assert not Membership.objects.filter(organisation=org, user__email="neu@beispiel.invalid").exists()


def test_admin_adds_changes_and_removes_members(client, org):
    admin = person_as("admin", org)
    newcomer = UserFactory(email="neu@beispiel.invalid", display_name="Neue Person")
    client.force_login(admin)
    client.post(
        "/konto/organisationen/swk/mitglieder/neu/", {"email": "neu@beispiel.invalid", "role": "member"}
    )
    invitee = Client()
    invitee.force_login(newcomer)
    token = Invitation.objects.get(email="neu@beispiel.invalid").token
    assert invitee.post(f"/konto/einladungen/{token}/").status_code == 302
    membership = Membership.objects.get(user=newcomer)
    url = f"/konto/organisationen/swk/mitglieder/{membership.pk}/"
    assert client.post(url + "rolle/", {"role": "moderator"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "moderator"
    page = client.get("/konto/organisationen/swk/").content.decode()
    assert "Neue Person" in page
    assert "neu@beispiel.invalid" in page
    assert client.post(url + "entfernen/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "kein-e-mail", "role": "member"}, "gültige E-Mail-Adresse"),
        ({"email": "neu@beispiel.invalid", "role": "kaiser"}, "gültige Auswahl"),
    ],
)
def test_bad_member_input_gets_an_error_next_to_the_field(client, org, data, message):
    client.force_login(person_as("admin", org))
    UserFactory(email="neu@beispiel.invalid")
    response = client.post("/konto/organisationen/swk/mitglieder/neu/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Bitte prüfen Sie Ihre Angaben" in page
    assert Membership.objects.filter(organisation=org).count() == 1


def test_last_admin_cannot_demote_or_remove_themselves(client, org):
    admin = person_as("admin", org)
    client.force_login(admin)
    membership = Membership.objects.get(user=admin)
    response = client.post(f"/konto/organisationen/swk/mitglieder/{membership.pk}/rolle/", {"role": "member"})
    assert response.status_code == 400
    assert "mindestens eine Administrator:in" in response.content.decode()
    response = client.post(f"/konto/organisationen/swk/mitglieder/{membership.pk}/entfernen/")
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_membership_of_another_organisation_cannot_be_touched(client, org):
    client.force_login(person_as("admin", org))
    foreign = MembershipFactory(organisation=OrganisationFactory(slug="vhs"))
    response = client.post(f"/konto/organisationen/swk/mitglieder/{foreign.pk}/entfernen/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_unknown_organisation_is_404(client):
    client.force_login(UserFactory(administrator=True))
    assert client.get("/konto/organisationen/gibt-es-nicht/").status_code == 404


def test_member_page_query_count_does_not_grow(client, org, django_assert_max_num_queries):
    client.force_login(person_as("admin", org))
    for _ in range(15):
        MembershipFactory(organisation=org)
    with django_assert_max_num_queries(10):
        response = client.get("/konto/organisationen/swk/")
    assert response.content.decode().count("Rolle ändern") == 16


def test_organisation_list(client, org):
    member = person_as("member", org)
    OrganisationFactory(slug="vhs", name="VHS Krefeld")
    client.force_login(member)
    page = client.get("/konto/organisationen/").content.decode()
    assert "Stadtwerke Krefeld" in page
    assert "VHS Krefeld" not in page
    client.force_login(UserFactory(staff=True))
    page = client.get("/konto/organisationen/").content.decode()
    assert "Stadtwerke Krefeld" in page
    assert "VHS Krefeld" in page
