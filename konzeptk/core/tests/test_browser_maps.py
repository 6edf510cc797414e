"""The map component (core/maps.py, core/_map.html, core/map.js) in a real browser, on every page that
uses it: no script errors and no failed requests, Leaflet in place of the SVG (never both), pins from
static files, the base map of the city without tiles, a list beside it, axe-clean, and the SVG with
its dots without JavaScript."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import BrowserContext, Page

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.accounts.verification.services import resident_declare
from konzeptk.city.services import city_profile_load
from konzeptk.core.tests.browser import Violation, in_language, open_page, report, run_axe, signed_in_page
from konzeptk.opendata.models import Dataset
from konzeptk.opendata.services import DistributionData, dataset_write
from konzeptk.participation.a11y import a11y_pages as participation_pages
from konzeptk.participation.models import Idea, Process
from konzeptk.servicedesk.a11y import a11y_pages as servicedesk_pages
from konzeptk.servicedesk.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACES = [(51.33312, 6.56231), (51.35601, 6.63412), (51.30911, 6.58702)]


class Watch:
    """Console errors, uncaught exceptions and failed requests of a page, as readable lines."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on(
            "console",
            lambda m: self.problems.append(f"{page.url}: console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.problems.append(f"{page.url}: Skriptfehler: {e}"))
        page.on(
            "response",
            lambda r: self.problems.append(f"{page.url}: {r.status} {r.url}") if r.status >= 400 else None,
        )


def _ideas_with_places() -> Process:
    participation_pages()
    process = Process.objects.get(slug="a11y-prozess")
    author = process.ideas.first().author  # type: ignore[union-attr]
    for n, (lat, lon) in enumerate(PLACES):
        Idea.objects.get_or_create(
            process=process,
            title=f"Sitzbank Nr. {n + 1}",
            defaults={"author": author, "text": "Eine Bank zum Ausruhen.", "lat": lat, "lon": lon},
        )
    return process


def _map_state(page: Page) -> list[dict[str, Any]]:
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.kk-map')].every(f => f.dataset.kkMapReady)"
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('figure.kk-map')].map(f => {
          const leaflet = f.querySelector('.kk-map__leaflet');
          const fallback = f.querySelector('.kk-map__fallback');
          return {
            leafletShown: !!leaflet && leaflet.getBoundingClientRect().height > 100,
            fallbackShown: [...f.querySelectorAll('svg.kk-map__svg, input[type=image]')].some(e => e.getBoundingClientRect().height > 0),
            areas: f.querySelectorAll('.leaflet-overlay-pane path').length,
            pins: f.querySelectorAll('.kk-map__pin, .marker-cluster').length,
            brokenImages: [...f.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth === 0).length,
          };
        })"""
    )


@pytest.mark.parametrize("language", ["de", "ar"])
def test_every_map_page_shows_one_working_map_without_errors(page: Page, language: str) -> None:
    process = _ideas_with_places()
    servicedesk_pages()
    report_id = Report.objects.filter(published=True).values_list("service_request_id", flat=True).first()
    idea = process.ideas.filter(lat__isnull=False).first()
    assert idea is not None
    watch = Watch(page)
    problems: list[Violation] = []
    for path in [
        "/",
        "/maengel/",
        f"/maengel/meldung/{report_id}/",
        "/maengel/melden/",
        "/strategie/projekte/karte/",
        f"/beteiligung/{process.slug}/ideen/",
        f"/beteiligung/{process.slug}/ideen/{idea.pk}/",
    ]:
        open_page(page, in_language(path, language))
        maps = _map_state(page)
        assert maps, f"{path}: keine Karte"
        for state in maps:
            assert state["leafletShown"], f"{path}: {state}"
            assert not state["fallbackShown"], f"{path}: Karte doppelt: {state}"
            assert state["areas"] > 1, f"{path}: Grundkarte ohne Stadtbezirke: {state}"
            assert state["brokenImages"] == 0, f"{path}: {state}"
        if path != "/maengel/melden/":
            assert page.locator(".kk-map__pin, .marker-cluster").count() >= 1 or path in (
                "/",
                "/strategie/projekte/karte/",
            )
        problems += run_axe(page)
    assert not watch.problems, "\n".join(watch.problems)
    assert not problems, report(problems)


def test_idea_list_map_pins_the_ideas_of_the_list_and_links_them(page: Page) -> None:
    process = _ideas_with_places()
    open_page(page, f"/beteiligung/{process.slug}/ideen/")
    _map_state(page)
    # The map shows the ideas of the list's page that have a place (clusters may join near ones).
    titles = page.evaluate(
        "() => [...document.querySelectorAll('#ideen-karte .kk-map__pin')].map(m => m.getAttribute('title'))"
    )
    clusters = page.locator("#ideen-karte .marker-cluster").count()
    assert len(titles) + clusters >= 1
    data = page.evaluate("() => JSON.parse(document.getElementById('ideen-karte-data').textContent).features")
    names = sorted(f["features"][i]["properties"]["name"] for f in [data] for i in range(len(f["features"])))
    assert names == [f"Sitzbank Nr. {n}" for n in (1, 2, 3)]
    urls = {f["properties"]["url"] for f in data["features"]}
    listed = set(
        page.eval_on_selector_all(".kk-idea-list h3 a", "els => els.map(a => a.getAttribute('href'))")
    )
    assert urls <= listed, "jede Stecknadel führt zu einer Idee der Liste"


def test_idea_form_map_shows_districts_and_a_pin_from_static_files(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    process = _ideas_with_places()
    UserFactory(email="karte@beispiel.invalid")
    person = User.objects.get(email="karte@beispiel.invalid")
    resident_declare(user=person, postcode="47798")
    page = signed_in_page(new_context, live_server, person)
    watch = Watch(page)
    open_page(page, f"/beteiligung/{process.slug}/ideen/neu/")
    [state] = _map_state(page)
    assert state["leafletShown"], state
    assert not state["fallbackShown"], state
    assert state["areas"] > 1, state
    page.locator("#ort-karte .kk-map__leaflet").scroll_into_view_if_needed()
    box = page.locator("#ort-karte .kk-map__leaflet").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("#id_lat").input_value() != ""
    assert page.locator("#id_lon").input_value() != ""
    assert page.locator("#ort-karte .kk-map__pin").count() == 1
    assert _map_state(page)[0]["brokenImages"] == 0
    assert not watch.problems, "\n".join(watch.problems)


def test_idea_page_shows_its_place_on_a_map_not_as_numbers(page: Page) -> None:
    process = _ideas_with_places()
    idea = process.ideas.get(title="Sitzbank Nr. 1")
    open_page(page, f"/beteiligung/{process.slug}/ideen/{idea.pk}/")
    [state] = _map_state(page)
    assert state["leafletShown"], state
    assert state["pins"] == 1, state
    assert "51,33312" not in page.locator("main").inner_text()


def test_without_javascript_the_maps_are_svg_with_dots(new_context: Callable[..., BrowserContext]) -> None:
    process = _ideas_with_places()
    page = new_context(java_script_enabled=False).new_page()
    for path, dots in (("/", 0), (f"/beteiligung/{process.slug}/ideen/", 3), ("/maengel/", None)):
        open_page(page, path)
        figure = page.locator("figure.kk-map").first
        assert figure.locator("svg.kk-map__svg").is_visible(), path
        assert figure.locator(".kk-map__leaflet").count() == 0, path
        if dots is not None:
            assert figure.locator("circle.kk-map__dot").count() == dots, path


def test_maps_reflow_at_320_pixels_in_arabic(new_context: Callable[..., BrowserContext]) -> None:
    process = _ideas_with_places()
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    for path in ("/", f"/beteiligung/{process.slug}/ideen/"):
        open_page(page, in_language(path, "ar"))
        _map_state(page)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path}: {width}px"


@pytest.mark.parametrize("language", ["de", "ar"])
def test_open_data_geojson_preview_is_a_working_map_with_a_table(page: Page, language: str) -> None:
    city_profile_load(source="krefeld")
    dataset = dataset_write(
        dataset=Dataset(
            name="sitzbaenke",
            title="Sitzbänke",
            description="Test",
            origin=Dataset.Origin.STAFF,
            licence="dl-zero-de/2.0",
        ),
        distributions=[
            DistributionData(
                key="geo",
                title="Sitzbänke",
                access_url="https://daten.example.org/b.geojson",
                file_format="GEOJSON",
            )
        ],
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": f"Bank {n}"},
        }
        for n, (lat, lon) in enumerate(PLACES)
    ]
    content = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    dataset.distributions.get().file.save("b.geojson", ContentFile(content), save=True)
    watch = Watch(page)
    open_page(page, in_language("/offene-daten/sitzbaenke/", language))
    [state] = _map_state(page)
    assert state["leafletShown"], state
    assert not state["fallbackShown"], state
    assert state["areas"] > 1, state
    assert state["pins"] >= 1
    assert page.locator(".od-table-wrap table tbody tr").first.inner_text().startswith("Bank 0")
    problems = run_axe(page)
    assert not watch.problems, "\n".join(watch.problems)
    assert not problems, report(problems)
