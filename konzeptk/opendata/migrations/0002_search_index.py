"""The full-text index of the catalogue: GIN over to_tsvector('german', …) on PostgreSQL, FTS5 on SQLite."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS opendata_ds_search ON opendata_dataset "
            "USING GIN (to_tsvector('german', search_text))"
        )
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS opendata_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS opendata_ds_search")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS opendata_fts")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
