"""factory_boy factories for people, organisations and memberships (other apps import them)."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from konzeptk.accounts.models import Consent, Membership, Organisation, User

DEFAULT_PASSWORD = "Krefeld-Seidenstadt-2035"


class UserFactory(factory.django.DjangoModelFactory):
    """An active person with a verified primary e-mail address and the password DEFAULT_PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@beispiel.invalid")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    platform_role = User.PlatformRole.RESIDENT
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(platform_role=User.PlatformRole.STAFF, is_staff=True)
        administrator = factory.Trait(
            platform_role=User.PlatformRole.ADMINISTRATOR, is_staff=True, is_superuser=True
        )

    @factory.post_generation
    def email_verified(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Pass email_verified=False for a person who has not confirmed the address yet."""
        if not create:
            return
        EmailAddress.objects.create(
            user=obj, email=obj.email, primary=True, verified=extracted if extracted is not None else True
        )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Beispielorganisation {n}")
    short_name = factory.Sequence(lambda n: f"Org {n}")
    kind = Organisation.Kind.CITY
    is_core_team = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    purpose = Consent.Purpose.TERMS
