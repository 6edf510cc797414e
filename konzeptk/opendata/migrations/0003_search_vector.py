"""PostgreSQL keeps the search vector as a stored column (``to_tsvector('german', search_text)``, computed on
every write), so ranking reads it instead of parsing each matching text again; GIN index on the column.
SQLite keeps its FTS5 table (0002)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE opendata_dataset ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('german'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS opendata_ds_vector ON opendata_dataset USING GIN (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS opendata_ds_search")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS opendata_ds_search ON opendata_dataset "
        "USING GIN (to_tsvector('german', search_text))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS opendata_ds_vector")
    schema_editor.execute("ALTER TABLE opendata_dataset DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0002_search_index")]

    operations = [migrations.RunPython(create, drop)]
