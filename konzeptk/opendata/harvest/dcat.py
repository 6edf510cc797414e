"""Harvester of DCAT catalogues (Turtle, RDF/XML, JSON-LD), following Hydra paging."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.term import Node

from konzeptk.opendata.harvest import mapping
from konzeptk.opendata.harvest.records import Fetch, HarvestError, Record
from konzeptk.opendata.services.datasets import DistributionData

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MAX_PAGES = 1000
_XML_START = re.compile(rb"<(\?xml|!--|[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?[\s/>])")


class BadRecord(Exception):
    """One dataset cannot be read; the run goes on."""


def _format(url: str, data: bytes) -> str:
    head = data.lstrip()[:200]
    if url.endswith((".jsonld", ".json")) or head.startswith((b"{", b"[")):
        return "json-ld"
    # an XML document starts with a declaration or an element (<rdf:RDF …>), N-Triples/Turtle with <http://…>
    if url.endswith((".rdf", ".xml")) or _XML_START.match(head):
        return "xml"
    return "turtle"


def _literal(graph: Graph, node: Node, predicate: URIRef) -> str:
    values = [v for v in graph.objects(node, predicate) if isinstance(v, Literal)]
    german = [v for v in values if v.language == "de"]
    chosen = german or values
    return str(chosen[0]) if chosen else ""


def _iri(graph: Graph, node: Node, predicate: URIRef) -> str:
    value = graph.value(node, predicate)
    return str(value) if value is not None else ""


def record(graph: Graph, node: Node) -> Record:
    title = _literal(graph, node, DCTERMS.title)
    identifier = _literal(graph, node, DCTERMS.identifier) or (str(node) if isinstance(node, URIRef) else "")
    if not identifier or not title:
        raise BadRecord(f"Datensatz ohne Titel oder Kennung: {identifier or node}")
    distributions = []
    licences = []
    for position, item in enumerate(sorted(graph.objects(node, DCAT.distribution), key=str)):
        access = _iri(graph, item, DCAT.accessURL)
        if not access:
            raise BadRecord(f"{identifier}: Distribution ohne dcat:accessURL")
        licence = _iri(graph, item, DCTERMS.license)
        if licence:
            licences.append(mapping.licence_code(licence))
        distributions.append(
            DistributionData(
                key=str(item) if isinstance(item, URIRef) else str(position),
                title=_literal(graph, item, DCTERMS.title) or access.rsplit("/", 1)[-1],
                description=_literal(graph, item, DCTERMS.description),
                access_url=access,
                download_url=_iri(graph, item, DCAT.downloadURL),
                file_format=mapping.file_type(
                    _iri(graph, item, DCTERMS["format"]) or _literal(graph, item, DCTERMS["format"])
                ),
                media_type=mapping.media_type(_iri(graph, item, DCAT.mediaType)),
            )
        )
    licence = mapping.licence_code(_iri(graph, node, DCTERMS.license)) or next((c for c in licences if c), "")
    contact = graph.value(node, DCAT.contactPoint)
    email = _iri(graph, contact, VCARD.hasEmail).removeprefix("mailto:") if contact is not None else ""
    period = graph.value(node, DCTERMS.temporal)
    start = mapping.when(graph.value(period, DCAT.startDate)) if period is not None else None
    end = mapping.when(graph.value(period, DCAT.endDate)) if period is not None else None
    return Record(
        identifier=identifier[:300],
        title=title[:300],
        description=_literal(graph, node, DCTERMS.description),
        keywords=tuple(str(k)[:200] for k in graph.objects(node, DCAT.keyword)),
        themes=tuple(
            dict.fromkeys(
                c for c in (mapping.theme_code(str(t)) for t in graph.objects(node, DCAT.theme)) if c
            )
        ),
        licence=licence,
        modified=mapping.when(graph.value(node, DCTERMS.modified)),
        issued=mapping.when(graph.value(node, DCTERMS.issued)),
        landing_page=_iri(graph, node, DCAT.landingPage),
        contact_email=email[:254],
        frequency=mapping.frequency_code(_iri(graph, node, DCTERMS.accrualPeriodicity)),
        temporal_start=start.date() if start else None,
        temporal_end=end.date() if end else None,
        distributions=tuple(distributions),
    )


def _next_page(graph: Graph) -> str:
    for predicate in (HYDRA.nextPage, HYDRA.next):
        for value in graph.objects(None, predicate):
            return str(value)
    return ""


def pages(url: str, fetch: Fetch) -> Iterator[tuple[Graph, list[Node]]]:
    seen: set[str] = set()
    next_url = url
    for _page in range(MAX_PAGES):
        if not next_url or next_url in seen:
            return
        seen.add(next_url)
        data = fetch(next_url)
        graph = Graph()
        try:
            graph.parse(data=data, format=_format(next_url, data), publicID=next_url)
        except Exception as exc:  # rdflib raises many kinds for broken documents
            raise HarvestError(f"{next_url[:80]}: kein lesbares RDF ({type(exc).__name__})") from exc
        yield graph, sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str)
        next_url = _next_page(graph)
    raise HarvestError("zu viele Seiten")
