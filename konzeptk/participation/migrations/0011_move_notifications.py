"""Notification and NotificationSetting now belong to the ``notifications`` app.

State only: the tables stay as they are here, ``notifications.0001_initial`` took the models over
with them and ``notifications.0002_tables`` renames the tables afterwards.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0010_idea_image_index"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="NotificationSetting"),
            ]
        )
    ]
