"""The upgrade from the schema before the move keeps every inbox entry and every setting.

Migrates the database back to where Notification and NotificationSetting still lived in
participation (its tables ``participation_notification…``), writes rows with the historical models
of that time, migrates forward again and reads them with today's models (tables renamed to
``notifications_…``; the three on/off switches became per-kind settings)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from konzeptk.notifications.models import KindSetting, Notification, NotificationSetting

BEFORE = ("notifications", None)  # participation's models, the tables under their old names


@pytest.mark.django_db(transaction=True)
def test_the_moved_tables_keep_their_rows() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    executor.loader.build_graph()
    old = executor.loader.project_state([("participation", "0011_move_surveys")]).apps
    tables = connection.introspection.table_names()
    assert "participation_notification" in tables
    assert "notifications_notification" not in tables

    user_model = old.get_model("accounts", "User")
    alice = user_model.objects.create(email="alice@beispiel.invalid")
    bob = user_model.objects.create(email="bob@beispiel.invalid")
    old_note = old.get_model("participation", "Notification")
    old_setting = old.get_model("participation", "NotificationSetting")
    at = dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC)
    for i in range(5):
        old_note.objects.create(
            recipient=alice, kind="reply", subject=f"Antwort {i}", body="Text", created_at=at, emailed_at=at
        )
    old_note.objects.create(recipient=bob, kind="phase", subject="Neue Phase", body="Text", created_at=at)
    old_setting.objects.create(user=alice, email_frequency="daily", on_replies=False, on_phases=False)
    old_setting.objects.create(user=bob, email_frequency="never")

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    tables = connection.introspection.table_names()
    assert "notifications_notification" in tables
    assert "participation_notification" not in tables

    assert Notification.objects.count() == 6
    assert Notification.objects.filter(recipient_id=alice.pk, kind="reply", emailed_at=at).count() == 5
    assert Notification.objects.get(recipient_id=bob.pk).subject == "Neue Phase"
    assert dict(NotificationSetting.objects.values_list("user_id", "email_frequency")) == {
        alice.pk: "daily",
        bob.pk: "never",
    }
    assert sorted(KindSetting.objects.values_list("user_id", "kind", "frequency")) == [
        (alice.pk, "phase", "never"),
        (alice.pk, "reply", "never"),
    ]
    # new rows get ids after the old ones (the sequence moved with the table)
    newest = Notification.objects.create(recipient_id=bob.pk, subject="Neu", body="Text")
    assert newest.pk > max(Notification.objects.exclude(pk=newest.pk).values_list("pk", flat=True))
