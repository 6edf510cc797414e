"""The landing table of CreateObservations on PostgreSQL (``sensing/landing.py``): no index, no foreign key, no
partition, so accepting a batch costs little more than a binary COPY; the fold moves its rows into the
observation table. Landed ids come in blocks from a sequence of their own, from 2**50 on; the observation sequence
of every other writer now ends below that. SQLite has no landing table: its CreateObservations writes directly."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from konzeptk.sensing.landing import create, forget_tables

        create(schema_editor.execute)
        forget_tables()


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from konzeptk.sensing.landing import BLOCK_SEQUENCE, BLOCKS, OBS, TABLE, fold, forget_tables

        fold()  # nothing landed is lost by going back
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {BLOCKS}")
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {BLOCK_SEQUENCE}")
        schema_editor.execute(f"ALTER SEQUENCE {OBS}_id_seq NO MAXVALUE")
        forget_tables()


class Migration(migrations.Migration):

    dependencies = [
        ("sensing", "0005_observation_ds_time_id_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
