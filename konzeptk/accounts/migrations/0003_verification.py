"""Verification and CodeLetter move from participation to accounts (residency is a property of a
person): the models enter this app's state on the existing tables; nothing changes in the
database. ``0004_verification_tables`` renames the tables."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisation_invitations"),
        ("participation", "0010_idea_image_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CodeLetter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code_hash", models.CharField(max_length=64)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("expires_at", models.DateTimeField()),
                        ("used_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
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
                        "verbose_name": "Code-Brief",
                        "verbose_name_plural": "Code-Briefe",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "participation_codeletter",
                        "indexes": [models.Index(fields=["user", "used_at"], name="codeletter_user_open")],
                    },
                ),
                migrations.CreateModel(
                    name="Verification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("postcode", models.CharField(blank=True, max_length=5, verbose_name="Postleitzahl")),
                        ("resident_declared_at", models.DateTimeField(blank=True, null=True)),
                        ("verified_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "method",
                            models.CharField(
                                blank=True,
                                choices=[("letter", "Code-Brief"), ("in_person", "persönlich im Bürgerbüro")],
                                max_length=20,
                            ),
                        ),
                        ("failed_code_attempts", models.PositiveSmallIntegerField(default=0)),
                        (
                            "confirmed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="verification",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Verifizierung",
                        "verbose_name_plural": "Verifizierungen",
                        "db_table": "participation_verification",
                        "indexes": [models.Index(fields=["-verified_at"], name="verification_recent")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
