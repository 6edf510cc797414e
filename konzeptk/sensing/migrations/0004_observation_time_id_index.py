"""A b-tree on (phenomenon_time_start, id) for the default order of the Observations collections (keyset
paging); on PostgreSQL it is created on the partitioned table (so on every monthly partition) and replaces the
BRIN index on time, which it makes redundant. Datastream.observedArea is filled from the stored observations."""

from django.db import migrations, models


def _drop_brin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS sensing_obs_time_brin")


def _create_brin(apps, schema_editor):
    from konzeptk.sensing import partitions

    if partitions.is_partitioned(schema_editor.connection):
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS sensing_obs_time_brin ON sensing_observation USING brin (phenomenon_time_start)"
        )


def _fill_observed_area(apps, schema_editor):
    from konzeptk.sensing.observed_area import rebuild

    rebuild(
        datastream_model=apps.get_model("sensing", "Datastream"),
        observation_model=apps.get_model("sensing", "Observation"),
        feature_model=apps.get_model("sensing", "FeatureOfInterest"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sensing", "0003_observation_partitions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="observation",
            index=models.Index(fields=["phenomenon_time_start", "id"], name="sensing_obs_time_id"),
        ),
        migrations.RunPython(_drop_brin, _create_brin, elidable=False),
        migrations.RunPython(_fill_observed_area, migrations.RunPython.noop, elidable=True),
    ]
