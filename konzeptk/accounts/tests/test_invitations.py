"""Organisation members are invited and accept (issue 11, finding 4).

Found: an organisation admin adding a member learned whether an e-mail address had an account, and
the person was added without being asked.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from konzeptk.accounts.models import Invitation, Membership
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD = "/konto/organisationen/swk/mitglieder/neu/"


@pytest.fixture
def org() -> Any:
    return OrganisationFactory(slug="swk", name="Stadtwerke Krefeld AG (SWK)")


@pytest.fixture
def admin_client(org: Any) -> Client:
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=org, role="admin")
    client = Client()
    client.force_login(admin)
    return client


def _invite(client: Client, email: str, capture: Any, role: str = "editor") -> str:
    with capture(execute=True):
        answer = client.post(ADD, {"email": email, "role": role}, follow=True)
    assert answer.status_code == 200
    return answer.content.decode()


def _strip_address(page: str, email: str) -> str:
    page = page.replace(email, "ADRESSE")
    page = re.sub(r"/einladungen/\d+/", "/einladungen/N/", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_answer_is_the_same_whether_an_account_exists(
    admin_client: Client, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(email="hat-konto@beispiel.invalid")
    mail.outbox.clear()
    with_account = _invite(admin_client, "hat-konto@beispiel.invalid", django_capture_on_commit_callbacks)
    Invitation.objects.all().delete()
    without = _invite(admin_client, "niemand@beispiel.invalid", django_capture_on_commit_callbacks)
    assert "Wir haben eine Einladung an hat-konto@beispiel.invalid geschickt, falls" in with_account
    assert "Wir haben eine Einladung an niemand@beispiel.invalid geschickt, falls" in without
    assert _strip_address(with_account, "hat-konto@beispiel.invalid") == _strip_address(
        without, "niemand@beispiel.invalid"
    )
    # one mail each, only to the invited address; nobody became a member
    assert [m.to for m in mail.outbox] == [["hat-konto@beispiel.invalid"], ["niemand@beispiel.invalid"]]
    assert Membership.objects.filter(organisation=org).count() == 1


def test_the_invitee_sees_the_invitation_and_accepts(
    admin_client: Client, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory(email="neu@beispiel.invalid")
    mail.outbox.clear()
    _invite(admin_client, "neu@beispiel.invalid", django_capture_on_commit_callbacks)
    link = re.search(r"http://[^/]+(/konto/einladungen/[^/\s]+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]

    # signed out: the login first
    assert Client().get(link).status_code == 302

    invitee = Client()
    invitee.force_login(person)
    page = invitee.get(link)
    assert page.status_code == 200
    assert "Stadtwerke Krefeld" in page.content.decode()
    assert "Einladung annehmen" in page.content.decode()
    assert not Membership.objects.filter(user=person).exists()  # a GET never writes

    assert invitee.post(link).status_code == 302
    membership = Membership.objects.get(user=person, organisation=org)
    assert membership.role == "editor"
    # the link is used up
    assert invitee.get(link).status_code == 404


def test_someone_else_holding_the_link_cannot_accept(
    admin_client: Client, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(admin_client, "eingeladen@beispiel.invalid", django_capture_on_commit_callbacks)
    token = Invitation.objects.get().token
    stranger = UserFactory(email="fremd@beispiel.invalid")
    client = Client()
    client.force_login(stranger)
    page = client.get(f"/konto/einladungen/{token}/").content.decode()
    assert "Einladung annehmen" not in page
    client.post(f"/konto/einladungen/{token}/")
    assert not Membership.objects.filter(user=stranger).exists()


def test_invitations_expire_and_can_be_withdrawn(
    admin_client: Client, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory(email="neu@beispiel.invalid")
    invitee = Client()
    invitee.force_login(person)

    _invite(admin_client, "neu@beispiel.invalid", django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert (
        "neu@beispiel.invalid als Redakteur:in"
        in admin_client.get("/konto/organisationen/swk/").content.decode()
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = invitee.post(f"/konto/einladungen/{invitation.token}/")
    assert expired.status_code == 404
    assert "gilt nicht mehr" in expired.content.decode()

    Invitation.objects.all().delete()
    _invite(admin_client, "neu@beispiel.invalid", django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    withdrawn = admin_client.post(f"/konto/organisationen/swk/einladungen/{invitation.pk}/zurueckziehen/")
    assert withdrawn.status_code == 302
    assert invitee.post(f"/konto/einladungen/{invitation.token}/").status_code == 404
    assert not Membership.objects.filter(user=person).exists()


def test_only_admins_withdraw(
    org: Any, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(admin_client, "neu@beispiel.invalid", django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    member = UserFactory()
    MembershipFactory(user=member, organisation=org, role="member")
    client = Client()
    client.force_login(member)
    assert (
        client.post(f"/konto/organisationen/swk/einladungen/{invitation.pk}/zurueckziehen/").status_code
        == 403
    )
    assert Invitation.objects.open().filter(pk=invitation.pk).exists()


def test_asking_again_within_the_hour_sends_no_second_mail(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    for _ in range(5):
        _invite(admin_client, "neu@beispiel.invalid", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert Invitation.objects.count() == 1


def test_invitations_are_rate_limited(admin_client: Client, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.KONZEPTK_RATE_LIMITS = {"invitation": "3/d"}
    for i in range(3):
        assert (
            admin_client.post(ADD, {"email": f"p{i}@beispiel.invalid", "role": "member"}).status_code == 302
        )
    refused = admin_client.post(ADD, {"email": "p9@beispiel.invalid", "role": "member"})
    assert refused.status_code == 429
    assert "Bitte warten Sie etwas" in refused.content.decode()
