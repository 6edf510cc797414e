"""Harvester of CKAN portals through their Action API (``package_search``, paged with start/rows)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from konzeptk.opendata.harvest import mapping
from konzeptk.opendata.harvest.records import Fetch, HarvestError, Record
from konzeptk.opendata.services.datasets import DistributionData

ROWS = 1000
MAX_PAGES = 1000


class BadRecord(Exception):
    """One record cannot be read; the run goes on."""


def _text(value: Any, limit: int = 10_000) -> str:
    return str(value)[:limit] if isinstance(value, str | int | float) else ""


def record(package: Mapping[str, Any]) -> Record:
    if not isinstance(package, Mapping):
        raise BadRecord("Eintrag ist kein Objekt")
    identifier = _text(package.get("name") or package.get("id"), 200)
    title = _text(package.get("title"), 300) or identifier
    if not identifier:
        raise BadRecord("Eintrag ohne Namen und Kennung")
    resources = package.get("resources") or []
    if not isinstance(resources, list):
        raise BadRecord("resources ist keine Liste")
    tags = package.get("tags") or []
    groups = package.get("groups") or []
    if not isinstance(tags, list) or not isinstance(groups, list):
        raise BadRecord("tags oder groups ist keine Liste")
    distributions = []
    for position, resource in enumerate(resources):
        if not isinstance(resource, Mapping) or not _text(resource.get("url")):
            raise BadRecord(f"Ressource {position + 1} ohne Adresse")
        url = _text(resource.get("url"), 1000)
        distributions.append(
            DistributionData(
                key=_text(resource.get("id"), 200) or str(position),
                title=_text(resource.get("name"), 300) or url.rsplit("/", 1)[-1],
                description=_text(resource.get("description")),
                access_url=url,
                download_url=url,
                file_format=mapping.file_type(_text(resource.get("format"), 40)),
                media_type=mapping.media_type(_text(resource.get("mimetype"), 100)),
                byte_size=resource.get("size") if isinstance(resource.get("size"), int) else None,
            )
        )
    themes = tuple(
        dict.fromkeys(
            code
            for code in (mapping.theme_code(_text(g.get("name"))) for g in groups if isinstance(g, Mapping))
            if code
        )
    )
    return Record(
        identifier=identifier,
        title=title,
        description=_text(package.get("notes")),
        keywords=tuple(_text(t.get("name"), 200) for t in tags if isinstance(t, Mapping) and t.get("name")),
        themes=themes,
        licence=mapping.licence_code(_text(package.get("license_id"), 100)),
        modified=mapping.when(package.get("metadata_modified")),
        issued=mapping.when(package.get("metadata_created")),
        landing_page=_text(package.get("url"), 1000),
        contact_email=_text(package.get("maintainer_email") or package.get("author_email"), 254),
        distributions=tuple(distributions),
    )


def pages(base_url: str, organisation: str, fetch: Fetch) -> Iterator[list[Any]]:
    """The raw packages of the source, page by page."""
    start = 0
    for _page in range(MAX_PAGES):
        params: dict[str, Any] = {"rows": ROWS, "start": start, "sort": "name asc"}
        if organisation:
            params["fq"] = f"organization:{organisation}"
        url = f"{base_url.rstrip('/')}/api/3/action/package_search?{urlencode(params)}"
        try:
            body = json.loads(fetch(url))
        except ValueError as exc:
            raise HarvestError(f"Antwort ist kein JSON: {exc}") from exc
        if (
            not isinstance(body, Mapping)
            or not body.get("success")
            or not isinstance(body.get("result"), Mapping)
        ):
            raise HarvestError("Antwort ist keine erfolgreiche CKAN-Antwort")
        results = body["result"].get("results")
        count = body["result"].get("count")
        if not isinstance(results, list) or not isinstance(count, int):
            raise HarvestError("Antwort ohne Ergebnisliste")
        yield results
        start += len(results)
        if not results or start >= count:
            return
    raise HarvestError("zu viele Seiten")
