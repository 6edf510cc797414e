"""The moved tables get the names of their new app: ``participation_survey`` → ``surveys_survey`` and so
on (a rename in the database; rows, keys, constraints and indexes stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("participation", "0011_move_surveys"),
    ]

    operations = [
        migrations.AlterModelTable(name=name, table=None)
        for name in ("survey", "question", "choice", "response", "answer")
    ]
