"""Notification and NotificationSetting come over from ``participation`` with their tables.

State only: the tables stay ``participation_notification`` and ``participation_notificationsetting``
here (``participation.0011_move_notifications`` drops the models from participation's state);
``0002_tables`` renames them afterwards. Fields as they were at ``participation.0010``.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("participation", "0010_idea_image_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("subject", models.CharField(max_length=200)),
                        ("body", models.TextField(max_length=10000)),
                        ("url", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("reply", "Kommentar oder Antwort"),
                                    ("status", "neuer Stand einer Idee"),
                                    ("phase", "neue Phase"),
                                    ("other", "sonstige Nachricht"),
                                ],
                                default="other",
                                max_length=20,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Benachrichtigung",
                        "verbose_name_plural": "Benachrichtigungen",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [models.Index(fields=["recipient", "-created_at"], name="notification_inbox")],
                        "db_table": "participation_notification",
                    },
                ),
                migrations.CreateModel(
                    name="NotificationSetting",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "email_frequency",
                            models.CharField(
                                choices=[("immediate", "sofort"), ("daily", "einmal täglich"), ("never", "keine E-Mails")],
                                default="immediate",
                                max_length=20,
                                verbose_name="E-Mails",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "on_phases",
                            models.BooleanField(default=True, verbose_name="neue Phasen in Prozessen, denen ich folge"),
                        ),
                        (
                            "on_replies",
                            models.BooleanField(
                                default=True, verbose_name="Antworten und neue Kommentare zu Ideen, denen ich folge"
                            ),
                        ),
                        (
                            "on_status",
                            models.BooleanField(
                                default=True, verbose_name="neuer Stand und Antworten der Verwaltung zu meinen Ideen"
                            ),
                        ),
                    ],
                    options={"db_table": "participation_notificationsetting"},
                ),
            ]
        )
    ]
