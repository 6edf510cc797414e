"""``konzeptk openapi_snapshot``: write the OpenAPI schema of /api/v1/ to its committed snapshot.

The snapshot (``konzeptk/core/tests/snapshots/openapi.json``) is the public contract of the JSON
API. ``core/tests/test_openapi_snapshot.py`` fails while the served schema differs from it, so a
change of the API shows in review as a change of this file in the same commit (Wagtail's
practice). After an intended change: ``konzeptk openapi_snapshot``; ``--check`` only compares.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

SNAPSHOT = Path(__file__).resolve().parents[2] / "tests" / "snapshots" / "openapi.json"


def served_schema() -> dict[str, Any]:
    """The schema as ``GET /api/v1/openapi.json`` serves it, in the source language. The view is
    found through the URLconf, so core names no upper room and not the project's API module."""
    path = reverse("api-v1:openapi-json")
    match = resolve(path)
    with translation.override(settings.LANGUAGE_CODE):
        response = match.func(RequestFactory().get(path), *match.args, **match.kwargs)
    if response.status_code != 200:
        raise CommandError(f"{path} antwortet mit {response.status_code}")
    schema: dict[str, Any] = json.loads(response.content)
    return schema


def render(schema: dict[str, Any]) -> str:
    """Stable text for review: sorted keys, two spaces, German text as it is."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_schema() -> dict[str, Any] | None:
    if not SNAPSHOT.exists():
        return None
    schema: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return schema


class Command(BaseCommand):
    help = "Schreibt das OpenAPI-Schema von /api/v1/ in seinen festgehaltenen Stand (Test-Snapshot)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="nur vergleichen; Fehler, wenn das Schema abweicht"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        schema = served_schema()
        if options["check"]:
            if committed_schema() != schema:
                raise CommandError(f"Das OpenAPI-Schema weicht von {SNAPSHOT} ab.")
            self.stdout.write("Das OpenAPI-Schema entspricht dem festgehaltenen Stand.")
            return
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(render(schema), encoding="utf-8")
        self.stdout.write(f"OpenAPI-Schema geschrieben: {SNAPSHOT}")
