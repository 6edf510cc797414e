"""Registry of what the platform publishes, for the open data catalogue.

Each app that publishes data registers a provider from its ``AppConfig.ready()``; the provider returns
:class:`Entry` objects describing datasets in plain data (no models of the catalogue). The catalogue app
(``konzeptk.opendata``, the top floor) reads the registry and keeps its datasets in step with it; apps never
import the catalogue, so the arrow points up only through this registry (like export and erasure).

Vocabulary codes are those of the EU publications office: themes (``ENVI``, ``GOVE`` …), frequencies
(``DAILY``, ``IRREG`` …), file types (``CSV``, ``GEOJSON`` …); licences are DCAT-AP.de licence codes
(``dl-by-de/2.0``, ``dl-zero-de/2.0``, ``cc-by/4.0`` …). URLs may be site paths (``/strategie/projekte.csv``);
the catalogue makes them absolute with ``SITE_URL``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Service:
    """An API through which distributions are reached (``dcat:DataService``)."""

    key: str
    title: str
    endpoint_url: str
    endpoint_description: str = ""
    conforms_to: str = ""
    description: str = ""


@dataclass(frozen=True)
class Distribution:
    """One way to get a dataset: a file or an API query (``dcat:Distribution``)."""

    key: str
    title: str
    access_url: str
    file_format: str
    media_type: str
    download_url: str = ""
    description: str = ""
    service: Service | None = None


@dataclass(frozen=True)
class Entry:
    """A dataset the platform publishes (``dcat:Dataset``)."""

    key: str
    name: str
    title: str
    description: str
    themes: tuple[str, ...]
    keywords: tuple[str, ...]
    distributions: tuple[Distribution, ...]
    publisher_slug: str = ""
    licence: str = "dl-by-de/2.0"
    frequency: str = "IRREG"
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None
    modified: dt.datetime | None = None
    landing_page: str = ""
    district_codes: tuple[str, ...] = field(default=())


Provider = Callable[[], Iterable[Entry]]

_providers: dict[str, Provider] = {}


def register(source: str, provider: Provider) -> None:
    """Register (or replace) the provider of ``source`` – the app label that publishes."""
    _providers[source] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


def entries() -> Iterable[tuple[str, Entry]]:
    """Every entry of every provider, with the source that published it."""
    for source, provider in sorted(_providers.items()):
        for entry in provider():
            yield source, entry


PLATFORM_API = Service(
    key="platform-api",
    title="JSON-API der Plattform",
    endpoint_url="/api/v1/",
    endpoint_description="/api/v1/openapi.json",
    conforms_to="https://spec.openapis.org/oas/v3.1.0",
    description="Programmierschnittstelle (OpenAPI 3) für Strategie, Beteiligung, Stadtprofil und Auswertungen.",
)
