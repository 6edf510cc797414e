"""API tokens managed by organisation admins in the UI: created, shown once, hashed at rest, listed, revoked."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.models import Membership, Organisation
from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory
from konzeptk.sensing import models as m
from konzeptk.sensing.services import MAX_ACTIVE_TOKENS, api_token_create

pytestmark = pytest.mark.django_db
THING = {"name": "Laterne", "description": "Test"}


def _login(client: Client, org: Organisation, role: str) -> Any:
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=role)
    client.force_login(user)
    return user


def _url(org: Organisation) -> str:
    return f"/daten/api-schluessel/{org.slug}/"


def _write(client: Client, raw: str) -> Any:
    return client.post(
        "/sta/v1.1/Things",
        json.dumps(THING),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_admin_creates_token_shown_once_and_stored_only_as_hash(client: Client, org: Organisation) -> None:
    _login(client, org, Membership.Role.ADMIN)
    response = client.post(_url(org), {"name": "LoRaWAN-Netzserver"})
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r'id="neuer-schluessel">([^<]+)<', response.content.decode()).group(1)  # type: ignore[union-attr]
    token = m.ApiToken.objects.get(organisation=org)
    assert token.name == "LoRaWAN-Netzserver"
    assert token.token_hash == m.ApiToken.hash(raw)
    assert raw not in json.dumps(list(m.ApiToken.objects.values()), default=str)  # never stored in clear
    assert raw.startswith(token.prefix)
    # the list shows only the beginning, and the secret never again
    listing = client.get(_url(org)).content.decode()
    assert f"{token.prefix}…" in listing
    assert raw not in listing
    # the token writes, into its organisation's Things
    created = _write(Client(), raw)
    assert created.status_code == 201
    assert m.Thing.objects.get(pk=created.json()["@iot.id"]).organisation == org
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_no_longer_writes(client: Client, org: Organisation) -> None:
    _login(client, org, Membership.Role.ADMIN)
    token, raw = api_token_create(organisation=org, name="Import")
    response = client.post(f"{_url(org)}{token.pk}/widerrufen/", follow=True)
    assert response.status_code == 200
    assert "ist widerrufen" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    answer = _write(Client(), raw)
    assert answer.status_code == 401
    assert answer.json()["code"] == 401


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.EDITOR, Membership.Role.MODERATOR])
def test_only_admins_manage_tokens(client: Client, org: Organisation, role: str) -> None:
    _login(client, org, role)
    token, _raw = api_token_create(organisation=org, name="Import")
    assert client.get(_url(org)).status_code == 403
    assert client.post(_url(org), {"name": "x"}).status_code == 403
    assert client.post(f"{_url(org)}{token.pk}/widerrufen/").status_code == 403
    assert m.ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_of_another_organisation_cannot_touch_tokens(
    client: Client, org: Organisation, other_org: Organisation
) -> None:
    _login(client, other_org, Membership.Role.ADMIN)
    token, _raw = api_token_create(organisation=org, name="Import")
    assert client.get(_url(org)).status_code == 403
    # a token id of org under the other organisation's address is not found
    assert client.post(f"{_url(other_org)}{token.pk}/widerrufen/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_is_sent_to_login(client: Client, org: Organisation) -> None:
    response = client.get(_url(org))
    assert response.status_code == 302
    assert "login" in response["Location"] or "anmelden" in response["Location"]


def test_platform_administrator_manages_every_organisation(client: Client, org: Organisation) -> None:
    client.force_login(UserFactory(administrator=True))
    assert client.post(_url(org), {"name": "Betrieb"}).status_code == 201


def test_bad_input_is_answered_in_german_not_500(client: Client, org: Organisation) -> None:
    _login(client, org, Membership.Role.ADMIN)
    empty = client.post(_url(org), {"name": "   "})
    assert empty.status_code == 400
    assert "Pflichtfeld" in empty.content.decode() or "Bezeichnung" in empty.content.decode()
    too_long = client.post(_url(org), {"name": "x" * 101})
    assert too_long.status_code == 400
    assert client.post(f"{_url(org)}999999/widerrufen/").status_code == 404
    assert client.get(f"{_url(org)}999999/widerrufen/").status_code == 405
    assert client.get(_url(org), {"page": "kaputt"}).status_code == 200
    assert not m.ApiToken.objects.exists()
    for i in range(MAX_ACTIVE_TOKENS):
        api_token_create(organisation=org, name=f"t{i}")
    full = client.post(_url(org), {"name": "einer zu viel"})
    assert full.status_code == 400
    assert "höchstens" in full.content.decode()


def test_list_is_paginated_with_bounded_queries(
    client: Client, org: Organisation, django_assert_max_num_queries: Any
) -> None:
    _login(client, org, Membership.Role.ADMIN)
    for i in range(40):
        api_token_create(organisation=org, name=f"Schlüssel {i}")
    with django_assert_max_num_queries(12):
        first = client.get(_url(org)).content.decode()
    assert first.count("/widerrufen/") == 25
    assert "Seite 1 von 2" in first
    assert client.get(_url(org), {"page": "2"}).content.decode().count("/widerrufen/") == 15


def test_index_links_token_pages_for_admins(
    client: Client, org: Organisation, other_org: Organisation
) -> None:
    user = _login(client, org, Membership.Role.ADMIN)
    MembershipFactory(user=user, organisation=other_org, role=Membership.Role.MEMBER)
    page = client.get("/daten/").content.decode()
    assert _url(org) in page
    assert _url(other_org) not in page


@pytest.mark.parametrize(
    ("extra", "starts"),
    [
        ({"KONZEPTK_STA_OPEN_WRITE": "1"}, False),
        ({"KONZEPTK_STA_OPEN_WRITE": "1", "KONZEPTK_DEMO": "1"}, True),
        ({}, True),
    ],
)
def test_production_settings_refuse_to_start_with_open_write(extra: dict[str, str], starts: bool) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KONZEPTK_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "konzeptk.settings",
            "KONZEPTK_SECRET_KEY": "x" * 50,
            "SECRET_KEY": "x" * 50,
        }
    )
    env.update(extra)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('gestartet')"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert ("gestartet" in result.stdout) is starts, result.stderr[-500:]
    if not starts:
        assert "KONZEPTK_STA_OPEN_WRITE=1" in result.stderr
