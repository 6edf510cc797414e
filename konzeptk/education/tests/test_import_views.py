"""The import pages: a VHS editor adds the schema.org feed, imports it now and reads the report; uploads a
file; nobody sees another provider's sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from konzeptk.accounts.models import Membership, User
from konzeptk.education import imports
from konzeptk.education.models import ImportRun, ImportSource, Offer, Provider
from konzeptk.education.tests.conftest import make_provider

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.django_db


def _member(provider: Provider, email: str, role: str = Membership.Role.EDITOR) -> Client:
    user = User.objects.create_user(email=email, password="x-secret-123")
    Membership.objects.create(user=user, organisation=provider.organisation, role=role)
    client = Client()
    client.force_login(user)
    return client


def _main(response: Any) -> str:
    html: str = response.content.decode()
    return html[html.find("<main") :]


def test_vhs_editor_imports_a_schema_org_feed_and_sees_its_report(
    provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = _member(provider, "redaktion@vhs.example")
    assert editor.get(reverse("education:imports")).status_code == 200
    response = editor.post(
        reverse("education:import_source_add"),
        {
            "provider": provider.pk,
            "title": "Kursprogramm Digitales",
            "format": "jsonld",
            "url": "https://vhs.example/digital",
        },
    )
    source = ImportSource.objects.get(provider=provider)
    assert response.status_code == 302
    assert response["Location"] == reverse("education:import_source", kwargs={"pk": source.pk})
    page = _main(editor.get(response["Location"]))
    assert "Kursprogramm Digitales" in page
    assert "Jetzt importieren" in page
    monkeypatch.setattr(imports, "fetch_url", lambda url: (DATA / "jsonld/vhs-programm.html").read_bytes())
    response = editor.post(reverse("education:import_run_now", kwargs={"pk": source.pk}))
    run = ImportRun.objects.get(source=source)
    assert response["Location"] == reverse("education:import_run", kwargs={"pk": run.pk})
    report = _main(editor.get(response["Location"]))
    assert "mit Fehlern bei einzelnen Angeboten" in report
    assert "https://vhs.example/veranstaltungen/271-10991" in report
    assert "startDate" in report
    assert "„6.1“ ist keine DigComp-2.2-Kompetenz" in report
    assert Offer.objects.filter(import_source=source).count() == 4
    overview = _main(editor.get(reverse("education:imports")))
    assert "Kursprogramm Digitales" in overview
    assert "mit Fehlern bei einzelnen Angeboten" in overview


def test_upload_of_a_file_shows_its_report(provider: Provider) -> None:
    editor = _member(provider, "mediothek@vhs.example", Membership.Role.MEMBER)
    upload = SimpleUploadedFile("programm.ics", (DATA / "ical/mediothek.ics").read_bytes(), "text/calendar")
    response = editor.post(
        reverse("education:import_upload"), {"provider": provider.pk, "format": "ical", "file": upload}
    )
    assert response.status_code == 302
    report = _main(editor.get(response["Location"]))
    assert "mediothek-3d-druck@mediothek.example" in report
    source = ImportSource.objects.get(provider=provider)
    page = _main(editor.get(reverse("education:import_source", kwargs={"pk": source.pk})))
    assert "Jetzt importieren" not in page  # an upload is not fetched again


def test_bad_input_gets_form_errors(provider: Provider) -> None:
    editor = _member(provider, "redaktion@vhs.example")
    response = editor.post(
        reverse("education:import_source_add"),
        {"provider": provider.pk, "title": "X", "format": "pdf", "url": "ftp://vhs.example/x"},
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = editor.post(reverse("education:import_upload"), {"provider": provider.pk, "format": "csv"})
    assert response.status_code == 400
    assert not ImportSource.objects.exists()


def test_nobody_sees_or_runs_another_providers_sources(provider: Provider) -> None:
    other = make_provider("Mediothek Beispielstadt", "mediothek")
    source = ImportSource.objects.create(
        provider=other, title="Fremd", format="ical", url="https://m.example/k.ics"
    )
    run = ImportRun.objects.create(source=source, started_at=source.created_at)
    editor = _member(provider, "redaktion@vhs.example")
    assert editor.get(reverse("education:import_source", kwargs={"pk": source.pk})).status_code == 404
    assert editor.get(reverse("education:import_run", kwargs={"pk": run.pk})).status_code == 404
    assert editor.post(reverse("education:import_run_now", kwargs={"pk": source.pk})).status_code == 404
    response = editor.post(
        reverse("education:import_source_add"),
        {"provider": other.pk, "title": "X", "format": "ical", "url": "https://x.example/k.ics"},
    )
    assert response.status_code == 400
    assert not ImportSource.objects.filter(title="X").exists()
    assert "Fremd" not in _main(editor.get(reverse("education:imports")))
    outsider = Client()
    outsider.force_login(User.objects.create_user(email="niemand@example.org", password="x-secret-123"))
    assert outsider.get(reverse("education:imports")).status_code == 403
    assert Client().get(reverse("education:imports")).status_code == 302  # to the login


@pytest.mark.parametrize("runs", [3, 30])
def test_overview_queries_are_bounded(
    provider: Provider, django_assert_max_num_queries: Any, runs: int
) -> None:
    editor = _member(provider, "redaktion@vhs.example")
    for number in range(runs):
        source = ImportSource.objects.create(
            provider=provider, title=f"Quelle {number}", format="csv", url="upload:x"
        )
        ImportRun.objects.create(
            source=source,
            started_at=source.created_at,
            errors=[{"record": "a", "field": "b", "message": "c"}],
        )
    with django_assert_max_num_queries(14):
        response = editor.get(reverse("education:imports"))
    assert response.status_code == 200
