"""Public pages of the open data catalogue for the accessibility browser test and the GET crawl."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from konzeptk.accounts.models import Organisation
from konzeptk.city.selectors import active_profile, forget_active_profile
from konzeptk.city.services import city_profile_load
from konzeptk.opendata.models import Dataset, DatasetRequest
from konzeptk.opendata.services import DistributionData, dataset_request_create, dataset_write, refresh

NAME = "baumkataster-a11y"


def a11y_pages() -> list[str]:
    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    publisher, _created = Organisation.objects.get_or_create(
        slug="stadt-krefeld-a11y", defaults={"name": "Stadt Krefeld (Test)", "kind": Organisation.Kind.CITY}
    )
    if not Dataset.objects.filter(name=NAME).exists():
        dataset = Dataset(
            name=NAME,
            title="Baumkataster (Testdatensatz)",
            description="Straßenbäume mit Art und Pflanzjahr – ein Datensatz für die Prüfung der Barrierefreiheit.",
            publisher=publisher,
            themes=["ENVI"],
            keywords=["Bäume", "Stadtgrün"],
            licence="dl-zero-de/2.0",
            origin=Dataset.Origin.STAFF,
            contact_email="opendata@beispiel.invalid",
        )
        dataset_write(
            dataset=dataset,
            distributions=[
                DistributionData(
                    key="file", title="baeume.csv", access_url="", file_format="CSV", media_type="text/csv"
                )
            ],
        )
        item = dataset.distributions.get()
        rows = "baum_id;art;pflanzjahr;strasse\n" + "".join(
            f"{n};Winterlinde;{1990 + n % 30};Ostwall\n" for n in range(30)
        )
        item.file = SimpleUploadedFile("baeume.csv", rows.encode(), content_type="text/csv")
        item.access_url = item.download_url = item.file.url if item.file else ""
        item.save()
        refresh(dataset)
    if not DatasetRequest.objects.exists():
        dataset_request_create(
            title="Standorte der Trinkwasserbrunnen", description="Für eine Karte.", requester=None
        )
    return [
        "/offene-daten/",
        "/offene-daten/?q=B%C3%A4ume&theme=ENVI",
        f"/offene-daten/{NAME}/",
        "/offene-daten/wunsch/",
        "/offene-daten/qualitaet/",
    ]
