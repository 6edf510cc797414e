"""Idea images through Django's storage API on S3-compatible object storage (moto's server, started here):
uploaded through the real form, stored in the bucket without EXIF, read back through the application
(``/media/``), removed from the bucket when the author replaces or removes the image."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from PIL import Image

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.tests.s3 import S3, s3_storages  # noqa: F401 – the fixture
from konzeptk.participation.models import Idea
from konzeptk.participation.tests.conftest import phases_around
from konzeptk.participation.tests.factories import ProcessFactory
from konzeptk.servicedesk.tests.conftest import jpeg_with_gps


def _upload(name: str) -> io.BytesIO:
    out = io.BytesIO(jpeg_with_gps((64, 48)))
    out.name = name
    return out


def test_idea_image_lands_in_the_bucket_without_exif_and_leaves_it_again(
    s3_storages: S3,  # noqa: F811
    client: Client,
    city: Any,
    frozen: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    process = ProcessFactory(slug="radverkehr")
    phases_around(process, "idea_collection")
    client.force_login(UserFactory())
    url = reverse("participation:idea_create", kwargs={"slug": process.slug})
    response = client.post(url, {"title": "Mit Bild", "text": "Text", "image": _upload("kamera.jpg")})
    assert response.status_code == 302
    idea = Idea.objects.get()
    key = f"media/{idea.image.name}"
    assert s3_storages.keys("media/") == [key]
    stored = Image.open(io.BytesIO(s3_storages.get(key)))
    assert stored.format == "JPEG"
    assert not stored.getexif()  # no camera, no GPS position
    assert not s3_storages.keys("private/")

    # the page links the image under /media/ (answered by the application, the bucket stays private)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert f'src="/media/{idea.image.name}"' in page
    with idea.image.open("rb") as handle:  # read back through the storage API
        assert handle.read() == s3_storages.get(key)
    served = client.get(f"/media/{idea.image.name}")  # and through the application's /media/ view
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == s3_storages.get(key)

    # replacing and removing the image through the edit form removes the objects
    edit = reverse("participation:idea_update", kwargs={"slug": process.slug, "pk": idea.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {"title": "Mit Bild", "text": "Text", "image": _upload("neu.jpg")})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert s3_storages.keys("media/") == [f"media/{idea.image.name}"] != [key]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {"title": "Ohne Bild", "text": "Text", "image-clear": "on"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert not idea.image
    assert s3_storages.keys() == []


def test_settings_switch_both_storages_to_s3_with_the_bucket_variable() -> None:
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "konzeptk.settings",
        "KONZEPTK_S3_BUCKET": "krefeld-uploads",
        "KONZEPTK_S3_ENDPOINT_URL": "https://s3.example.invalid",
        "KONZEPTK_S3_REGION": "eu-central-1",
    }
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({k: [v['BACKEND'], v.get('OPTIONS', {}).get('location'), "
        "v.get('OPTIONS', {}).get('bucket_name'), v.get('OPTIONS', {}).get('endpoint_url')] "
        "for k, v in settings.STORAGES.items()}, default=str))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    storages = json.loads(out.stdout)
    endpoint = "https://s3.example.invalid"
    assert storages["default"] == [
        "konzeptk.core.storage_s3.MediaS3Storage",
        "media",
        "krefeld-uploads",
        endpoint,
    ]
    assert storages["private"] == [
        "konzeptk.core.storage_s3.PrivateS3Storage",
        "private",
        "krefeld-uploads",
        endpoint,
    ]


def test_open_data_dumps_are_written_to_and_served_from_the_bucket(
    s3_storages: S3,  # noqa: F811
    client: Client,
    city: Any,
) -> None:
    from konzeptk.participation import dumps
    from konzeptk.participation.tests.factories import IdeaFactory

    IdeaFactory(process=ProcessFactory(slug="radverkehr"), title="Bänke am Rhein")
    for _run in range(3):
        dumps.participation_dumps_write()
    keys = s3_storages.keys("private/opendata/participation/")
    assert {key.split("/")[3] for key in keys} == {"0000000002", "0000000003"}  # current and previous run
    assert not s3_storages.keys("media/")
    response = client.get("/beteiligung/offene-daten/ideas.csv")
    assert response.status_code == 200
    assert "Bänke am Rhein" in b"".join(response.streaming_content).decode()
