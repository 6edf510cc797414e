"""Ballot and Vote move from participation to ballots: the models enter this app's state on the
existing tables (``participation_ballot``, ``participation_vote``); nothing changes in the database.
``0002_tables`` then renames the tables."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("participation", "0010_idea_image_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Ballot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("votes", "feste Zahl von Stimmen"), ("budget", "Budget verteilen")],
                                default="votes",
                                max_length=20,
                                verbose_name="Art",
                            ),
                        ),
                        (
                            "votes_per_person",
                            models.PositiveSmallIntegerField(default=3, verbose_name="Stimmen pro Person"),
                        ),
                        (
                            "budget",
                            models.PositiveIntegerField(blank=True, null=True, verbose_name="Budget in Euro"),
                        ),
                        (
                            "phase",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="ballot",
                                to="participation.phase",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Abstimmung",
                        "verbose_name_plural": "Abstimmungen",
                        "db_table": "participation_ballot",
                    },
                ),
                migrations.CreateModel(
                    name="Vote",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "ballot",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="votes",
                                to="ballots.ballot",
                            ),
                        ),
                        (
                            "idea",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="votes",
                                to="participation.idea",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Stimme",
                        "verbose_name_plural": "Stimmen",
                        "db_table": "participation_vote",
                        "constraints": [
                            models.UniqueConstraint(fields=("ballot", "user", "idea"), name="vote_once_per_idea")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
