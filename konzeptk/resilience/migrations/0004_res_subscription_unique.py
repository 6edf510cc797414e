"""One e-mail subscription per address and one inbox subscription per account (unique constraints).

Before the constraints, requests at the same moment could store an address twice; such doubles are merged
first: the confirmed row (else the oldest) stays, with the districts of all confirmed doubles (none – the
whole city – if one of them had none)."""

from collections import defaultdict
from typing import Any

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def _merge(rows: list[Any]) -> set[int]:
    rows.sort(key=lambda row: (row.confirmed_at is None, row.pk))
    keep, doubles = rows[0], rows[1:]
    confirmed = [row for row in rows if row.confirmed_at is not None]
    if len(confirmed) > 1:
        chosen = [list(row.districts.all()) for row in confirmed]
        keep.districts.set([] if any(not c for c in chosen) else {d for c in chosen for d in c})
    gone = {row.pk for row in doubles}  # before delete(), which sets pk to None
    for row in doubles:
        row.delete()
    return gone


def merge_doubles(apps: Any, schema_editor: Any) -> None:
    subscription = apps.get_model("resilience", "Subscription")
    own = subscription.objects.filter(facility__isnull=True)
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in own.filter(by_email=True).order_by("pk"):
        groups[("email", row.email.lower())].append(row)
    for row in own.filter(by_inbox=True, user__isnull=False).order_by("pk"):
        groups[("inbox", str(row.user_id))].append(row)
    gone: set[int] = set()  # a row both by e-mail and by inbox may stand in two groups
    for group in groups.values():
        rows = [row for row in group if row.pk not in gone]
        if len(rows) > 1:
            gone |= _merge(rows)
    if (
        schema_editor.connection.vendor == "postgresql"
    ):  # the deletions' deferred checks before the new indexes
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("city", "0003_res_warnings_warn_cells"),
        ("resilience", "0003_res_warnings_sent_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(merge_doubles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("by_email", True), ("facility__isnull", True)),
                name="resilience_subscription_email_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                fields=("user",),
                condition=models.Q(("by_inbox", True), ("facility__isnull", True)),
                name="resilience_subscription_inbox_unique",
            ),
        ),
    ]
