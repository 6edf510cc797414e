"""Copy the existing German text into the new German column (`<field>_de`) of every translated field.

The other languages stay empty: pages fall back to German and mark it (`{% kk_text %}`).
Going back leaves the original column as it is.
"""

from django.db import migrations
from django.db.models import F

TRANSLATED = {
    "Survey": (
        "title",
        "intro",
    ),
    "Question": (
        "text",
        "help_text",
        "scale_low_label",
        "scale_high_label",
    ),
    "Choice": ("text",),
}


def copy_german(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("surveys", model_name)
        model.objects.update(**{f"{field}_de": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_content_languages")]

    operations = [migrations.RunPython(copy_german, migrations.RunPython.noop)]
