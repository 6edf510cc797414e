"""The rows of the controlled list of uses (innercity.models.UseKey)."""

from django.db import migrations

USE_KEYS = (
    "retail",
    "gastronomy",
    "art_culture",
    "craft",
    "office",
    "coworking",
    "social",
    "education",
    "popup",
)


def create_uses(apps, schema_editor):  # type: ignore[no-untyped-def]
    use_model = apps.get_model("innercity", "Use")
    for key in USE_KEYS:
        use_model.objects.get_or_create(key=key)


class Migration(migrations.Migration):
    dependencies = [("innercity", "0001_initial")]

    operations = [migrations.RunPython(create_uses, migrations.RunPython.noop)]
