"""Ideas link to the strategy project that takes them up by a foreign key instead of two strings.

Existing values are carried over: the key is taken as the project's slug; if it matches nothing, the
slug is read from a project address (``/strategie/projekte/<slug>/``, with or without language prefix
or host). Links that match no project are dropped (they pointed nowhere the platform knows).
"""

import re

import django.db.models.deletion
from django.db import migrations, models

_PROJECT_PATH = re.compile(r"/strategie/projekte/([-\w]+)/?")


def _slug_from(key: str, url: str, slugs: set[str]) -> str | None:
    if key and key.strip() in slugs:
        return key.strip()
    match = _PROJECT_PATH.search(url or "")
    if match and match.group(1) in slugs:
        return match.group(1)
    return None


def forwards(apps, schema_editor):
    Idea = apps.get_model("participation", "Idea")
    Project = apps.get_model("strategy", "Project")
    ids_by_slug = dict(Project.objects.values_list("slug", "pk"))
    slugs = set(ids_by_slug)
    linked = Idea.objects.exclude(strategy_project_key="", strategy_project_url="").only(
        "pk", "strategy_project_key", "strategy_project_url"
    )
    for idea in linked.iterator(chunk_size=1000):
        slug = _slug_from(idea.strategy_project_key, idea.strategy_project_url, slugs)
        if slug is not None:
            Idea.objects.filter(pk=idea.pk).update(strategy_project_id=ids_by_slug[slug])


def backwards(apps, schema_editor):
    Idea = apps.get_model("participation", "Idea")
    for idea in Idea.objects.filter(strategy_project__isnull=False).select_related("strategy_project"):
        slug = idea.strategy_project.slug
        Idea.objects.filter(pk=idea.pk).update(
            strategy_project_key=slug, strategy_project_url=f"/strategie/projekte/{slug}/"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0004_surveys"),
        ("strategy", "0002_indicatorbinding"),
    ]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="strategy_project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="source_ideas",
                to="strategy.project",
                verbose_name="Projekt der Strategie, das die Idee aufgreift",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="idea", name="strategy_project_key"),
        migrations.RemoveField(model_name="idea", name="strategy_project_url"),
    ]
