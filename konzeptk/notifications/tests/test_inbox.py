"""The inbox: bounded queries whatever its size, paging, marking read, the account page link."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.notifications.models import Notification

pytestmark = pytest.mark.django_db

URL = "/benachrichtigungen/"


def _fill(person: Any, n: int) -> None:
    Notification.objects.bulk_create(
        [
            Notification(recipient=person, kind="reply", subject=f"Betreff {i}", body="Text", url="/")
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("rows", [3, 300])
def test_the_inbox_does_the_same_queries_with_3_or_300_entries(
    client: Client, django_assert_max_num_queries: Any, rows: int
) -> None:
    person = UserFactory()
    client.force_login(person)
    _fill(person, rows)
    _fill(UserFactory(), 50)  # another person's entries are not shown
    with django_assert_max_num_queries(8):
        html = client.get(URL).content.decode()
    assert html.count('class="kk-comment"') == min(rows, 20)
    assert "Kommentare und Antworten" in html or "Antworten und neue Kommentare" in html  # the kind's label
    if rows > 20:
        assert 'href="?page=2"' in html
        with django_assert_max_num_queries(8):
            assert client.get(URL + "?page=15").status_code == 200
    assert client.get(URL + "?page=-1").status_code == 200
    assert client.get(URL + "?page=%00x").status_code in (200, 400)


def test_marking_read_is_a_post_and_touches_only_the_own_entries(client: Client) -> None:
    person, other = UserFactory(), UserFactory()
    _fill(person, 2)
    _fill(other, 2)
    client.force_login(person)
    assert client.get(URL).status_code == 200
    assert not Notification.objects.filter(read_at__isnull=False).exists()  # a GET never writes
    assert client.post(URL).status_code == 302
    assert not Notification.objects.filter(recipient=person, read_at=None).exists()
    assert Notification.objects.filter(recipient=other, read_at=None).count() == 2


def test_the_account_page_links_inbox_and_settings_with_the_unread_count(client: Client) -> None:
    person = UserFactory()
    _fill(person, 3)
    client.force_login(person)
    html = client.get("/konto/").content.decode()
    assert 'href="/benachrichtigungen/"' in html
    assert 'href="/benachrichtigungen/einstellungen/"' in html
    assert "3 ungelesen" in html
    assert Client().get(URL).status_code == 302  # the inbox needs a login
