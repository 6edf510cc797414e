"""The landing table of CreateObservations on PostgreSQL (``sensing/landing.py``): no index, no foreign key, no
partition, so accepting a batch costs little more than a binary COPY; the fold moves its rows into the
observation table. Landed ids come in blocks from a sequence of their own, from 2**50 on; the observation sequence
of every other writer now ends below that. SQLite has no landing table: its CreateObservations writes directly.

The schema as it was first made; migration 0007 brings it to today's (``landing.create``)."""

from django.db import migrations

TABLE = "sensing_observation_landing"
BLOCKS = "sensing_observation_landing_block"
BLOCK_SEQUENCE = "sensing_observation_landing_block_seq"
FIRST_LANDED_ID = 2**50
BLOCK = 16_384


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from konzeptk.sensing.landing import forget_tables

        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigint NOT NULL, phenomenon_time_start timestamptz NOT NULL, "
            "result_number double precision NOT NULL)"
        )
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {BLOCKS} (block bigint PRIMARY KEY, datastream_id bigint NOT NULL, "
            "feature_of_interest_id bigint NOT NULL)"
        )
        schema_editor.execute(
            f"CREATE SEQUENCE IF NOT EXISTS {BLOCK_SEQUENCE} START {FIRST_LANDED_ID} INCREMENT {BLOCK} "
            f"MINVALUE {FIRST_LANDED_ID} MAXVALUE {2**53 - BLOCK}"
        )
        schema_editor.execute(f"ALTER SEQUENCE sensing_observation_id_seq MAXVALUE {FIRST_LANDED_ID - 1}")
        forget_tables()


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from konzeptk.sensing.landing import forget_tables

        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE})")  # (reversing 0007 folds everything)
            if cursor.fetchone()[0]:
                raise RuntimeError("Gelandete Beobachtungen sind noch nicht eingefaltet: erst 0007 anwenden")
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {BLOCKS}")
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {BLOCK_SEQUENCE}")
        schema_editor.execute("ALTER SEQUENCE sensing_observation_id_seq NO MAXVALUE")
        forget_tables()


class Migration(migrations.Migration):

    dependencies = [
        ("sensing", "0005_observation_ds_time_id_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
