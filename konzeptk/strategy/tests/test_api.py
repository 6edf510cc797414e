from __future__ import annotations

from konzeptk.strategy.models import Project


def test_api_lists(client, project, indicator, revision, orgs):
    Project.objects.create(slug="geheim", title="Geheim", summary="x", lead=orgs["swk"], published=False)
    data = client.get("/api/v1/strategy/revisions").json()
    assert data["count"] == 1
    assert data["items"][0]["version"] == 1
    fields = client.get("/api/v1/strategy/fields").json()
    assert {f["title"] for f in fields["items"]} == {"Mobilität", "Umwelt & Klima"}
    goals = client.get("/api/v1/strategy/goals", {"city_concept": "KlimaNeutral"}).json()
    assert [g["title"] for g in goals["items"]] == ["Klimaneutral 2035"]
    projects = client.get("/api/v1/strategy/projects").json()
    assert [p["slug"] for p in projects["items"]] == ["sensoren"]
    assert projects["items"][0]["field_keys"]
    assert client.get("/api/v1/strategy/projects", {"stage": "rollout"}).json()["count"] == 0
    inds = client.get("/api/v1/strategy/indicators").json()
    # 8 t in 2021: the line 9 t (2017) → 2 t (2035) expects 7.44 t; 8 % behind the planned change
    assert inds["items"][0]["status"] == "on_track"
    assert inds["items"][0]["values"][0]["value"] == 8


def test_api_errors_are_json(client, project, revision):
    response = client.get("/api/v1/strategy/projects/geheim")
    assert response.status_code == 404
    assert response.json()["code"] == "project_not_found"
    response = client.get("/api/v1/strategy/projects", {"stage": "quatsch"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "stage" in response.json()["message"]
    response = client.get("/api/v1/strategy/fields", {"version": 99})
    assert response.status_code == 404
    assert response.json()["code"] == "revision_not_found"
    response = client.get("/api/v1/strategy/projects", {"field": "kein-uuid"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_api_project_query_count_constant(client, orgs, revision, django_assert_max_num_queries):
    for i in range(3):
        Project.objects.create(slug=f"p{i}", title=f"P{i}", summary="s", lead=orgs["swk"], published=True)
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/strategy/projects")
    for i in range(3, 40):
        Project.objects.create(slug=f"p{i}", title=f"P{i}", summary="s", lead=orgs["swk"], published=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/strategy/projects", {"limit": 50}).json()["count"] == 40


def test_openapi_documents_strategy(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/strategy/projects" in schema["paths"]
