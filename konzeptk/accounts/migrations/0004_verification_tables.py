"""The moved tables get this app's names (``accounts_verification``, ``accounts_codeletter``); rows,
keys and indexes stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_verification"),
        ("participation", "0011_move_ballots_verification"),
    ]

    operations = [
        migrations.AlterModelTable(name="verification", table=None),
        migrations.AlterModelTable(name="codeletter", table=None),
    ]
