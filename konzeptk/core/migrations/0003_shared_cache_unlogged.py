"""On PostgreSQL the shared cache table is UNLOGGED: no write-ahead log for rate-limit counters.

Counters need no crash safety (after a crash the table is empty and the limits start afresh), and a
commit that touched only an unlogged table does not wait for the disk. Measured with
``python -m konzeptk.bench core``; see the commit message. Nothing changes on SQLite.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "konzeptk_shared_cache"


def unlogged(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} SET UNLOGGED")


def logged(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_shared_cache")]

    operations = [migrations.RunPython(unlogged, logged, elidable=False)]
