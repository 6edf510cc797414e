"""The catalogue as DCAT-AP.de 3.0 (rdflib): the whole catalogue in Hydra pages, or one dataset.

Every IRI is built from ``SITE_URL`` (never from the request), so a harvester sees the same IRIs whichever
host name it used. Datasets without a licence are left out of the catalogue (GovData refuses them) until
someone fixes them; the dataset page shows the missing point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

from django.conf import settings
from django.utils import translation
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import active_profile
from konzeptk.opendata import vocab
from konzeptk.opendata.models import DataService, Dataset, Distribution

DCATDE = Namespace(vocab.DCATDE)
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
MEDIA_TYPES = {"ttl": "text/turtle", "rdf": "application/rdf+xml", "jsonld": "application/ld+json"}
LANG = "de"


def site_url(path: str = "") -> str:
    base = str(settings.SITE_URL).rstrip("/")
    if path.startswith(("http://", "https://")):
        return path
    return f"{base}/{path.lstrip('/')}" if path else base


def dataset_iri(name: str) -> URIRef:
    return URIRef(site_url(f"/dataset/{name}"))


def _graph(store: str = "default") -> Graph:
    graph = Graph(store=store)
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("skos", SKOS),
        ("dcatde", DCATDE),
        ("dcatap", DCATAP),
        ("hydra", HYDRA),
    ):
        graph.bind(prefix, namespace)
    return graph


def _typed(graph: Graph, iri: str, kind: URIRef) -> URIRef:
    node = URIRef(iri)
    graph.add((node, RDF.type, kind))
    return node


def _theme_label(code: str) -> str:
    """The German label of an EU data theme (DCAT-AP wants a skos:prefLabel on every skos:Concept)."""
    label = vocab.THEMES.get(code)
    if label is None:
        return code
    with translation.override(LANG):
        return str(label)


def _agent(graph: Graph, organisation: Organisation | None) -> URIRef:
    if organisation is None:
        profile = active_profile()
        node = URIRef(site_url("/organisation/platform"))
        graph.add((node, RDF.type, FOAF.Agent))
        graph.add((node, FOAF.name, Literal(profile.name if profile else "Konzept K", lang=LANG)))
        return node
    node = URIRef(site_url(f"/organisation/{organisation.slug}"))
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(organisation.name, lang=LANG)))
    if organisation.website:
        graph.add((node, FOAF.homepage, _typed(graph, organisation.website, FOAF.Document)))
    return node


def _contact(graph: Graph, dataset: Dataset) -> BNode | None:
    email = dataset.contact_email
    url = dataset.contact_url or (dataset.publisher.website if dataset.publisher else "")
    if not email and not url:
        return None
    node = BNode()
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, RDF.type, VCARD.Organization))
    name = dataset.publisher.name if dataset.publisher else dataset.title
    graph.add((node, VCARD.fn, Literal(name, lang=LANG)))
    if email:
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    if url:
        graph.add((node, VCARD.hasURL, URIRef(url)))
    return node


def _service(graph: Graph, service: DataService, publisher: URIRef) -> URIRef:
    node = _typed(graph, site_url(f"/dataservice/{service.key.replace('/', '-')}"), DCAT.DataService)
    graph.add((node, DCTERMS.title, Literal(service.title, lang=LANG)))
    if service.description:
        graph.add((node, DCTERMS.description, Literal(service.description, lang=LANG)))
    graph.add((node, DCAT.endpointURL, _typed(graph, site_url(service.endpoint_url), RDFS.Resource)))
    if service.endpoint_description:
        description = _typed(graph, site_url(service.endpoint_description), RDFS.Resource)
        graph.add((node, DCAT.endpointDescription, description))
    if service.conforms_to:
        graph.add((node, DCTERMS.conformsTo, _typed(graph, service.conforms_to, DCTERMS.Standard)))
    graph.add((node, DCTERMS.publisher, publisher))
    return node


def _distribution(
    graph: Graph, dataset: Dataset, item: Distribution, publisher: URIRef, attribution: str
) -> URIRef:
    node = _typed(graph, site_url(f"/dataset/{dataset.name}/distribution/{item.pk}"), DCAT.Distribution)
    graph.add((node, DCTERMS.title, Literal(item.title, lang=LANG)))
    if item.description:
        graph.add((node, DCTERMS.description, Literal(item.description, lang=LANG)))
    graph.add((node, DCAT.accessURL, _typed(graph, site_url(item.access_url), RDFS.Resource)))
    if item.download_url:
        graph.add((node, DCAT.downloadURL, _typed(graph, site_url(item.download_url), RDFS.Resource)))
    if item.file_format:
        fmt = _typed(graph, vocab.file_type_uri(item.file_format), DCTERMS.MediaTypeOrExtent)
        graph.add((node, DCTERMS["format"], fmt))
    if item.media_type:
        graph.add(
            (node, DCAT.mediaType, _typed(graph, vocab.media_type_uri(item.media_type), DCTERMS.MediaType))
        )
    licence = vocab.licence(dataset.licence)
    if licence:
        graph.add((node, DCTERMS.license, _typed(graph, licence.uri, DCTERMS.LicenseDocument)))
        if licence.code.startswith(("dl-by", "cc-by")):
            graph.add((node, DCATDE.licenseAttributionByText, Literal(attribution, lang=LANG)))
    if item.byte_size is not None:
        graph.add((node, DCAT.byteSize, Literal(item.byte_size, datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCTERMS.modified, Literal(dataset.modified, datatype=XSD.dateTime)))
    if item.service is not None:
        graph.add((node, DCAT.accessService, _service(graph, item.service, publisher)))
    return node


def add_dataset(
    graph: Graph, dataset: Dataset, distributions: Sequence[Distribution], profile: CityProfile | None
) -> URIRef:
    node = dataset_iri(dataset.name)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(str(node))))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang=LANG)))
    graph.add((node, DCTERMS.description, Literal(dataset.description or dataset.title, lang=LANG)))
    publisher = _agent(graph, dataset.publisher)
    graph.add((node, DCTERMS.publisher, publisher))
    contact = _contact(graph, dataset)
    if contact is not None:
        graph.add((node, DCAT.contactPoint, contact))
    for code in dataset.themes:
        theme = _typed(graph, vocab.theme_uri(code), SKOS.Concept)
        graph.add((theme, SKOS.prefLabel, Literal(_theme_label(code), lang=LANG)))
        graph.add((node, DCAT.theme, theme))
    for keyword in dataset.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang=LANG)))
    graph.add(
        (
            node,
            DCTERMS.accrualPeriodicity,
            _typed(graph, vocab.frequency_uri(dataset.frequency), DCTERMS.Frequency),
        )
    )
    graph.add((node, DCTERMS.issued, Literal(dataset.issued, datatype=XSD.dateTime)))
    graph.add((node, DCTERMS.modified, Literal(dataset.modified, datatype=XSD.dateTime)))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))
    if profile is not None and profile.regional_key:
        geocoding = vocab.GEOCODING_REGIONAL_KEY + profile.regional_key
        graph.add((node, DCATDE.politicalGeocodingURI, URIRef(geocoding)))
        graph.add((node, DCATDE.politicalGeocodingLevelURI, URIRef(vocab.GEOCODING_LEVEL + "municipality")))
        graph.add((node, DCTERMS.spatial, _typed(graph, geocoding, DCTERMS.Location)))
    contributor = str(getattr(settings, "KONZEPTK_DCATDE_CONTRIBUTOR_ID", "") or "")
    if contributor:
        graph.add((node, DCATDE.contributorID, URIRef(contributor)))
    landing = dataset.landing_page or dataset.get_absolute_url()
    graph.add((node, DCAT.landingPage, _typed(graph, site_url(landing), FOAF.Document)))
    attribution = dataset.publisher.name if dataset.publisher else (profile.name if profile else "Konzept K")
    for item in distributions:
        graph.add((node, DCAT.distribution, _distribution(graph, dataset, item, publisher, attribution)))
    return node


def dataset_graph(dataset: Dataset) -> Graph:
    graph = _graph()
    add_dataset(graph, dataset, list(dataset.distributions.all()), active_profile())
    return graph


def catalogue_graph(
    datasets: Sequence[Dataset],
    *,
    page: int,
    per_page: int,
    total: int,
    fmt: str,
    modified: dt.datetime | None,
) -> Graph:
    # a catalogue page is only written out: rdflib's store without context indexes adds triples at a
    # third of the cost of the default one
    graph = _graph("SimpleMemory")
    profile = active_profile()
    catalogue = _typed(graph, site_url("/catalog"), DCAT.Catalog)
    name = profile.name if profile else "Konzept K"
    graph.add((catalogue, DCTERMS.title, Literal(f"Offene Daten {name}", lang=LANG)))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                f"Alle Datensätze, die die Smart-City-Plattform von {name} und ihre Partner veröffentlichen.",
                lang=LANG,
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, _agent(graph, None)))
    graph.add((catalogue, FOAF.homepage, _typed(graph, site_url("/offene-daten/"), FOAF.Document)))
    graph.add(
        (
            catalogue,
            DCTERMS.language,
            _typed(
                graph,
                "http://publications.europa.eu/resource/authority/language/DEU",
                DCTERMS.LinguisticSystem,
            ),
        )
    )
    if modified is not None:
        graph.add((catalogue, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    for dataset in datasets:
        node = add_dataset(graph, dataset, list(dataset.distributions.all()), profile)
        graph.add((catalogue, DCAT.dataset, node))
    last = max(1, -(-total // per_page))
    base = site_url(f"/catalog.{fmt}")

    def page_url(number: int) -> URIRef:
        return URIRef(f"{base}?{urlencode({'page': number})}")

    collection = page_url(page)
    graph.add((collection, RDF.type, HYDRA.PagedCollection))
    graph.add((collection, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((collection, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
    graph.add((collection, HYDRA.firstPage, page_url(1)))
    graph.add((collection, HYDRA.lastPage, page_url(last)))
    if page > 1:
        graph.add((collection, HYDRA.previousPage, page_url(page - 1)))
    if page < last:
        graph.add((collection, HYDRA.nextPage, page_url(page + 1)))
    return graph


def serialise(graph: Graph, fmt: str, *, compact: bool = True) -> str:
    """The graph as text. ``compact=False`` writes Turtle as N-Triples lines (a subset of Turtle, valid for
    every Turtle reader): rdflib's pretty Turtle costs about ten times as much, too much for catalogue pages."""
    if fmt == "ttl" and not compact:
        return graph.serialize(format="nt")
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", auto_compact=True)
    return graph.serialize(format=FORMATS[fmt])
