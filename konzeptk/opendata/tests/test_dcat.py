"""DCAT-AP.de 3.0 output: the catalogue in Hydra pages from SITE_URL, content negotiation, SHACL validity."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

from konzeptk.opendata import views
from konzeptk.opendata.tests.conftest import make_dataset

pytestmark = pytest.mark.django_db
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
SHAPES = Path(__file__).parent / "shapes"


SH = Namespace("http://www.w3.org/ns/shacl#")
# SEMIC's generated 3.0.0 shapes give the class "Dataset member of Dataset Series" (§6 of the spec: the
# datasets that are in a series, see SEMICeu/DCAT-AP#278) the target dcat:Dataset, so every dataset would
# need a dcat:inSeries. The file stays as published; its rules apply here to the datasets in a series.
IN_SERIES_SHAPE = URIRef("https://semiceu.github.io//DCAT-AP/releases/3.0.0#DatasetInSeriesShape")


@functools.cache
def _shapes() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        graph.parse(path, format="turtle")
    if (IN_SERIES_SHAPE, SH.targetClass, DCAT.Dataset) in graph:
        graph.remove((IN_SERIES_SHAPE, SH.targetClass, DCAT.Dataset))
        graph.add((IN_SERIES_SHAPE, SH.targetSubjectsOf, URIRef(f"{DCAT}inSeries")))  # not in rdflib's DCAT 2
    return graph


def shapes_graph() -> Graph:
    """SEMIC's DCAT-AP 3.0 shapes and GovData's DCAT-AP.de 3.0 shapes as one graph (parsed once, a copy each
    time, since pyshacl may add to it)."""
    graph = Graph()
    for triple in _shapes():
        graph.add(triple)
    return graph


def shacl_violations(data: Graph) -> list[str]:
    conforms, report, _text = validate(
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True
    )
    if conforms:
        return []
    return [
        f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: {report.value(r, SH.resultMessage)}"
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(r, SH.resultSeverity) == SH.Violation
    ]


@pytest.fixture
def datasets(city: Any, city_org: Any, settings: Any) -> None:
    settings.SITE_URL = "https://daten.krefeld.example"
    for n in range(3):
        make_dataset(
            f"messstation-{n}",
            f"Messstation {n}",
            publisher=city_org,
            keywords=("Luft",),
            formats=("CSV", "JSON"),
        )
    make_dataset("ohne-lizenz", "Ohne Lizenz", publisher=city_org, licence="")


def _turtle(client: Client, url: str, **headers: Any) -> Graph:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    graph = Graph()
    graph.parse(data=response.content.decode(), format="turtle")
    return graph


@pytest.mark.usefixtures("datasets")
def test_catalogue_pages_link_from_site_url(client: Client, settings: Any) -> None:
    views.RDF_PER_PAGE, old = 2, views.RDF_PER_PAGE
    settings.ALLOWED_HOSTS = ["*"]
    try:
        graph = _turtle(client, "/catalog.ttl", HTTP_HOST="interner-name:8000")
        page = URIRef("https://daten.krefeld.example/catalog.ttl?page=1")
        assert (page, RDF.type, HYDRA.PagedCollection) in graph
        assert graph.value(page, HYDRA.nextPage) == URIRef("https://daten.krefeld.example/catalog.ttl?page=2")
        assert int(str(graph.value(page, HYDRA.totalItems))) == 3  # the dataset without a licence waits
        datasets = set(graph.objects(None, DCAT.dataset))
        assert len(datasets) == 2
        second = _turtle(client, "/catalog.ttl?page=2")
        assert len(set(second.objects(None, DCAT.dataset))) == 1
        assert client.get("/catalog.ttl?page=3").status_code == 404
        assert client.get("/catalog.ttl?page=null").status_code == 400
    finally:
        views.RDF_PER_PAGE = old


@pytest.mark.usefixtures("datasets")
@pytest.mark.parametrize("fmt", ["rdf", "jsonld"])
def test_other_serialisations_parse(client: Client, fmt: str) -> None:
    response = client.get(f"/catalog.{fmt}")
    graph = Graph().parse(data=response.content.decode(), format={"rdf": "xml", "jsonld": "json-ld"}[fmt])
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 3
    assert client.get(f"/dataset/messstation-0.{fmt}").status_code == 200


@pytest.mark.usefixtures("datasets")
def test_german_details_for_govdata(client: Client) -> None:
    graph = _turtle(client, "/dataset/messstation-0.ttl")
    dataset = URIRef("https://daten.krefeld.example/dataset/messstation-0")
    assert graph.value(dataset, DCATDE.politicalGeocodingURI) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/regionalKey/051140000000"
    )
    assert graph.value(dataset, DCATDE.contributorID) == URIRef("http://dcat-ap.de/def/contributors/openNRW")
    distribution = graph.value(dataset, DCAT.distribution)
    assert graph.value(distribution, DCTERMS.license) == URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    assert (
        dataset,
        DCAT.theme,
        URIRef("http://publications.europa.eu/resource/authority/data-theme/ENVI"),
    ) in graph


@pytest.mark.usefixtures("datasets")
def test_content_negotiation(client: Client) -> None:
    graph = _turtle(client, "/dataset/messstation-1", HTTP_ACCEPT="text/turtle")
    assert len(graph) > 10
    response = client.get("/dataset/messstation-1", HTTP_ACCEPT="text/html")
    assert response.status_code == 303
    assert response["Location"] == "/offene-daten/messstation-1/"
    page = client.get("/offene-daten/messstation-1/", HTTP_ACCEPT="application/ld+json")
    assert page["Content-Type"].startswith("application/ld+json")
    assert client.get("/dataset/gibt-es-nicht", HTTP_ACCEPT="text/turtle").status_code == 404


@pytest.mark.usefixtures("datasets")
def test_catalogue_has_no_shacl_violation(client: Client) -> None:
    graph = _turtle(client, "/catalog.ttl")
    assert shacl_violations(graph) == []


@pytest.mark.usefixtures("datasets")
def test_the_shapes_catch_a_missing_licence(client: Client) -> None:
    graph = _turtle(client, "/dataset/ohne-lizenz.ttl")
    assert any("license" in v for v in shacl_violations(graph))


@pytest.mark.usefixtures("datasets")
def test_the_shapes_include_semic_dcat_ap(client: Client) -> None:
    """SEMIC's rules are in force beside GovData's: a theme without a label breaks one that only SEMIC has."""
    graph = _turtle(client, "/dataset/messstation-0.ttl")
    assert shacl_violations(graph) == []
    graph.remove((None, SKOS.prefLabel, None))
    assert any("prefLabel" in v for v in shacl_violations(graph))


def test_semic_shapes_are_the_published_file() -> None:
    text = (SHAPES / "dcat-ap-SHACL.ttl").read_bytes()
    assert len(text) == 192_605
    assert hashlib.sha256(text).hexdigest() == (
        "864dab2a987a854bbdc04f5322cd0d8237e2ea05ac1120ac20de2496cbf68cf2"
    )
