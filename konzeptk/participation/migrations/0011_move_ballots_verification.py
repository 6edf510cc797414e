"""Ballot and Vote move to the ballots app, Verification and CodeLetter to accounts: they leave
participation's state; the tables stay (the new apps rename them in their next migration)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0010_idea_image_index"),
        ("ballots", "0001_initial"),
        ("accounts", "0003_verification"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Vote"),
                migrations.DeleteModel(name="Ballot"),
                migrations.DeleteModel(name="CodeLetter"),
                migrations.DeleteModel(name="Verification"),
            ],
            database_operations=[],
        ),
    ]
