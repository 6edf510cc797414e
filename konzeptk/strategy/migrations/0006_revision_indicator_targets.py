"""Record on each revision the targets of its indicators (``Revision.indicator_targets``), which the
comparison of revisions reads for adopted and superseded revisions.

Revisions adopted before this migration get the targets as they are when it runs: what they were at the
adoption was not kept, so comparing two such revisions shows no changed target. Drafts get no record (they
are compared with the targets as they are). Going back drops the column.
"""

from collections import defaultdict

from django.db import migrations, models


def record_current_targets(apps, schema_editor):
    Revision = apps.get_model("strategy", "Revision")
    Goal = apps.get_model("strategy", "Goal")
    Indicator = apps.get_model("strategy", "Indicator")
    IndicatorTarget = apps.get_model("strategy", "IndicatorTarget")
    targets = defaultdict(dict)
    for indicator_id, year, value in IndicatorTarget.objects.values_list("indicator_id", "year", "value"):
        targets[indicator_id][str(year)] = value
    by_goal = defaultdict(list)
    for ind in Indicator.objects.filter(published=True, goal_key__isnull=False).order_by("pk"):
        by_goal[ind.goal_key].append(ind)
    for revision in Revision.objects.exclude(status="draft"):
        record = {}
        for key in Goal.objects.filter(revision=revision).values_list("key", flat=True):
            for ind in by_goal.get(key, []):
                record[str(ind.pk)] = {
                    "name": getattr(ind, "name_de", None) or ind.name,
                    "unit": ind.unit,
                    "goal": str(ind.goal_key),
                    "targets": targets.get(ind.pk, {}),
                }
        revision.indicator_targets = record
        revision.save(update_fields=["indicator_targets"])


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0005_content_german_column"),
    ]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="indicator_targets",
            field=models.JSONField(
                blank=True, default=None, editable=False, null=True, verbose_name="Zielwerte beim Beschluss"
            ),
        ),
        migrations.RunPython(record_current_targets, migrations.RunPython.noop),
    ]
