"""Drop the representation snapshots stored before the cell-key method.

Those rows hold true counts for every cell of 5 or more people and per-table suppression for the
rest, so subtracting stored cells (the differencing attack of issue 11) recovers suppressed small
cells on every stored day. They cannot be re-protected without the people of each past day, so they
are deleted; the background worker (or ``konzeptk recompute_insights``) takes today's snapshot anew,
published through the cell-key method, and the history grows again from there."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def drop_unprotected(apps: Any, schema_editor: Any) -> None:
    apps.get_model("insights", "RepresentationSnapshot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0002_representationsnapshot")]

    operations = [migrations.RunPython(drop_unprotected, migrations.RunPython.noop)]
