"""Follows need a confirmation link; supports count once per person, browser and e-mail (issue 11).

Follows that exist already were taken before confirmation existed: they stay active (confirmed at
their creation), so nobody silently stops getting the mails they asked for.
"""

import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import konzeptk.servicedesk.models


def fill_tokens(apps, schema_editor):
    Follower = apps.get_model("servicedesk", "Follower")
    for follower in Follower.objects.filter(confirm_token__isnull=True).iterator():
        follower.confirm_token = secrets.token_urlsafe(24)
        follower.confirmed_at = follower.created_at
        follower.save(update_fields=["confirm_token", "confirmed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0005_photos_private_storage"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="follower",
            name="confirm_token",
            field=models.CharField(editable=False, max_length=40, null=True),
        ),
        migrations.AddField(
            model_name="follower",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bestätigt am"),
        ),
        migrations.AddField(
            model_name="follower",
            name="confirmation_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="follower",
            name="confirm_token",
            field=models.CharField(
                default=konzeptk.servicedesk.models.new_token, editable=False, max_length=40, unique=True
            ),
        ),
        migrations.CreateModel(
            name="ReportSupport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("browser", models.CharField(blank=True, editable=False, max_length=64)),
                ("email_key", models.CharField(blank=True, editable=False, max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="supports",
                        to="servicedesk.report",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "Unterstützung einer Meldung",
                "verbose_name_plural": "Unterstützungen von Meldungen",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("user__isnull", False)),
                        fields=("report", "user"),
                        name="sd_support_once_per_user",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("browser", ""), _negated=True),
                        fields=("report", "browser"),
                        name="sd_support_once_per_browser",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("email_key", ""), _negated=True),
                        fields=("report", "email_key"),
                        name="sd_support_once_per_email",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("user__isnull", False), models.Q(("browser", ""), _negated=True), _connector="OR"),
                        name="sd_support_has_a_supporter",
                    ),
                ],
            },
        ),
    ]
