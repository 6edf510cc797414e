from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("city", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="cityprofile",
            name="regional_key",
            field=models.CharField(
                blank=True,
                help_text="Zwölfstelliger Amtlicher Regionalschlüssel (ARS), z. B. für Warnungen und Open-Data-Metadaten.",
                max_length=12,
                verbose_name="Regionalschlüssel",
            ),
        ),
    ]
