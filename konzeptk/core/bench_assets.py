"""The weight of a map page (part of ``python -m konzeptk.bench core``): every JavaScript and CSS file a
page with the map component loads (the home page with the map of the city), gzipped as a server sends them (level 9), against the target of at
most 150 kB in total; a page without a map beside it shows what the map adds. The assets are read from
the rendered HTML (``<script src>``, ``<link rel="stylesheet">``), so a file a template adds later is
counted without changing this module. ``KONZEPTK_BENCH_ONLY=karte`` runs only this part.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

TARGET_KB = 150.0
MAP_PAGE = "Startseite (Karte der Stadt)"
PLAIN_PAGE = "Impressum (ohne Karte)"
#: Core's own pages (core sits on floor 0 and renders no room's page); every map page loads the same
#: component assets, the rooms' pages add their own style sheet of 1–3 kB.
PAGES = {MAP_PAGE: "/", PLAIN_PAGE: "/impressum/"}


@dataclass(frozen=True)
class Asset:
    url: str
    raw: int
    gzipped: int


class _AssetParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and values.get("src"):
            self.urls.append(values["src"])
        elif tag == "link" and "stylesheet" in values.get("rel", "").split() and values.get("href"):
            self.urls.append(values["href"])


def asset_urls(html: str) -> list[str]:
    """The scripts and style sheets a page loads, in order, each once."""
    parser = _AssetParser()
    parser.feed(html)
    return list(dict.fromkeys(parser.urls))


def assets_of(html: str) -> list[Asset]:
    """The JavaScript and CSS files of ``html`` found among the static files, with raw and gzipped size."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    found = []
    for url in asset_urls(html):
        path = url.split("?")[0]
        if not path.startswith(settings.STATIC_URL) or not path.endswith((".js", ".css")):
            continue
        located = finders.find(path.removeprefix(settings.STATIC_URL))
        if not located:
            raise FileNotFoundError(f"{url}: keine statische Datei")
        data = Path(str(located)).read_bytes()
        found.append(Asset(url=path, raw=len(data), gzipped=len(gzip.compress(data, compresslevel=9))))
    return found


def _render_pages() -> dict[str, str]:
    """Pages with a map of the city and one without, in a throwaway database with the Krefeld profile."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from konzeptk.city.selectors import forget_active_profile
    from konzeptk.city.services import city_profile_load

    with contextlib.suppress(RuntimeError):  # the other parts of the core benchmark set it up already
        setup_test_environment()
    tmp = tempfile.mkdtemp(prefix="konzeptk-bench-assets-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "assets.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        with override_settings(STORAGES=storages):
            city_profile_load(source="krefeld")
            forget_active_profile()
            client = Client()
            html = {}
            for label, url in PAGES.items():
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: Status {response.status_code}")
                html[label] = response.content.decode()
                if (label != PLAIN_PAGE) != ('class="kk-map' in html[label]):
                    raise RuntimeError(f"{url}: {'keine' if label != PLAIN_PAGE else 'eine'} Karte")
            return html
    finally:
        forget_active_profile()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def map_page_assets() -> None:
    """Print the gzipped JavaScript and CSS of a map page and of a page without a map."""
    if os.environ.get("KONZEPTK_BENCH_CHILD"):
        return  # the sizes do not depend on the database: measured once, in the first process
    only = os.environ.get("KONZEPTK_BENCH_ONLY", "")
    if only and only != "karte":
        return
    html = _render_pages()
    print("JavaScript und CSS einer Seite mit Karte (gzip -9), Ziel ≤ 150 kB", flush=True)
    totals = {}
    for label, page in html.items():
        assets = assets_of(page)
        totals[label] = sum(a.gzipped for a in assets) / 1000
        print(f"  {label}:")
        for asset in assets:
            print(f"    {asset.url:<64} {asset.raw / 1000:>7.1f} kB roh {asset.gzipped / 1000:>6.1f} kB gzip")
        print(
            f"    {'zusammen':<64} {sum(a.raw for a in assets) / 1000:>7.1f} kB roh {totals[label]:>6.1f} kB gzip"
        )
    heaviest = max(totals[label] for label in totals if label != PLAIN_PAGE)
    verdict = "ok" if heaviest <= TARGET_KB else "ÜBER ZIEL"
    print(
        f"  Seite mit Karte: höchstens {heaviest:.1f} kB gzip ({verdict}); die Karte fügt "
        f"{totals[MAP_PAGE] - totals[PLAIN_PAGE]:.1f} kB hinzu.",
        flush=True,
    )
