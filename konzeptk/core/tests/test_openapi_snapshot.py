"""The OpenAPI schema of /api/v1/ is the committed snapshot (Wagtail's practice): an API change
shows as a change of ``snapshots/openapi.json`` in the same commit. After an intended change run
``konzeptk openapi_snapshot`` (``.venv/bin/konzeptk openapi_snapshot --settings=konzeptk.settings_test``
gives the same file) and commit the snapshot with the change."""

from __future__ import annotations

import difflib
import json
from typing import Any

from django.test import Client

from konzeptk.core.management.commands.openapi_snapshot import SNAPSHOT, committed_schema, render


def test_the_openapi_schema_matches_its_snapshot(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served: dict[str, Any] = response.json()
    committed = committed_schema()
    assert committed is not None, f"{SNAPSHOT} fehlt: konzeptk openapi_snapshot"
    if served != committed:
        diff = "".join(
            difflib.unified_diff(
                render(committed).splitlines(keepends=True),
                render(served).splitlines(keepends=True),
                "festgehalten",
                "ausgeliefert",
                n=2,
            )
        )
        raise AssertionError(
            "Das OpenAPI-Schema weicht vom festgehaltenen Stand ab. Ist die Änderung gewollt: "
            f"`konzeptk openapi_snapshot` und {SNAPSHOT.name} mit committen.\n{diff[:6000]}"
        )


def test_the_snapshot_file_is_in_its_stable_form() -> None:
    committed = committed_schema()
    assert committed is not None
    assert SNAPSHOT.read_text(encoding="utf-8") == render(committed)
    assert json.loads(SNAPSHOT.read_text(encoding="utf-8"))["info"]["title"] == "Konzept K API"
