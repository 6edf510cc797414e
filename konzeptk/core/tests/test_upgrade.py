"""The upgrade from the schema of December 2026 (before participation was cut into rooms) keeps all data.

The fixture holds every row of the demo as the old code wrote it (`tools/dump_upgrade_fixture.py`; sensing
measurements and snapshots left out). The test migrates the test database back to the old migrations,
writes those rows, migrates forward to today's schema and finds every row again – in its new table
where the model moved to another app (surveys, ballots, notifications, accounts).
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

FIXTURE = Path(__file__).parent / "data" / "demo_schema_2026_12.json.gz"

# the leaf migrations of the project's apps when the fixture was written (commit fe9c083)
OLD_LEAVES = {
    "accounts": "0002_organisation_invitations",
    "city": "0001_initial",
    "core": "0003_shared_cache_unlogged",
    "insights": "0003_snapshots_cell_key",
    "participation": "0010_idea_image_index",
    "sensing": "0005_observation_ds_time_id_index",
    "servicedesk": "0007_report_email_confirmed_at",
    "strategy": "0002_indicatorbinding",
}
PROJECT_PREFIX = "konzeptk."

pytestmark = pytest.mark.django_db(transaction=True)


def _fixture() -> dict[str, dict[str, list[Any]]]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as fh:
        data: dict[str, dict[str, list[Any]]] = json.load(fh)
    return data


def _targets(executor: MigrationExecutor) -> list[tuple[str, str | None]]:
    """Old leaves for the project's apps that existed then, zero for the rooms made since, today's leaf elsewhere."""
    from django.apps import apps

    project = {c.label for c in apps.get_app_configs() if c.name.startswith(PROJECT_PREFIX)}
    targets: list[tuple[str, str | None]] = []
    for app, name in executor.loader.graph.leaf_nodes():
        if app in OLD_LEAVES:
            targets.append((app, OLD_LEAVES[app]))
        elif app in project:
            targets.append((app, None))
        else:
            targets.append((app, name))
    return targets


def _models_by_table(state_apps: Apps) -> dict[str, type[models.Model]]:
    found: dict[str, type[models.Model]] = {}
    for model in state_apps.get_models(include_auto_created=True):
        found[model._meta.db_table] = model
    return found


def _converted(field: models.Field[Any, Any] | None, value: Any) -> Any:
    if value is None or field is None:
        return value
    if isinstance(value, dict) and "b64" in value:
        return base64.b64decode(value["b64"])
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, models.JSONField):
        return field.get_db_prep_save(json.loads(value), connection)
    return value


def _insert(state_apps: Apps, data: dict[str, dict[str, list[Any]]]) -> None:
    tables = _models_by_table(state_apps)
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in data:
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, content in data.items():
            model = tables[table]
            by_column = {f.column: f for f in model._meta.local_concrete_fields}
            columns = content["columns"]
            fields = [by_column.get(c) for c in columns]
            rows = [[_converted(f, v) for f, v in zip(fields, row, strict=True)] for row in content["rows"]]
            names = ", ".join(quote(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def _rows(model: type[models.Model], attnames: list[str]) -> list[tuple[Any, ...]]:
    return sorted(
        model._base_manager.order_by("pk").values_list("pk", *attnames), key=lambda row: str(row[0])
    )


def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.local_concrete_fields if not f.primary_key]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    yield executor
    # whatever happened, leave the database at today's schema for the tests after this one
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_upgrade_keeps_every_row_of_the_demo(executor: MigrationExecutor) -> None:
    data = _fixture()
    targets = _targets(executor)
    executor.migrate(targets)
    executor.loader.build_graph()
    old_state = executor.loader.project_state([(a, n) for a, n in targets if n is not None])
    old_apps = old_state.apps
    _insert(old_apps, data)
    old_tables = _models_by_table(old_apps)
    before = {table: _rows(old_tables[table], _attnames(old_tables[table])) for table in data}
    assert {t: len(rows) for t, rows in before.items()} == {t: len(c["rows"]) for t, c in data.items()}

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    new_apps = executor.loader.project_state().apps

    new_by_name: dict[str, list[type[models.Model]]] = {}
    for model in new_apps.get_models(include_auto_created=True):
        new_by_name.setdefault(model._meta.model_name or "", []).append(model)
    new_tables = _models_by_table(new_apps)
    for table, rows in before.items():
        old_model = old_tables[table]
        if table in new_tables:
            new_model = new_tables[table]
        else:
            candidates = new_by_name.get(old_model._meta.model_name or "", [])
            assert len(candidates) == 1, f"{table}: no single new home ({candidates})"
            new_model = candidates[0]
        kept = [name for name in _attnames(old_model) if name in set(_attnames(new_model))]
        positions = [0] + [1 + _attnames(old_model).index(name) for name in kept]
        expected = [tuple(row[i] for i in positions) for row in rows]
        assert _rows(new_model, kept) == expected, (
            f"{table} → {new_model._meta.db_table}: rows lost or changed"
        )
