"""Staff of an organisation register datasets: a file or an address, with metadata; others may not."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from konzeptk.accounts.models import Membership
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.opendata.models import Dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(city: Any) -> Any:
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(slug="grünflächen", name="Fachbereich Grünflächen"),
        role=Membership.Role.EDITOR,
    )
    return user


def _form(organisation_pk: int, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Baumkataster Krefeld",
        "description": "Alle Straßenbäume mit Art und Pflanzjahr.",
        "publisher": organisation_pk,
        "themes": ["ENVI"],
        "keywords": "Bäume, Stadtgrün",
        "licence": "dl-zero-de/2.0",
        "frequency": "ANNUAL",
        "contact_email": "gruen@example.org",
        **extra,
    }


def test_editor_uploads_a_file(client: Client, editor: Any) -> None:
    client.force_login(editor)
    organisation = editor.organisations.get()
    upload = SimpleUploadedFile("baeume.csv", b"id;art\n1;Linde\n", content_type="text/csv")
    response = client.post("/offene-daten/verwaltung/neu/", _form(organisation.pk, file=upload))
    assert response.status_code == 302
    dataset = Dataset.objects.get(name="baumkataster-krefeld")
    assert dataset.origin == Dataset.Origin.STAFF
    assert dataset.created_by == editor
    assert dataset.keywords == ["Bäume", "Stadtgrün"]
    item = dataset.distributions.get()
    assert item.file_format == "CSV"
    assert item.byte_size == 15
    assert client.get(item.file.url).status_code == 200  # public while in the catalogue
    html = client.get(f"/offene-daten/{dataset.name}/").content.decode()
    assert "<td>Linde</td>" in html


def test_editor_registers_an_address_and_edits(client: Client, editor: Any) -> None:
    client.force_login(editor)
    organisation = editor.organisations.get()
    response = client.post(
        "/offene-daten/verwaltung/neu/", _form(organisation.pk, url="https://example.org/b.geojson")
    )
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.distributions.get().file_format == "GEOJSON"
    response = client.post(
        f"/offene-daten/verwaltung/{dataset.name}/", _form(organisation.pk, title="Neuer Titel")
    )
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.title == "Neuer Titel"
    assert dataset.distributions.count() == 1  # kept when no new file or address comes


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Bitte laden Sie eine Datei hoch oder geben Sie eine Adresse an."),
        ({"url": "ftp://example.org/x.csv"}, "Die Adresse muss mit https:// oder http:// beginnen."),
        (
            {
                "url": "https://example.org/x.csv",
                "temporal_start": "2024-05-01",
                "temporal_end": "2020-01-01",
            },
            "Das Ende des Zeitraums liegt vor seinem Anfang.",
        ),
        ({"url": "https://example.org/x.csv", "licence": "meine-lizenz"}, "gültige Auswahl"),
        ({"url": "https://example.org/x.csv", "title": ""}, "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_bad_input_is_explained(client: Client, editor: Any, extra: dict[str, Any], message: str) -> None:
    client.force_login(editor)
    response = client.post("/offene-daten/verwaltung/neu/", _form(editor.organisations.get().pk, **extra))
    assert response.status_code in (400, 413)
    assert message in response.content.decode()
    assert not Dataset.objects.exists()


def test_others_may_not(client: Client, editor: Any) -> None:
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get("/offene-daten/verwaltung/neu/").status_code == 404
    client.force_login(editor)
    foreign = OrganisationFactory(slug="fremd")
    response = client.post(
        "/offene-daten/verwaltung/neu/", _form(foreign.pk, url="https://example.org/x.csv")
    )
    assert response.status_code == 400  # not among the choices
    assert not Dataset.objects.exists()
    client.logout()
    assert client.get("/offene-daten/verwaltung/").status_code == 302  # to the login


def test_a_500_mb_upload_is_refused_before_it_is_read(client: Client, editor: Any) -> None:
    client.force_login(editor)
    response = client.post(
        "/offene-daten/verwaltung/neu/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert not Dataset.objects.exists()
