"""The moved tables get this app's names (``notifications_notification``, ``…_notificationsetting``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("participation", "0011_move_notifications"),
    ]

    operations = [
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AlterModelTable(name="notificationsetting", table=None),
    ]
