"""Copy the existing German text into the new German column (`<field>_de`) of every translated field.

The other languages stay empty: pages fall back to German and mark it (`{% kk_text %}`).
Going back leaves the original column as it is.
"""

from django.db import migrations
from django.db.models import F

TRANSLATED = {
    "Strategy": (
        "name",
        "description",
    ),
    "Revision": (
        "title",
        "motto",
        "vision",
    ),
    "FieldOfAction": (
        "title",
        "description",
    ),
    "SubTopic": (
        "title",
        "description",
    ),
    "CrossCuttingTheme": (
        "title",
        "description",
    ),
    "Goal": (
        "title",
        "description",
    ),
    "Measure": (
        "title",
        "description",
    ),
    "Project": (
        "title",
        "summary",
        "description",
    ),
    "Milestone": ("title",),
    "Indicator": (
        "name",
        "description",
    ),
}


def copy_german(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("strategy", model_name)
        model.objects.update(**{f"{field}_de": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("strategy", "0004_content_languages")]

    operations = [migrations.RunPython(copy_german, migrations.RunPython.noop)]
