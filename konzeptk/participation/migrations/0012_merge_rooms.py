"""Joins the three moves out of participation (ballots + verification, notifications, surveys)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0011_move_ballots_verification"),
        ("participation", "0011_move_notifications"),
        ("participation", "0011_move_surveys"),
    ]

    operations = []
