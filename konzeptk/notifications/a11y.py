"""The public page of the notifications room for the accessibility browser test: the unsubscribe
link of a mail (a person of its own; the pages behind a login are checked in tests/test_browser.py)."""

from __future__ import annotations

from django.urls import reverse

from konzeptk.accounts.models import User
from konzeptk.notifications.mailing import unsubscribe_token


def a11y_pages() -> list[str]:
    person, _created = User.objects.get_or_create(email="a11y-abbestellen@beispiel.invalid")
    path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(person.pk)})
    return [path]
