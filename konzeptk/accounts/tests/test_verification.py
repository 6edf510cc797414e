"""Resident verification: postcode (self-declared), code letter, in person at a Bürgerbüro; a process
decides which level each action needs and tells the person how to reach it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from konzeptk.accounts.models import CodeLetter, Level, User, Verification
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.accounts.verification import services
from konzeptk.accounts.verification.levels import user_level
from konzeptk.core.errors import DomainError
from konzeptk.participation import services as participation_services
from konzeptk.participation.models import Process, Support
from konzeptk.participation.tests.conftest import phases_around
from konzeptk.participation.tests.factories import IdeaFactory, ProcessFactory

pytestmark = pytest.mark.usefixtures("frozen")

URL = "/konto/verifizierung/"
STAFF_URL = "/konto/verwaltung/verifizierung/"


@pytest.fixture
def staff(db: None) -> Any:
    return UserFactory(platform_role=User.PlatformRole.STAFF)


@pytest.fixture
def strict_process(city: Any) -> Process:
    """Supports need a confirmed resident (code letter or Bürgerbüro)."""
    process = ProcessFactory(slug="buergerhaushalt", support_level=Level.VERIFIED)
    phases_around(process, "idea_collection")
    return process


def test_postcode_declares_residence_and_is_marked_self_declared(client: Client, city: Any) -> None:
    person = UserFactory()
    client.force_login(person)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"form": "postcode", "postcode": "10115"})
    assert response.status_code == 400
    assert "gehört nicht zu Krefeld" in response.content.decode()
    response = client.post(URL, {"form": "postcode", "postcode": "<script>"})
    assert response.status_code == 400
    assert "fünf Ziffern" in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert not Verification.objects.exists()
    response = client.post(URL, {"form": "postcode", "postcode": " 47798 "}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "selbst angegeben" in html
    assert user_level(User.objects.get(pk=person.pk)) == Level.RESIDENT


def test_resident_level_needs_a_confirmed_email_first(db: None, city: Any) -> None:
    person = UserFactory(email_verified=False)
    services.resident_declare(user=person, postcode="47798")
    assert user_level(User.objects.get(pk=person.pk)) == Level.ACCOUNT


def test_code_letter_confirms_once_and_locks_after_many_wrong_codes(city: Any, staff: Any) -> None:
    person = UserFactory()
    with pytest.raises(DomainError):
        services.code_letter_issue(staff=UserFactory(), user=person)
    _old, old_code = services.code_letter_issue(staff=staff, user=person)
    letter, code = services.code_letter_issue(staff=staff, user=person)
    assert len(code) == services.CODE_LENGTH
    assert code not in letter.code_hash  # only a keyed hash is stored
    with pytest.raises(ValidationError):
        services.code_letter_redeem(user=person, code=old_code)  # replaced by the new letter
    pretty = services.format_code(code).lower()  # dashes and lower case are fine
    verification = services.code_letter_redeem(user=person, code=pretty)
    assert verification.method == Verification.Method.LETTER
    assert verification.confirmed_by == staff
    assert verification.failed_code_attempts == 0
    assert user_level(User.objects.get(pk=person.pk)) == Level.VERIFIED
    with pytest.raises(DomainError, match="bereits"):
        services.code_letter_redeem(user=person, code=code)  # confirmed already
    Verification.objects.filter(user=person).update(verified_at=None)
    with pytest.raises(ValidationError, match="keinen gültigen Code-Brief"):
        services.code_letter_redeem(user=person, code=code)  # used up

    other = UserFactory()
    services.code_letter_issue(staff=staff, user=other)
    for _attempt in range(services.CODE_ATTEMPTS_MAX):
        with pytest.raises(ValidationError):
            services.code_letter_redeem(user=other, code="AAAA-AAAA-AAAA")
    _letter, right = services.code_letter_issue(staff=staff, user=other)
    with pytest.raises(DomainError, match="zu oft falsch"):
        services.code_letter_redeem(user=other, code=right)
    assert user_level(User.objects.get(pk=other.pk)) == Level.EMAIL


def test_staff_page_confirms_in_person_and_prints_a_code_letter(
    client: Client, city: Any, staff: Any, django_assert_max_num_queries: Any
) -> None:
    person = UserFactory(email="ayse@beispiel.invalid")
    client.force_login(UserFactory())
    assert client.get(STAFF_URL).status_code == 403
    client.force_login(staff)
    assert client.get(STAFF_URL).status_code == 200
    assert "kein Konto" in client.get(STAFF_URL, {"email": "niemand@beispiel.invalid"}).content.decode()
    html = client.get(STAFF_URL, {"email": "AYSE@beispiel.invalid"}).content.decode()
    assert person.public_name in html
    # the box "identity checked" is required
    response = client.post(STAFF_URL, {"action": "confirm", "user": person.pk})
    assert response.status_code == 400
    assert not Verification.objects.filter(user=person, verified_at__isnull=False).exists()
    response = client.post(STAFF_URL, {"action": "confirm", "user": person.pk, "identity_checked": "on"})
    assert response.status_code == 302
    record = Verification.objects.get(user=person)
    assert record.method == Verification.Method.IN_PERSON
    assert record.confirmed_by == staff
    # code letter: the code appears once on the printable page, the address is not stored
    other = UserFactory()
    response = client.post(
        STAFF_URL,
        {"action": "letter", "user": other.pk, "address": "Ayşe Y.\n<b>Ostwall 1</b>\n47798 Krefeld"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    match = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", html)
    assert match
    assert "&lt;b&gt;Ostwall 1&lt;/b&gt;" in html
    assert CodeLetter.objects.filter(user=other).count() == 1
    client.force_login(other)
    response = client.post(URL, {"form": "code", "code": match.group(0)})
    assert response.status_code == 302
    assert Verification.objects.get(user=other).method == Verification.Method.LETTER
    response = client.post(URL, {"form": "code", "code": "AAAA-BBBB-CCCC"}, follow=True)
    assert "bereits als Einwohner:in bestätigt" in response.content.decode()
    # the list of recent confirmations is paginated: queries do not grow with rows
    client.force_login(staff)
    with django_assert_max_num_queries(30) as few:
        client.get(STAFF_URL)
    for person in UserFactory.create_batch(30):
        services.resident_confirm(staff=staff, user=person, method=Verification.Method.IN_PERSON)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(STAFF_URL)


def test_denial_names_the_level_and_links_to_the_verification(
    client: Client, strict_process: Process, staff: Any
) -> None:
    idea = IdeaFactory(process=strict_process)
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("participation:idea_support", kwargs={"slug": strict_process.slug, "pk": idea.pk}),
        follow=True,
    )
    html = response.content.decode()
    assert "Code-Brief oder Besuch im Bürgerbüro" in html
    assert f'href="{URL}?next=' in html
    assert not Support.objects.exists()
    # self-declared residence is not enough for this process
    services.resident_declare(user=person, postcode="47798")
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Code-Brief oder Besuch im Bürgerbüro" in html
    services.resident_confirm(staff=staff, user=person, method=Verification.Method.IN_PERSON)
    client.post(reverse("participation:idea_support", kwargs={"slug": strict_process.slug, "pk": idea.pk}))
    assert Support.objects.filter(user=person, idea=idea).count() == 1


def test_unconfirmed_email_gets_the_email_link(client: Client, strict_process: Process) -> None:
    idea = IdeaFactory(process=strict_process)
    client.force_login(UserFactory(email_verified=False))
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse." in html
    assert f'href="{reverse("account_email")}"' in html


def test_verification_pages_need_login_and_survive_bad_input(client: Client, city: Any) -> None:
    assert client.get(URL).status_code == 302
    assert client.get(STAFF_URL).status_code == 302
    client.force_login(UserFactory())
    assert client.post(URL, {}).status_code == 400
    assert client.post(URL, {"form": "code", "code": "x" * 1_000_000}).status_code == 400
    response = client.post(URL, {"form": "postcode", "postcode": "47798", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == URL


def test_reserved_slugs_cannot_become_processes(city: Any) -> None:
    from konzeptk.accounts.tests.factories import OrganisationFactory

    with pytest.raises(ValidationError):
        participation_services.process_create(
            organiser=OrganisationFactory(), title="X", slug="verifizierung"
        )


@pytest.mark.parametrize(
    ("old", "new"),
    [("/beteiligung/verifizierung/", URL), ("/beteiligung/buergerbuero/", STAFF_URL)],
)
def test_old_paths_answer_308_and_keep_the_query_and_the_method(
    client: Client, city: Any, old: str, new: str
) -> None:
    response = client.get(old + "?email=ayse%40beispiel.invalid")
    assert response.status_code == 308
    assert response["Location"] == new + "?email=ayse%40beispiel.invalid"
    response = client.post(old, {"form": "postcode", "postcode": "47798"})
    assert response.status_code == 308  # a 308 repeats the POST at the new place
    assert response["Location"] == new
    assert client.get("/en" + old).headers["Location"] == "/en" + new
