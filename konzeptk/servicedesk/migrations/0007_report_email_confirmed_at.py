from django.db import migrations, models
from django.db.models import F


def confirm_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Reports from before the confirmation rule keep getting status mails, as promised to them."""
    Report = apps.get_model("servicedesk", "Report")
    Report.objects.exclude(email="").update(email_confirmed_at=F("requested_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0006_follow_confirmation_and_supports"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="E-Mail bestätigt am"),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop, elidable=True),
    ]
