"""The kind registry: apps register their kinds from ready(); the settings page offers them."""

from __future__ import annotations

import pytest
from django.test import Client

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.notifications.registry import OPT_IN, OTHER, KindRegistry, kinds


def test_every_app_registered_its_kinds_with_a_german_label() -> None:
    registered = {kind.key: kind for kind in kinds.all()}
    for key, app in {
        "reply": "participation",
        "status": "participation",
        "phase": "participation",
        "report_status": "servicedesk",
        "statements_waiting": "insights",
    }.items():
        assert registered[key].app == app
        assert str(registered[key].label)  # a label for the settings page
    assert OTHER in registered
    assert not registered[OPT_IN].configurable  # a confirmation is not a choice


def test_the_settings_page_offers_exactly_the_configurable_kinds(client: Client, db: None) -> None:
    client.force_login(UserFactory())
    html = client.get("/benachrichtigungen/einstellungen/").content.decode()
    for kind in kinds.configurable():
        assert f'name="art_{kind.key}"' in html
        assert str(kind.label) in html
    assert f'name="art_{OPT_IN}"' not in html


def test_registering_again_replaces_and_bad_keys_are_refused() -> None:
    registry = KindRegistry()
    registry.register("neu", "Erstes Etikett")
    registry.register("neu", "Zweites Etikett")
    assert [str(k.label) for k in registry.all()] == ["Zweites Etikett"]
    for bad in ("", "mit leerzeichen", "x" * 51, "<script>"):
        with pytest.raises(ValueError):
            registry.register(bad, "Etikett")
    assert registry.label("unbekannt") == "unbekannt"  # an old key that no app registers any more
    assert "unbekannt" not in registry
