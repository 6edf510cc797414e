"""Issue 13: every e-mail links to the configured base address ``SITE_URL``; ``konzeptk demo --port N``
sets it to the address it serves (a demo on another port sends links to that port)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from konzeptk.accounts import invitations
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.core.management.commands import demo
from konzeptk.notifications.models import Mail
from konzeptk.servicedesk.following import follower_add
from konzeptk.servicedesk.tests.conftest import categories, city, kbk, make_report, swk  # noqa: F401 – fixtures

pytestmark = pytest.mark.django_db

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}/"


def _demo_on_another_port(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``konzeptk demo --port 8765 --no-serve`` with the loading steps left out (they are tested elsewhere)."""
    settings.DEMO_MODE = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8000")
    monkeypatch.setattr(demo, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(demo, "demo_load_all", lambda *, out: None)
    call_command("demo", port=PORT, no_serve=True)


def test_demo_on_another_port_sends_links_to_that_port(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    client: Any,
    make_report: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    # through the settings fixture, not @override_settings: the fixture's own changes would otherwise
    # restore the decorator's value after the test and leave mail sending off for the rest of the run
    settings.NOTIFICATIONS_SEND = "off"
    _demo_on_another_port(settings, monkeypatch)
    import os

    assert BASE.rstrip("/") == settings.SITE_URL
    assert os.environ["SITE_URL"] == BASE.rstrip("/")  # gunicorn and the companions inherit it
    mail.outbox.clear()
    # the Mängelmelder's confirmation mail (queued by notifications)
    follower_add(report=make_report("muell"), email="neu@beispiel.invalid")
    # an invitation into an organisation (sent directly)
    organisation = OrganisationFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=organisation, role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitation_create(
            organisation=organisation, email="neu@beispiel.invalid", role="editor", actor=admin
        )
    # allauth's password reset, requested through a server that the request reached as "testserver"
    UserFactory(email="konto@beispiel.invalid")
    reset = client.post(reverse("account_reset_password"), {"email": "konto@beispiel.invalid"})
    assert reset.status_code == 302, reset.content.decode()[-3000:]
    bodies = [m.body for m in Mail.objects.all()] + [m.body for m in mail.outbox]
    assert len(bodies) >= 3, [b[:80] for b in bodies]
    for body in bodies:
        links = [word for word in body.split() if word.startswith("http")]
        assert links, body
        assert all(link.startswith(BASE) for link in links), links


def test_no_module_builds_mail_links_from_a_fixed_host() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "siteurl.py"
        and path.name != "settings.py"
        and ("KONZEPTK_BASE_URL" in (text := path.read_text()) or '"http://127.0.0.1:8000"' in text)
    ]
    assert not offenders
