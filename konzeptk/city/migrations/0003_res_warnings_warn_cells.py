from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("city", "0002_profile_regional_key")]

    operations = [
        migrations.AddField(
            model_name="cityprofile",
            name="warn_cells",
            field=models.JSONField(blank=True, default=list, verbose_name="Warnzellen des DWD"),
        ),
    ]
