from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from konzeptk.accounts.demo import DEMO_ACCOUNTS, load_demo
from konzeptk.accounts.models import Consent, Membership, Organisation, User
from konzeptk.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_export_and_erase_commands():
    user = UserFactory(email="brief@beispiel.invalid")
    out = io.StringIO()
    call_command("export_user", "BRIEF@beispiel.invalid", stdout=out)
    assert json.loads(out.getvalue())["sections"]["accounts.account"]["id"] == user.pk
    call_command("erase_user", "brief@beispiel.invalid", "--yes", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.anonymised_at is not None
    with pytest.raises(CommandError):
        call_command("erase_user", "brief@beispiel.invalid", "--yes")


def test_export_command_writes_the_zip(tmp_path):
    UserFactory(email="brief@beispiel.invalid")
    target = tmp_path / "auskunft.zip"
    call_command("export_user", "brief@beispiel.invalid", "--zip", str(target), stdout=io.StringIO())
    with zipfile.ZipFile(target) as archive:
        assert {"daten.json", "daten.html"} <= set(archive.namelist())


def test_demo_loader_is_idempotent():
    load_demo(out=io.StringIO())
    load_demo(out=io.StringIO())
    assert User.objects.filter(is_demo=True).count() == len(DEMO_ACCOUNTS)
    assert Organisation.objects.count() == 8
    assert Consent.objects.filter(purpose="terms").count() == len(DEMO_ACCOUNTS)
    assert Membership.objects.filter(organisation__slug="krefeld-business", role="admin").exists()
