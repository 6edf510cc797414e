from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from konzeptk.strategy import services
from konzeptk.strategy.models import FieldOfAction, Goal, Project, ProjectLink, Revision

from .conftest import client_for


@pytest.fixture
def published(project, indicator, district):
    project.districts.add(district)
    indicator.projects.add(project)
    return project


def test_public_pages_render(client, published, revision, indicator):
    field = FieldOfAction.objects.get(revision=revision, title="Umwelt & Klima")
    goal = Goal.objects.get(revision=revision, title="Klimaneutral 2035")
    urls = [
        reverse("strategy:overview"),
        reverse("strategy:field", args=[field.key]),
        reverse("strategy:goal", args=[goal.key]),
        reverse("strategy:projects"),
        reverse("strategy:project_map"),
        reverse("strategy:project", args=[published.slug]),
        reverse("strategy:indicators"),
        reverse("strategy:indicator", args=[indicator.slug]),
        reverse("strategy:revisions"),
        reverse("strategy:diff"),
        reverse("strategy:document"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert html.count("<h1") == 1, url
    overview = client.get(reverse("strategy:overview")).content.decode()
    assert "Umwelt &amp; Klima" in overview
    assert "Urbanes Datenmanagement" in overview
    ind = client.get(reverse("strategy:indicator", args=[indicator.slug])).content.decode()
    assert 'role="img"' in ind
    assert '<title id="chart-title">' in ind
    assert "<table" in ind
    assert "auf Kurs" in ind
    goal_page = client.get(reverse("strategy:goal", args=[goal.key])).content.decode()
    assert "KrefeldKlimaNeutral 2035" in goal_page


def test_content_marked_german_in_other_languages(client, published):
    url = reverse("strategy:project", args=[published.slug])
    html_de = client.get(url).content.decode()
    html = client.get("/en" + url).content.decode()
    # German content on an English page: isolated, marked German, with a visible hint ({% kk_text %})
    assert (
        '<h1 class="kern-heading-x-large"><bdi lang="de" dir="ltr" class="kk-fallback">Umweltsensoren</bdi>'
        ' <small class="kk-lang-hint">('
    ) in html
    assert '<h1 class="kern-heading-x-large">Umweltsensoren</h1>' in html_de


def test_unpublished_project_hidden(client, orgs, people):
    hidden = Project.objects.create(
        slug="geheim", title="Geheim", summary="x", lead=orgs["swk"], published=False
    )
    assert client.get(reverse("strategy:project", args=[hidden.slug])).status_code == 404
    assert "Geheim" not in client.get(reverse("strategy:projects")).content.decode()
    assert (
        client_for(people["swk_editor"]).get(reverse("strategy:project", args=[hidden.slug])).status_code
        == 200
    )


def test_project_filters_and_search(client, orgs, revision, district):
    mob = FieldOfAction.objects.get(revision=revision, title="Mobilität")
    a = Project.objects.create(
        slug="rad", title="Radzählung", summary="Zählstellen", lead=orgs["swk"], published=True, stage="pilot"
    )
    a.districts.add(district)
    ProjectLink.objects.create(project=a, kind="field", key=mob.key)
    Project.objects.create(
        slug="kurs",
        title="Tabletkurs",
        summary="Senior:innen lernen",
        lead=orgs["vhs"],
        published=True,
        stage="rollout",
        city_wide=True,
    )
    url = reverse("strategy:projects")

    def titles(**params):
        html = client.get(url, params).content.decode()
        return {t for t in ("Radzählung", "Tabletkurs") if t in html}

    assert titles() == {"Radzählung", "Tabletkurs"}
    assert titles(q="senior") == {"Tabletkurs"}
    assert titles(field=str(mob.key)) == {"Radzählung"}
    assert titles(stage="rollout") == {"Tabletkurs"}
    assert titles(organisation="swk") == {"Radzählung"}
    assert titles(district=str(district.pk)) == {"Radzählung", "Tabletkurs"}  # city-wide counts everywhere
    # bad filter values: form errors, no 500
    assert client.get(url, {"stage": "quatsch", "field": "kein-uuid"}).status_code == 200


def test_project_list_query_count_constant(client, orgs, revision, district, django_assert_max_num_queries):
    def make(n, start):
        for i in range(start, start + n):
            p = Project.objects.create(
                slug=f"p{i}", title=f"Projekt {i}", summary="s", lead=orgs["swk"], published=True
            )
            p.districts.add(district)

    make(3, 0)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("strategy:projects"))
    make(40, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("strategy:projects"))
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        client.get(reverse("strategy:projects"), {"district": district.pk, "q": "Projekt"})


def test_overview_and_indicator_list_query_count_constant(
    client, revision, indicator, django_assert_max_num_queries
):
    from konzeptk.strategy.models import Indicator, IndicatorValue

    with django_assert_max_num_queries(30) as few:
        client.get(reverse("strategy:overview"))
        client.get(reverse("strategy:indicators"))
    for i in range(20):
        ind = Indicator.objects.create(
            slug=f"i{i}",
            name=f"I{i}",
            unit="x",
            direction="up",
            source="s",
            baseline_value=1,
            baseline_year=2020,
        )
        IndicatorValue.objects.create(indicator=ind, value=2, date=dt.date(2022, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("strategy:overview"))
        client.get(reverse("strategy:indicators"))


def test_diff_page_and_self_diff(client, people, revision):
    draft = services.revision_clone(source=revision, by=None)
    field = FieldOfAction.objects.get(revision=draft, title="Mobilität")
    services.element_update(
        revision=draft, kind="field", element_id=field.pk, title="Mobilität & Verkehr", by=None
    )
    services.revision_adopt(revision=draft, by=None, council_decision="Rat")
    response = client.get(reverse("strategy:diff"), {"a": 1, "b": 2})
    assert response.status_code == 200
    assert "Mobilität &amp; Verkehr" in response.content.decode()
    response = client.get(reverse("strategy:diff"), {"a": 2, "b": 2})
    assert response.status_code == 400
    assert "zwei verschiedene Fassungen" in response.content.decode()
    assert client.get(reverse("strategy:diff"), {"a": 1, "b": "x"}).status_code == 404


def test_csv_exports(client, published, indicator):
    response = client.get(reverse("strategy:projects_csv"))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "kennung,titel" in body
    assert "sensoren" in body
    body = b"".join(client.get(reverse("strategy:indicator_values_csv")).streaming_content).decode()
    assert "co2" in body
    assert "2021-01-01" in body


# --- staff ----------------------------------------------------------------------------------------


def test_editor_of_other_org_gets_403_and_nothing_changes(people, project):
    client = client_for(people["vhs_admin"])
    url = reverse("strategy:project_edit", args=[project.slug])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"title": "Gekapert", "slug": project.slug, "summary": "x", "lead": project.lead_id}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("strategy:project_stage", args=[project.slug]),
        {"to_stage": "evaluation", "date": "2024-01-01", "reason": "x"},
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "Umweltsensoren"
    assert project.stage == "pilot"


def test_anonymous_redirected_to_login(client, project):
    response = client.get(reverse("strategy:project_edit", args=[project.slug]))
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_editor_edits_own_project(people, project, revision):
    client = client_for(people["swk_editor"])
    goal = Goal.objects.get(revision=revision, title="Klimaneutral 2035")
    url = reverse("strategy:project_edit", args=[project.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Umweltsensoren gegen Hitzeinseln",
            "slug": project.slug,
            "summary": "30 Wetterstationen",
            "lead": project.lead_id,
            "goal_keys": [str(goal.key)],
            "published": "on",
            "budget_planned": "12000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.title == "Umweltsensoren gegen Hitzeinseln"
    assert project.updated_by == people["swk_editor"]
    assert project.links.filter(kind="goal", key=goal.key).exists()
    # an editor may not hand the project to another organisation
    response = client.post(
        url,
        {
            "title": "x",
            "slug": project.slug,
            "summary": "x",
            "lead": people["vhs_admin"].memberships.first().organisation_id,
        },
    )
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.title == "Umweltsensoren gegen Hitzeinseln"


def test_stage_change_via_page(people, project):
    client = client_for(people["swk_editor"])
    url = reverse("strategy:project_stage", args=[project.slug])
    response = client.post(url, {"to_stage": "completed", "date": "2024-01-01", "reason": "x"}, follow=True)
    assert "nicht direkt" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "pilot"
    client.post(url, {"to_stage": "evaluation", "date": "2024-01-01", "reason": "Messphase beendet"})
    project.refresh_from_db()
    assert project.stage == "evaluation"
    assert project.transitions.get().created_by == people["swk_editor"]


def test_indicator_value_via_page(people, indicator, project):
    indicator.projects.add(project)
    client = client_for(people["swk_editor"])
    url = reverse("strategy:indicator_edit", args=[indicator.slug])
    response = client.post(url, {"action": "value", "wert-value": "viel", "wert-date": "2022-01-01"})
    assert response.status_code == 400
    assert "keine Zahl" in response.content.decode()
    assert indicator.values.count() == 1
    response = client.post(url, {"action": "value", "wert-value": "7,6", "wert-date": "2022-01-01"})
    assert response.status_code == 302
    assert indicator.values.get(date=dt.date(2022, 1, 1)).created_by == people["swk_editor"]
    # targets only by the core team
    response = client.post(url, {"action": "target", "ziel-value": "1", "ziel-year": "2040"})
    assert response.status_code == 403
    core = client_for(people["core"])
    response = core.post(url, {"action": "target", "ziel-value": "1", "ziel-year": "2000"})
    assert response.status_code == 400
    assert "nach dem Ausgangsjahr" in response.content.decode()
    assert not indicator.targets.filter(year=2000).exists()


def test_core_team_drafts_edits_and_adopts(people, revision):
    client = client_for(people["core"])
    assert client.get(reverse("strategy:workspace")).status_code == 200
    response = client.post(reverse("strategy:clone", args=[1]))
    assert response.status_code == 302
    draft = Revision.objects.get(version=2)
    assert client.get(reverse("strategy:draft", args=[2])).status_code == 200
    client.post(reverse("strategy:element_add", args=[2, "field"]), {"title": "Verwaltung"})
    verwaltung = FieldOfAction.objects.get(revision=draft, title="Verwaltung")
    assert verwaltung.updated_by == people["core"]
    client.post(
        reverse("strategy:element_add", args=[2, "goal"]),
        {"title": "Alles digital", "parent": verwaltung.pk, "city_concept": "Verwaltung@Krefeld.Digital"},
    )
    goal = Goal.objects.get(revision=draft, title="Alles digital")
    mob = FieldOfAction.objects.get(revision=draft, title="Mobilität")
    client.post(
        reverse("strategy:element_update", args=[2, "goal", goal.pk]),
        {"title": "Verwaltung vollständig digital", "parent": mob.pk, "position": 3},
    )
    goal.refresh_from_db()
    assert goal.title == "Verwaltung vollständig digital"
    assert goal.field == mob
    client.post(reverse("strategy:element_delete", args=[2, "goal", goal.pk]))
    assert not Goal.objects.filter(pk=goal.pk).exists()
    response = client.post(
        reverse("strategy:adopt", args=[2]), {"council_decision": "", "decided_on": ""}, follow=True
    )
    assert Revision.objects.get(version=2).status == "draft"
    response = client.post(
        reverse("strategy:adopt", args=[2]),
        {"council_decision": "Rat vom 01.09.2023", "decided_on": "2023-09-01"},
    )
    assert response.status_code == 302
    assert Revision.objects.get(version=2).status == "adopted"
    assert Revision.objects.get(version=1).status == "superseded"


def test_non_core_cannot_touch_revisions(people, revision):
    client = client_for(people["swk_editor"])
    assert client.post(reverse("strategy:clone", args=[1])).status_code == 403
    assert Revision.objects.count() == 1


def test_project_page_lists_source_ideas_with_bounded_queries(client, project, django_assert_max_num_queries):
    """Accountability: the project page names the public ideas it came from; the number of queries does
    not grow with the ideas, hidden ideas and ideas of draft processes never appear."""
    from konzeptk.participation.models import Idea, Process

    process = Process.objects.create(
        slug="quelle", title="Ideen für Krefeld", organiser=project.lead, status=Process.Status.PUBLISHED
    )
    draft = Process.objects.create(slug="entwurf", title="Entwurf", organiser=project.lead)

    def ideas(n, start, **extra):
        Idea.objects.bulk_create(
            [
                Idea(process=process, title=f"Quelle {i}", text="t", strategy_project=project, **extra)
                for i in range(start, start + n)
            ]
        )

    url = reverse("strategy:project", args=[project.slug])
    ideas(2, 0, status="accepted")
    Idea.objects.create(
        process=process, title="Versteckt", text="t", strategy_project=project, is_hidden=True
    )
    Idea.objects.create(process=draft, title="Aus dem Entwurf", text="t", strategy_project=project)
    with django_assert_max_num_queries(40) as few:
        html = client.get(url).content.decode()
    assert "Ideen, aus denen dieses Projekt entstanden ist" in html
    assert "Quelle 0" in html
    assert "Quelle 1" in html
    assert "Versteckt" not in html
    assert "Aus dem Entwurf" not in html
    ideas(80, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('href="/beteiligung/quelle/ideen/') == 50  # bounded list, total named
    assert "82 Ideen aus der Bürgerbeteiligung" in html
