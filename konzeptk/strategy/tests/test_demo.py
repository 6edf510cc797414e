from __future__ import annotations

import io

import pytest

from konzeptk.strategy import services
from konzeptk.strategy.demo import PROJECTS
from konzeptk.strategy.models import FieldOfAction, Indicator, Project, Revision, StageTransition


@pytest.mark.django_db
def test_demo_is_idempotent_and_meaningful():
    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.strategy.demo import load_demo

    out = io.StringIO()
    load_accounts(out=out)
    load_demo(out=out)
    counts = (
        Revision.objects.count(),
        Project.objects.count(),
        StageTransition.objects.count(),
        Indicator.objects.count(),
    )
    load_demo(out=out)
    assert counts == (
        Revision.objects.count(),
        Project.objects.count(),
        StageTransition.objects.count(),
        Indicator.objects.count(),
    )
    assert Project.objects.count() == len(PROJECTS) >= 38
    rev1, rev2 = Revision.objects.get(version=1), Revision.objects.get(version=2)
    assert rev2.status == "adopted"
    assert rev1.status == "superseded"
    assert FieldOfAction.objects.filter(revision=rev2).count() == 6
    diff = services.revision_diff(a=rev1, b=rev2)
    kinds = {c.kind for c in diff.changes}
    assert {"added", "renamed", "moved"} <= kinds
    assert ("renamed", "Wirtschaft & Handel") in {(c.kind, c.title) for c in diff.changes}
    co2 = Indicator.objects.get(slug="co2-pro-kopf")
    assert (co2.baseline_value, co2.baseline_year) == (9.0, 2017)
    assert co2.targets.get().value == 2.0
    # every project's stage history ends in its current stage
    for project in Project.objects.prefetch_related("transitions"):
        assert list(project.transitions.all())[-1].to_stage == project.stage


def test_a11y_pages_render(client, district):
    """With a (small) city profile present, the pages the browser test checks all render."""
    from konzeptk.strategy.a11y import a11y_pages

    for path in a11y_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1, path
