"""The landing table of CreateObservations on PostgreSQL (``sensing/landing.py``): no index, no foreign key, no
partition, so accepting a batch costs little more than a binary COPY; the fold moves its rows into the
observation table. SQLite has no landing table: its CreateObservations writes directly."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from konzeptk.sensing.landing import CREATE_SQL

        schema_editor.execute(CREATE_SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from konzeptk.sensing.landing import TABLE, fold

        fold()  # nothing landed is lost by going back
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ("sensing", "0005_observation_ds_time_id_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
