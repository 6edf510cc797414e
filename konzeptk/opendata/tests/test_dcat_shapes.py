"""The whole catalogue – every app's datasets, a staff dataset and the harvested Krefeld portal – against SEMIC's
DCAT-AP 3.0 shapes and GovData's DCAT-AP.de 3.0 shapes together, validated as one graph (not dataset by
dataset, to keep the suite quick)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from konzeptk.core import catalogue
from konzeptk.opendata.harvest.records import Recorded
from konzeptk.opendata.harvest.run import harvest
from konzeptk.opendata.models import Dataset, HarvestSource
from konzeptk.opendata.services import catalogue_sync
from konzeptk.opendata.tests.conftest import make_dataset
from konzeptk.opendata.tests.test_dcat import shacl_violations
from konzeptk.opendata.tests.test_harvest import PORTAL, RECORDING, portal_source  # noqa: F401 (fixture)
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_kind_of_dataset(
    city: Any,
    city_org: Any,
    settings: Any,
    portal_source: HarvestSource,  # noqa: F811 (the fixture imported above)
) -> set[str]:
    """What every app registers with the catalogue (the registry as the apps fill it, so an app added later is
    validated too), one staff dataset with several formats, and the recorded Krefeld portal, harvested."""
    settings.SITE_URL = "https://daten.krefeld.example"
    settings.KONZEPTK_DCATDE_CONTRIBUTOR_ID = "http://dcat-ap.de/def/contributors/openNRW"
    assert set(catalogue.providers()) >= {
        "city",
        "insights",
        "participation",
        "sensing",
        "servicedesk",
        "strategy",
    }
    make_datastream(city_org, name="Wetterstation Rathaus")
    catalogue_sync()
    make_dataset(
        "baumkataster",
        "Baumkataster",
        publisher=city_org,
        keywords=("Bäume",),
        formats=("CSV", "GEOJSON", "PDF"),
    )
    run = harvest(
        portal_source, fetch=Recorded({f"{PORTAL}/api/3/action/package_search*": RECORDING.read_bytes()})
    )
    assert run.created > 0
    origins = set(Dataset.objects.values_list("origin", flat=True))
    assert origins == {Dataset.Origin.PLATFORM, Dataset.Origin.STAFF, Dataset.Origin.HARVEST}
    return set(Dataset.objects.exclude(licence="").values_list("name", flat=True))


def test_every_kind_of_dataset_is_valid_dcat_ap_and_dcat_ap_de(
    client: Client, every_kind_of_dataset: set[str]
) -> None:
    response = client.get("/catalog.ttl?page=1")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    published = {str(node).rsplit("/", 1)[-1] for node in graph.subjects(RDF.type, DCAT.Dataset)}
    assert published == every_kind_of_dataset  # all on one page, each of them validated below
    assert {
        "gebiete-bezirke",
        "beteiligung-repraesentativitaet",
        "beteiligung-tagesabzug",
        "maengelmelder-meldungen",
        "smart-city-projekte",
        "smart-city-indikatoren",
    } <= published
    assert any(name.startswith("sensor-") for name in published)
    assert len(set(graph.subjects(RDF.type, DCAT.DataService))) >= 3  # platform API, STA, Open311
    assert "strabenverzeichnis-12-2016-der-stadt-krefeld" in published
    assert "baumkataster" in published
    violations = shacl_violations(graph)
    assert violations == [], "\n".join(sorted(violations))
