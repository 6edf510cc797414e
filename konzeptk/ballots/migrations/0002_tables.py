"""The moved tables get this app's names (``ballots_ballot``, ``ballots_vote``); rows, keys and
constraints stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0001_initial"),
        ("participation", "0011_move_ballots_verification"),
    ]

    operations = [
        migrations.AlterModelTable(name="ballot", table=None),
        migrations.AlterModelTable(name="vote", table=None),
    ]
