"""Landing without a statement for the ids (``sensing/landing.py``): a block's Datastream and FeatureOfInterest
move from the block table into the rows' own two columns (set in a block's first row), and one value of the block
sequence reserves 64 blocks. Rows landed before keep their owners: each names them itself."""

from django.db import migrations

TABLE = "sensing_observation_landing"
BLOCKS = "sensing_observation_landing_block"
BLOCK_SEQUENCE = "sensing_observation_landing_block_seq"
OLD_INCREMENT = 16_384
NEW_INCREMENT = 16_384 * 64


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from konzeptk.sensing.landing import forget_tables

        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS datastream_id bigint, "
            "ADD COLUMN IF NOT EXISTS feature_of_interest_id bigint"
        )
        schema_editor.execute(
            f"UPDATE {TABLE} l SET datastream_id = b.datastream_id, feature_of_interest_id = b.feature_of_interest_id "
            f"FROM {BLOCKS} b WHERE b.block = l.id - mod(l.id, {OLD_INCREMENT})"
        )
        schema_editor.execute(f"DROP TABLE {BLOCKS}")
        schema_editor.execute(
            f"ALTER SEQUENCE {BLOCK_SEQUENCE} INCREMENT {NEW_INCREMENT} MAXVALUE {2**53 - NEW_INCREMENT}"
        )
        forget_tables()


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from konzeptk.sensing.landing import fold, forget_tables

        fold()  # nothing landed is lost by going back
        schema_editor.execute(
            f"CREATE TABLE {BLOCKS} (block bigint PRIMARY KEY, datastream_id bigint NOT NULL, "
            "feature_of_interest_id bigint NOT NULL)"
        )
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN datastream_id, DROP COLUMN feature_of_interest_id")
        schema_editor.execute(
            f"ALTER SEQUENCE {BLOCK_SEQUENCE} INCREMENT {OLD_INCREMENT} MAXVALUE {2**53 - OLD_INCREMENT}"
        )
        forget_tables()


class Migration(migrations.Migration):

    dependencies = [
        ("sensing", "0006_observation_landing"),
    ]

    operations = [migrations.RunPython(forward, backward)]
