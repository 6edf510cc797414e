"""Subscriptions to the city's warnings: double opt-in (no mail beyond the confirmation before confirming),
the inbox for accounts, one-click unsubscribe (RFC 8058), hostile input, the rate limit, DSGVO."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from konzeptk.accounts.export_registry import collect_export
from konzeptk.accounts.services import user_erase
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.notifications.models import Mail
from konzeptk.resilience.models import Subscription
from konzeptk.resilience.tests.alerts_support import make_city, subscribe

pytestmark = pytest.mark.django_db
URL = "/warnungen/abonnieren/"


def _link(body: str, part: str) -> str:
    found = re.search(rf"https?://\S+{part}\S+/", body)
    assert found, body
    return "/" + found.group(0).split("/", 3)[3]


def test_an_address_gets_only_the_confirmation_until_it_confirms(client: Client) -> None:
    mitte, ost = make_city()
    answer = client.post(URL, {"email": "leser@beispiel.invalid", "districts": [mitte.pk], "language": "tr"})
    assert answer.status_code == 200
    assert "bestätigen" in answer.content.decode()
    sub = Subscription.objects.get()
    assert sub.confirmed_at is None
    assert sub.language == "tr"
    assert list(sub.districts.all()) == [mitte]
    assert [m.kind for m in Mail.objects.all()] == ["optin"]
    # the form again at once: the same answer, no second mail
    client.post(URL, {"email": "LESER@beispiel.invalid", "districts": [ost.pk], "language": "tr"})
    assert Mail.objects.count() == 1
    assert Subscription.objects.count() == 1
    confirm = _link(
        Mail.objects.order_by("pk").first().body,  # type: ignore[union-attr]
        "/bestaetigen/",
    )
    page = client.get(confirm)  # a GET shows the button and changes nothing
    assert page.status_code == 200
    sub.refresh_from_db()
    assert sub.confirmed_at is None
    assert client.post(confirm).status_code == 302
    sub.refresh_from_db()
    assert sub.confirmed_at is not None
    assert list(sub.districts.all()) == [ost]  # the pending subscription took the second choice


def test_one_click_unsubscribe_works_without_cookies_or_csrf(client: Client) -> None:
    make_city()
    sub = subscribe(email="leser@beispiel.invalid")
    mail_client = Client(enforce_csrf_checks=True)
    assert mail_client.get(f"/warnungen/abbestellen/{sub.token}/").status_code == 200
    assert Subscription.objects.filter(pk=sub.pk).exists()
    assert (
        mail_client.post(
            f"/warnungen/abbestellen/{sub.token}/", {"List-Unsubscribe": "One-Click"}
        ).status_code
        == 302
    )
    assert not Subscription.objects.filter(pk=sub.pk).exists()
    assert mail_client.post(f"/warnungen/abbestellen/{sub.token}/").status_code == 404


def test_a_signed_in_person_subscribes_the_inbox_at_once_and_can_stop(client: Client) -> None:
    mitte, _ost = make_city()
    person = UserFactory()
    client.force_login(person)
    assert client.post(URL, {"districts": [mitte.pk], "language": "uk"}).status_code == 302
    sub = Subscription.objects.get()
    assert sub.user == person
    assert sub.by_inbox
    assert sub.confirmed_at is not None
    assert not Mail.objects.exists()
    page = client.get(URL)
    assert "Mitte" in page.content.decode()
    assert client.post(f"/warnungen/abonnieren/{sub.pk}/beenden/").status_code == 302
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "keine-adresse", "language": "de"}, "email"),
        ({"email": "", "language": "de"}, "email"),
        ({"email": "a@beispiel.invalid", "language": "xx"}, "language"),
        ({"email": "a@beispiel.invalid", "language": "de", "districts": ["999999"]}, "districts"),
        ({"email": "a@beispiel.invalid", "language": "de", "districts": ["'; DROP TABLE x;--"]}, "districts"),
        ({"email": "a" * 300 + "@beispiel.invalid", "language": "de"}, "email"),
    ],
)
def test_bad_input_is_a_form_error(client: Client, data: dict[str, Any], field: str) -> None:
    make_city()
    answer = client.post(URL, data)
    assert answer.status_code == 400
    assert field in answer.context["form"].errors
    assert not Subscription.objects.exists()
    assert not Mail.objects.exists()


def test_bad_links_answer_404(client: Client) -> None:
    assert client.get("/warnungen/abonnieren/bestaetigen/falsch/").status_code == 404
    assert client.post("/warnungen/abonnieren/bestaetigen/falsch/").status_code == 404
    assert client.get("/warnungen/abbestellen/falsch/").status_code == 404


def test_anonymous_subscriptions_are_rate_limited(client: Client, settings: Any) -> None:
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    cache.clear()
    make_city()
    answers = [client.post(URL, {"email": f"a{i}@beispiel.invalid", "language": "de"}) for i in range(11)]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    refused = answers[10]
    assert refused.status_code == 429  # a clear page, not an error page
    assert "Bitte warten Sie etwas" in refused.content.decode()
    assert refused["Retry-After"].isdigit()
    assert Subscription.objects.count() == 10


def test_export_and_erasure_cover_the_subscriptions() -> None:
    mitte, _ost = make_city()
    person = UserFactory()
    subscribe(user=person, districts=[mitte])
    subscribe(email=person.email, language="pl")
    other = subscribe(email="andere@beispiel.invalid")
    data = collect_export(person)
    rows = data["sections"]["resilience.subscriptions"]
    assert {r["language"] for r in rows} == {"de", "pl"}
    assert rows[0]["districts"] == ["Mitte"]
    user_erase(user=person)
    assert list(Subscription.objects.all()) == [other]


def test_the_database_holds_one_subscription_per_address_and_per_inbox() -> None:
    make_city()
    subscribe(email="leser@beispiel.invalid", confirmed=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        subscribe(email="LESER@Beispiel.invalid", confirmed=False)  # the same address in another spelling
    person = UserFactory()
    subscribe(user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        subscribe(user=person)
    subscribe(user=person, email="leser2@beispiel.invalid")  # an address of the account is its own row
    assert Subscription.objects.count() == 3
