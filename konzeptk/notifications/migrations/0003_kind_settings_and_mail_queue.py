"""Per-kind e-mail choices and the queue of outgoing mails.

The three switches of the old settings (``on_replies``, ``on_status``, ``on_phases``) become rows of
``KindSetting``: a switched-off kind is a kind set to "never". Kinds are keys of the registry
(registry.py), so ``Notification.kind`` has no fixed choices any more.
"""

import django.db.models.deletion
import django.utils.timezone
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SWITCHES = {"on_replies": "reply", "on_status": "status", "on_phases": "phase"}


def switches_to_kind_settings(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    setting_model = apps.get_model("notifications", "NotificationSetting")
    kind_model = apps.get_model("notifications", "KindSetting")
    rows = []
    for field, kind in SWITCHES.items():
        for user_id in setting_model.objects.filter(**{field: False}).values_list("user_id", flat=True):
            rows.append(kind_model(user_id=user_id, kind=kind, frequency="never"))
    kind_model.objects.bulk_create(rows, batch_size=500)


def kind_settings_to_switches(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    setting_model = apps.get_model("notifications", "NotificationSetting")
    kind_model = apps.get_model("notifications", "KindSetting")
    for field, kind in SWITCHES.items():
        off = kind_model.objects.filter(kind=kind, frequency="never").values("user_id")
        setting_model.objects.filter(user_id__in=off).update(**{field: False})


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("notifications", "0002_tables"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(default="other", max_length=50),
        ),
        migrations.AlterModelOptions(
            name="notificationsetting",
            options={
                "verbose_name": "Einstellung für Benachrichtigungen",
                "verbose_name_plural": "Einstellungen für Benachrichtigungen",
            },
        ),
        migrations.CreateModel(
            name="KindSetting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=50)),
                (
                    "frequency",
                    models.CharField(
                        choices=[("immediate", "sofort"), ("daily", "einmal täglich"), ("never", "keine E-Mails")],
                        max_length=20,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "verbose_name": "Einstellung für eine Art von Benachrichtigungen",
                "verbose_name_plural": "Einstellungen für Arten von Benachrichtigungen",
                "constraints": [models.UniqueConstraint(fields=("user", "kind"), name="notifications_kind_once")],
            },
        ),
        migrations.RunPython(switches_to_kind_settings, kind_settings_to_switches),
        migrations.RemoveField(model_name="notificationsetting", name="on_phases"),
        migrations.RemoveField(model_name="notificationsetting", name="on_replies"),
        migrations.RemoveField(model_name="notificationsetting", name="on_status"),
        migrations.CreateModel(
            name="Mail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("to", models.EmailField(max_length=254, verbose_name="an")),
                ("kind", models.CharField(default="other", max_length=50)),
                ("subject", models.CharField(max_length=200, verbose_name="Betreff")),
                ("body", models.TextField(verbose_name="Text")),
                ("unsubscribe_url", models.CharField(max_length=500)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "wartet"),
                            ("sending", "wird gesendet"),
                            ("sent", "gesendet"),
                            ("failed", "fehlgeschlagen"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.CharField(blank=True, max_length=300)),
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
                "verbose_name": "ausgehende E-Mail",
                "verbose_name_plural": "ausgehende E-Mails",
                "indexes": [models.Index(fields=["status", "next_attempt_at"], name="notifications_mail_due")],
            },
        ),
    ]
