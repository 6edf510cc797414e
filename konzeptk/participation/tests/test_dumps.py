"""Daily CSV/JSON dumps of public participation data: complete for public content, nothing personal,
nothing hidden; a public download page. (The survey results' dataset: surveys/tests/test_dumps.py.)"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.participation import dumps
from konzeptk.participation.models import Idea, Process
from konzeptk.participation.tests.conftest import INSIDE_EAST, phases_around
from konzeptk.participation.tests.factories import CommentFactory, IdeaFactory, ProcessFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def data_dir(tmp_path: Path) -> Any:
    """A fresh private storage on disk, as in the embedded default (no dumps of other tests)."""
    from django.conf import settings

    private = {"BACKEND": "konzeptk.core.storage.PrivateFileSystemStorage", "OPTIONS": {"location": tmp_path}}
    with override_settings(DATA_DIR=tmp_path, STORAGES={**settings.STORAGES, "private": private}):
        yield tmp_path


def _text(name: str) -> str:
    """A current dump file read back through the storage, as the download view reads it."""
    handle = dumps.dump_open(name)
    assert handle is not None, name
    with handle:
        return handle.read().decode("utf-8-sig")  # every served CSV starts with a BOM


def test_dump_contains_public_data_only(
    data_dir: Path, city: Any, django_assert_max_num_queries: Any
) -> None:
    author = UserFactory(display_name="Erika Mustermann", email="erika@beispiel.invalid")
    process = ProcessFactory(slug="radverkehr", title="Radverkehr")
    phases_around(process, "idea_collection")
    public = IdeaFactory(
        process=process,
        author=author,
        title="Fahrradstraße Ostwall",
        lat=INSIDE_EAST[0],
        lon=INSIDE_EAST[1],
        district=city["east"],
        contributor_profile={"age_band": "65+"},
        text='=HYPERLINK("http://evil.example")',
    )
    IdeaFactory(process=process, title="Versteckte Idee", is_hidden=True)
    IdeaFactory(process=ProcessFactory(status=Process.Status.DRAFT), title="Idee im Entwurf")
    CommentFactory(idea=public, author=author, text="Sichtbarer Kommentar")
    CommentFactory(idea=public, text="Ausgeblendeter Kommentar", is_hidden=True)

    with django_assert_max_num_queries(40) as few:
        call_command("dump_participation", stdout=io.StringIO())
    everything = "".join(_text(name) for name in sorted(dumps.allowed_names()))
    for secret in (
        "Erika",
        "erika@",
        "Versteckte Idee",
        "Idee im Entwurf",
        "Ausgeblendeter Kommentar",
        "65+",
    ):
        assert secret not in everything, secret

    ideas = list(csv.DictReader(io.StringIO(_text("ideas.csv"))))
    assert [i["title"] for i in ideas] == ["Fahrradstraße Ostwall"]
    assert ideas[0]["district"] == "Ost"
    assert ideas[0]["lat"] == str(INSIDE_EAST[0])
    assert ideas[0]["text"].startswith("'=")  # no formula in spreadsheets
    data = json.loads(_text("ideas.json"))
    assert data["count"] == 1
    assert data["rows"][0]["text"].startswith("=")  # JSON keeps the text as it is
    comments = json.loads(_text("comments.json"))
    assert [c["text"] for c in comments["rows"]] == ["Sichtbarer Kommentar"]
    manifest = dumps.manifest_read()
    assert manifest is not None
    assert {f["name"] for f in manifest["files"]} == dumps.allowed_names() - {dumps.MANIFEST}

    # queries do not grow with the rows
    for _i in range(30):
        idea = IdeaFactory(process=process)
        CommentFactory(idea=idea)
    with django_assert_max_num_queries(len(few.captured_queries)):
        call_command("dump_participation", stdout=io.StringIO())
    assert len(list(csv.DictReader(io.StringIO(_text("ideas.csv"))))) == 31
    call_command("dump_participation", stdout=io.StringIO())
    generations = sorted(p.name for p in (data_dir / "opendata" / "participation").iterdir())
    assert generations == ["0000000002", "0000000003"]  # the current one and the one before it
    assert Idea.objects.count() == 33


def test_download_page_and_files(client: Client, data_dir: Path, city: Any) -> None:
    html = client.get("/beteiligung/offene-daten/").content.decode()
    assert "noch nicht erzeugt" in html
    assert client.get("/beteiligung/offene-daten/ideas.csv").status_code == 404
    IdeaFactory(process=ProcessFactory(slug="radverkehr"), title="Bänke am Rhein")
    dumps.participation_dumps_write()
    html = client.get("/beteiligung/offene-daten/").content.decode()
    assert 'href="/beteiligung/offene-daten/ideas.csv"' in html
    response = client.get("/beteiligung/offene-daten/ideas.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Bänke am Rhein" in b"".join(response.streaming_content).decode()
    response = client.get("/beteiligung/offene-daten/ideas.json")
    assert json.loads(b"".join(response.streaming_content))["count"] == 1
    for bad in ("../secret_key", "..%2Fsecret_key", "konzeptk.sqlite3", "ideas.xml"):
        assert client.get(f"/beteiligung/offene-daten/{bad}").status_code == 404
    assert client.get("/tr/beteiligung/offene-daten/").status_code == 200
