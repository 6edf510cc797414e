from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from konzeptk.accounts import erasure_registry as erasure
from konzeptk.accounts import export_registry as export
from konzeptk.accounts import services
from konzeptk.accounts.models import Consent, Membership, User
from konzeptk.accounts.tests.factories import (
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_consent_withdraw_and_give_again_creates_a_new_record():
    user = UserFactory()
    first = services.consent_give(user=user, purpose=Consent.Purpose.NOTIFICATIONS)
    assert services.consent_give(user=user, purpose=Consent.Purpose.NOTIFICATIONS) == first
    withdrawn = services.consent_withdraw(user=user, purpose=Consent.Purpose.NOTIFICATIONS)
    assert withdrawn is not None
    assert withdrawn.withdrawn_at is not None
    assert services.consent_withdraw(user=user, purpose=Consent.Purpose.NOTIFICATIONS) is None
    second = services.consent_give(user=user, purpose=Consent.Purpose.NOTIFICATIONS)
    assert second.pk != first.pk
    assert list(user.consents.order_by("pk").values_list("withdrawn_at", flat=True))[1] is None
    assert user.consents.count() == 2


def test_consent_for_an_unknown_purpose_is_refused():
    with pytest.raises(ValidationError):
        services.consent_give(user=UserFactory(), purpose="marketing")


def test_user_erase_anonymises_and_keeps_the_row():
    user = UserFactory(email="aylin@beispiel.invalid", display_name="Aylin")
    ConsentFactory(user=user)
    MembershipFactory(user=user)
    services.user_erase(user=user)
    user.refresh_from_db()
    assert user.email == f"deleted-{user.pk}@invalid"
    assert user.display_name == ""
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.anonymised_at is not None
    assert user.public_name == "Gelöschtes Konto"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Consent.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not User.objects.filter(email="aylin@beispiel.invalid").exists()


def test_two_erased_accounts_do_not_collide():
    first, second = UserFactory(), UserFactory()
    services.user_erase(user=first)
    services.user_erase(user=second)
    assert User.objects.filter(anonymised_at__isnull=False).count() == 2


def test_erasers_of_other_apps_run_and_a_failing_one_changes_nothing():
    seen = []
    erasure.register_eraser("test.record", lambda user: seen.append(user.email))
    try:
        user = UserFactory(email="hook@beispiel.invalid")
        services.user_erase(user=user)
        assert seen == ["hook@beispiel.invalid"]

        def broken(user):
            raise RuntimeError("eraser failed")

        erasure.register_eraser("test.zz_broken", broken)
        other = UserFactory(email="stays@beispiel.invalid")
        with pytest.raises(RuntimeError):
            services.user_erase(user=other)
        other.refresh_from_db()
        assert other.email == "stays@beispiel.invalid"
        assert other.is_active
        assert EmailAddress.objects.filter(user=other).exists()
    finally:
        erasure._erasers.pop("test.record", None)
        erasure._erasers.pop("test.zz_broken", None)


def test_export_collects_registered_sections():
    user = UserFactory(display_name="Aylin")
    ConsentFactory(user=user)
    MembershipFactory(user=user, role="editor")
    export.register_export_section("test.extra", lambda u: {"answer": u.pk})
    try:
        document = export.collect_export(user)
    finally:
        export._sections.pop("test.extra", None)
    sections = document["sections"]
    assert sections["accounts.account"]["display_name"] == "Aylin"
    assert sections["accounts.email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]
    assert sections["accounts.memberships"][0]["role"] == "editor"
    assert sections["accounts.consents"][0]["purpose"] == "terms"
    assert sections["test.extra"] == {"answer": user.pk}


def test_membership_add_change_remove_and_last_admin_is_kept():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin")
    person = UserFactory(email="neu@beispiel.invalid")
    membership = services.membership_add(
        organisation=organisation, email="NEU@beispiel.invalid", role="editor"
    )
    assert membership.user == person
    with pytest.raises(ValidationError):
        services.membership_add(organisation=organisation, email="neu@beispiel.invalid", role="member")
    with pytest.raises(ValidationError):
        services.membership_add(organisation=organisation, email="niemand@beispiel.invalid", role="member")
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=admin, role="member")
    with pytest.raises(ValidationError):
        services.membership_remove(membership=admin)
    services.membership_change_role(membership=membership, role="admin")
    services.membership_remove(membership=admin)
    assert list(organisation.memberships.values_list("role", flat=True)) == ["admin"]
