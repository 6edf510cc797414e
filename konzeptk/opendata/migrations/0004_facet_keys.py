"""PostgreSQL keeps each dataset's facet values (``kind:value`` of its Tag rows) as an array column
``facet_keys``, maintained by statement triggers on the Tag table, so a search counts its facets from the
rows it has already read instead of joining the Tag table again. SQLite counts from the Tag table."""

from django.db import migrations

REFRESH = """
CREATE OR REPLACE FUNCTION opendata_facet_keys_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE opendata_dataset d
    SET facet_keys = coalesce(
        (SELECT array_agg(t.kind || ':' || t.value ORDER BY t.kind, t.value)
         FROM opendata_tag t WHERE t.dataset_id = d.id),
        '{}'
    )
    WHERE d.id IN (SELECT DISTINCT dataset_id FROM changed);
    RETURN NULL;
END
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE opendata_dataset ADD COLUMN IF NOT EXISTS facet_keys text[] NOT NULL DEFAULT '{}'"
    )
    schema_editor.execute(REFRESH)
    schema_editor.execute(
        "CREATE TRIGGER opendata_tag_facets_insert AFTER INSERT ON opendata_tag "
        "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION opendata_facet_keys_refresh()"
    )
    schema_editor.execute(
        "CREATE TRIGGER opendata_tag_facets_delete AFTER DELETE ON opendata_tag "
        "REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION opendata_facet_keys_refresh()"
    )
    schema_editor.execute(
        "UPDATE opendata_dataset d SET facet_keys = coalesce((SELECT array_agg(t.kind || ':' || t.value "
        "ORDER BY t.kind, t.value) FROM opendata_tag t WHERE t.dataset_id = d.id), '{}')"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS opendata_tag_facets_insert ON opendata_tag")
    schema_editor.execute("DROP TRIGGER IF EXISTS opendata_tag_facets_delete ON opendata_tag")
    schema_editor.execute("DROP FUNCTION IF EXISTS opendata_facet_keys_refresh()")
    schema_editor.execute("ALTER TABLE opendata_dataset DROP COLUMN IF EXISTS facet_keys")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0003_search_vector")]

    operations = [migrations.RunPython(create, drop)]
