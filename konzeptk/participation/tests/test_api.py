"""The read-only JSON API: paginated, public content only, JSON errors, constant query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from konzeptk.participation.models import Process
from konzeptk.participation.tests.conftest import phases_around
from konzeptk.participation.tests.factories import CommentFactory, IdeaFactory, ProcessFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def process(city: Any) -> Process:
    p = ProcessFactory(slug="innenstadt")
    phases_around(p, "idea_collection", "results")
    return p


def test_processes_and_phases(client: Client, process: Process) -> None:
    ProcessFactory(status=Process.Status.DRAFT, slug="entwurf")
    data = client.get("/api/v1/participation/processes").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["slug"] == "innenstadt"
    assert [p["type"] for p in item["phases"]] == ["idea_collection", "results"]
    assert item["phases"][0]["active"] is True
    assert "crud" in item["phases"][0]["opens"]
    response = client.get("/api/v1/participation/processes/entwurf")
    assert response.status_code == 404
    assert response.json()["code"] == "process_not_found"


def test_ideas_paginated_without_hidden(client: Client, process: Process, city: Any) -> None:
    for i in range(5):
        IdeaFactory(process=process, district=city["west"], lat=51.33, lon=6.5, support_count=i)
    hidden = IdeaFactory(process=process, is_hidden=True, hidden_reason="Spam")
    data = client.get("/api/v1/participation/processes/innenstadt/ideas?limit=2&sort=supported").json()
    assert data["count"] == 5
    assert len(data["items"]) == 2
    assert data["items"][0]["support_count"] == 4
    assert data["items"][0]["district"] == "West"
    assert client.get(f"/api/v1/participation/ideas/{hidden.pk}").status_code == 404


def test_comments(client: Client, process: Process) -> None:
    idea = IdeaFactory(process=process)
    first = CommentFactory(idea=idea, text="<b>fett</b>")
    CommentFactory(idea=idea, parent=first)
    CommentFactory(idea=idea, is_hidden=True, hidden_reason="x", text="versteckt")
    data = client.get(f"/api/v1/participation/ideas/{idea.pk}/comments").json()
    assert data["count"] == 2
    assert data["items"][0]["text"] == "<b>fett</b>"  # JSON carries raw text; clients escape


def test_idea_list_query_count_is_constant(
    client: Client, process: Process, django_assert_max_num_queries: Any
) -> None:
    url = "/api/v1/participation/processes/innenstadt/ideas"
    IdeaFactory.create_batch(2, process=process)
    with django_assert_max_num_queries(8) as small:
        client.get(url)
    IdeaFactory.create_batch(30, process=process)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_openapi_lists_the_routes(client: Client, db: None) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/participation/processes/{slug}/ideas" in schema["paths"]
