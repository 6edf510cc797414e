"""The catalogue pages: search with facets, dataset page with preview, counted downloads, data requests."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from konzeptk.opendata.models import Dataset, DatasetRequest, Distribution
from konzeptk.opendata.services import refresh
from konzeptk.opendata.tests.conftest import make_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def trees(city: Any, city_org: Any) -> Dataset:
    dataset = make_dataset(
        "baumkataster",
        "Baumkataster Krefeld",
        description="Alle Straßenbäume der Stadt.",
        publisher=city_org,
        keywords=("Bäume",),
        formats=("CSV",),
    )
    item = dataset.distributions.get()
    rows = "baum_id;art;pflanzjahr\n" + "".join(f"{n};Linde;{1950 + n % 70}\n" for n in range(150))
    item.file = SimpleUploadedFile("baeume.csv", rows.encode(), content_type="text/csv")
    item.save()
    return refresh(dataset)


def test_catalogue_search_and_facets(client: Client, trees: Dataset, city_org: Any) -> None:
    make_dataset("passanten", "Passantenfrequenz Hochstraße", themes=("ECON",), formats=("JSON",))
    page = client.get("/offene-daten/", {"q": "Bäume"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Baumkataster Krefeld" in html
    assert "Passantenfrequenz" not in html
    assert "1 Datensatz" in html
    everything = client.get("/offene-daten/").content.decode()
    assert "<bdi>Stadt Krefeld</bdi> (1)" in everything  # publisher facet, with its name
    filtered = client.get("/offene-daten/", {"theme": "ECON"}).content.decode()
    assert "Passantenfrequenz" in filtered
    assert "Baumkataster" not in filtered
    assert 'aria-current="true"' in filtered


@pytest.mark.parametrize("params", [{"page": "x"}, {"page": "-3"}, {"q": "a" * 500}, {"sort": "hack"}])
def test_bad_catalogue_parameters_are_a_clear_400(client: Client, db: Any, params: dict[str, str]) -> None:
    response = client.get("/offene-daten/", params)
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Angaben" in response.content.decode()


def test_dataset_page_shows_metadata_preview_and_quality(client: Client, trees: Dataset) -> None:
    html = client.get("/offene-daten/baumkataster/").content.decode()
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in html
    assert "Vorschau" in html
    assert '<th scope="col">pflanzjahr</th>' in html
    assert html.count("<td>Linde</td>") == 100  # the first 100 rows
    assert "von 405 Punkten" in html
    assert "dct:accrualPeriodicity" in html
    assert "/api/3/action/package_show" in html


def test_preview_of_a_file_the_platform_serves(client: Client, city: Any, city_org: Any) -> None:
    from konzeptk.opendata.services import DistributionData, dataset_write

    dataset = Dataset(
        name="organisationen",
        title="Netiquette",
        description="x",
        origin=Dataset.Origin.PLATFORM,
        licence="dl-zero-de/2.0",
    )
    dataset_write(
        dataset=dataset,
        distributions=[
            DistributionData(
                key="csv",
                title="Projekte",
                access_url="/strategie/projekte.csv",
                download_url="/strategie/projekte.csv",
                file_format="CSV",
            )
        ],
    )
    response = client.get("/offene-daten/organisationen/")
    assert response.status_code == 200
    assert "Vorschau" in response.content.decode()


def test_download_counts_on_post_only(client: Client, trees: Dataset) -> None:
    item = trees.distributions.get()
    url = f"/offene-daten/baumkataster/download/{item.pk}/"
    assert client.get(url).status_code == 405  # a GET never writes
    response = client.post(url)
    assert response.status_code == 303
    assert response["Location"].endswith(".csv")
    client.post(url)
    assert Distribution.objects.get(pk=item.pk).download_count == 2
    assert client.post("/offene-daten/baumkataster/download/999999/").status_code == 404


def test_data_request_is_answered_in_public(client: Client, db: Any) -> None:
    response = client.post(
        "/offene-daten/wunsch/", {"title": "Trinkwasserbrunnen", "description": "Für eine Karte."}
    )
    assert response.status_code == 302
    request = DatasetRequest.objects.get()
    assert request.requester is None
    request.answer = "Kommt im Frühjahr."
    request.status = DatasetRequest.Status.PLANNED
    request.save()
    html = client.get("/offene-daten/wunsch/").content.decode()
    assert "Trinkwasserbrunnen" in html
    assert "Kommt im Frühjahr." in html
    assert "in Vorbereitung" in html


@pytest.mark.parametrize(
    "data", [{}, {"title": "", "description": "x"}, {"title": "x" * 300, "description": "y"}]
)
def test_data_request_with_bad_input(client: Client, db: Any, data: dict[str, str]) -> None:
    response = client.post("/offene-daten/wunsch/", data)
    assert response.status_code == 400
    assert not DatasetRequest.objects.exists()


def test_quality_page(client: Client, trees: Dataset) -> None:
    html = client.get("/offene-daten/qualitaet/").content.decode()
    assert "Stadt Krefeld" in html
    assert "Baumkataster Krefeld" in html


def test_catalogue_page_query_count_follows_the_page(
    client: Client, city: Any, city_org: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        make_dataset(f"a-{n}", f"Datensatz {n}", publisher=city_org, formats=("CSV", "JSON"))
    with django_assert_max_num_queries(30) as small:
        client.get("/offene-daten/")
    for n in range(5, 45):
        make_dataset(f"a-{n}", f"Datensatz {n}", publisher=city_org, formats=("CSV", "JSON"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/offene-daten/")


def test_staff_answer_a_request_in_the_administration(admin_client: Client, db: Any) -> None:
    from konzeptk.opendata.services import dataset_request_create

    request = dataset_request_create(title="Brunnen", description="Für eine Karte.", requester=None)
    response = admin_client.post(
        f"/admin/opendata/datasetrequest/{request.pk}/change/",
        {"status": "planned", "answer": "Kommt im Frühjahr.", "dataset": ""},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answer == "Kommt im Frühjahr."
    assert request.answered_at is not None
