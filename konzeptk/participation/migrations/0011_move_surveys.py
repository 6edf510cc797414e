"""Questionnaires, questions, choices, responses and answers now belong to the ``surveys`` app.

State only: the tables stay as they are here, ``surveys.0001_initial`` took the models over with them
and ``surveys.0002_tables`` renames the tables afterwards.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0010_idea_image_index"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Answer"),
                migrations.DeleteModel(name="Response"),
                migrations.DeleteModel(name="Choice"),
                migrations.DeleteModel(name="Question"),
                migrations.DeleteModel(name="Survey"),
            ]
        )
    ]
