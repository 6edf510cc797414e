"""/media/ answers an upload only while the app owning it says it is public (issue 11, finding 3)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from PIL import Image

from konzeptk.core.media_registry import clean_name, is_public
from konzeptk.core.models import SitePage
from konzeptk.participation.models import Idea, Process
from konzeptk.participation.tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(out, "JPEG")
    return out.getvalue()


def _idea_with_image(**kwargs: Any) -> Idea:
    idea: Idea = IdeaFactory(**kwargs)
    idea.image.save("bild.jpg", ContentFile(_jpeg()))
    return idea


def test_the_image_of_a_visible_idea_is_served_with_cache_headers(client: Client) -> None:
    idea = _idea_with_image()
    response = client.get(idea.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == _jpeg()
    assert response["Cache-Control"] == "public, max-age=300"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_image_of_a_hidden_or_deleted_idea_or_a_draft_process_answers_404(client: Client) -> None:
    hidden = _idea_with_image()
    url = hidden.image.url
    assert client.get(url).status_code == 200
    Idea.objects.filter(pk=hidden.pk).update(is_hidden=True)
    assert client.get(url).status_code == 404
    deleted = _idea_with_image()
    Idea.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    assert client.get(deleted.image.url).status_code == 404
    draft = _idea_with_image(process__status=Process.Status.DRAFT)
    assert client.get(draft.image.url).status_code == 404


def test_files_no_app_vouches_for_answer_404(client: Client) -> None:
    default_storage.save("participation/ideas/2026/waise.jpg", ContentFile(_jpeg()))
    default_storage.save("irgendwas/geheim.txt", ContentFile(b"geheim"))
    assert client.get("/media/participation/ideas/2026/waise.jpg").status_code == 404
    assert client.get("/media/irgendwas/geheim.txt").status_code == 404
    assert client.get("/media/").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["../secret_key", "participation/ideas/../../secret_key", "/etc/passwd", "a\\b", "pages/./x", "a//b", ""],
)
def test_names_that_leave_the_media_folder_are_refused(path: str) -> None:
    assert clean_name(path) is None


def test_traversal_over_http_answers_404(client: Client) -> None:
    assert client.get("/media/participation/ideas/%2e%2e/%2e%2e/secret_key").status_code == 404


def test_the_sign_language_video_is_served_and_a_missing_file_answers_404(client: Client) -> None:
    page = SitePage.objects.create(slug="gebaerdensprache", title="Gebärdensprache", body="…")
    page.video.save("video.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
    assert client.get(page.video.url).status_code == 200
    default_storage.delete(page.video.name)
    assert client.get(page.video.url).status_code == 404


def test_one_query_decides_an_image(django_assert_num_queries: Any) -> None:
    idea = _idea_with_image()
    with django_assert_num_queries(1):
        assert is_public(idea.image.name)


def test_media_answers_only_get_and_head(client: Client) -> None:
    idea = _idea_with_image()
    assert client.head(idea.image.url).status_code == 200
    assert client.post(idea.image.url).status_code == 405


def test_moderators_see_a_hidden_idea_image_uncached_others_get_404(client: Client) -> None:
    from konzeptk.accounts.tests.factories import MembershipFactory, UserFactory

    idea = _idea_with_image()
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    moderator = UserFactory()
    MembershipFactory(user=moderator, organisation=idea.process.organiser, role="moderator")
    client.force_login(UserFactory())
    assert client.get(idea.image.url).status_code == 404
    client.force_login(moderator)
    response = client.get(idea.image.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    Idea.objects.filter(pk=idea.pk).update(deleted_at=timezone.now())
    assert client.get(idea.image.url).status_code == 404
