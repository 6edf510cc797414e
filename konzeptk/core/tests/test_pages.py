"""The public pages of the core app over HTTP: home, accessibility pages, legal pages, languages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.services import city_profile_load
from konzeptk.core.models import SitePage


@pytest.fixture
def krefeld(db: None) -> CityProfile:
    forget_active_profile()
    profile = city_profile_load(source="krefeld").profile
    forget_active_profile()
    return profile


def _h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def test_home_shows_map_and_district_table(client: Client, krefeld: CityProfile) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de" dir="ltr"' in html
    assert _h1_count(html) == 1
    assert 'class="kk-map__svg"' in html
    assert html.count('class="kk-map__area') == 5  # the five Stadtbezirke valid today
    assert "<table" in html
    for name in ("Mitte", "West", "Nord", "Ost", "Süd"):
        assert f">{name}</th>" in html
    assert "vorläufig" in html.lower()
    assert "schematisch" in html


def test_home_query_count_is_constant(
    client: Client, krefeld: CityProfile, django_assert_max_num_queries, settings
) -> None:
    client.get("/")  # warm the profile cache
    # the map's 6 and what the rooms contribute to the front door (core/front_door_registry.py; that
    # those stay constant with the data is asserted in core/tests/test_front_door.py; education's offers
    # of the week and resilience's heat check ask one query each)
    with django_assert_max_num_queries(16):
        assert client.get("/").status_code == 200
    settings.KONZEPTK_FRONT_DOOR_SECONDS = 60  # as in production: the rooms are asked once a minute
    client.get("/")
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200
    from django.core.cache import cache

    cache.clear()


def test_home_without_profile_still_renders(client: Client, db: None) -> None:
    forget_active_profile()
    response = client.get("/")
    assert response.status_code == 200
    assert "kk-map__svg" not in response.content.decode()


def test_arabic_is_right_to_left(client: Client, krefeld: CityProfile) -> None:
    response = client.get("/ar/")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in response.content.decode()


@pytest.mark.parametrize("path", ["/en/", "/tr/", "/pl/", "/uk/"])
def test_other_languages_are_left_to_right(client: Client, krefeld: CityProfile, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{path.strip("/")}" dir="ltr"' in response.content.decode()


@pytest.mark.parametrize("path", ["/fr/", "/diese-seite-gibt-es-nicht/", "/stadt/unbekannt/"])
def test_unknown_urls_get_a_styled_german_404(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Seite nicht gefunden" in html
    assert "Fehlercode: 404" in html
    assert "Traceback" not in html
    assert _h1_count(html) == 1


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/leichte-sprache/", "Konzept K in Leichter Sprache"),
        ("/gebaerdensprache/", "Informationen in Deutscher Gebärdensprache"),
        ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
        ("/stadt/gebiete/", "Gebietsebenen von Krefeld"),
    ],
)
def test_service_pages(client: Client, krefeld: CityProfile, path: str, heading: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert heading in html
    assert _h1_count(html) == 1


def test_sign_language_page_without_video_says_it_is_being_prepared(client: Client, db: None) -> None:
    html = client.get("/gebaerdensprache/").content.decode()
    assert "Das Video wird vorbereitet" in html
    assert "<video" not in html
    assert "/barrierefreiheit/#rueckmeldung" in html


def test_sign_language_page_shows_the_operators_video_with_captions(client: Client, db: None) -> None:
    from django.core.files.base import ContentFile

    page = SitePage(slug="gebaerdensprache", title="Konzept K in DGS", body="Inhalt des Videos.")
    page.video.save("dgs.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    page.video_captions.save(
        "dgs.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n"), save=False
    )
    page.save()
    html = client.get("/gebaerdensprache/").content.decode()
    assert "<video" in html
    assert "controls" in html
    assert '<track kind="captions"' in html
    assert "Das Video wird vorbereitet" not in html
    assert "Inhalt des Videos." in html


def test_accessibility_statement_has_the_required_parts(client: Client, db: None) -> None:
    html = client.get("/barrierefreiheit/").content.decode()
    for part in (
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung zur Barrierefreiheit",
        "Feedback-Mechanismus",
        "Kontakt",
        "Schlichtungsverfahren",
        "Ombudsstelle für barrierefreie Informationstechnik",
    ):
        assert part in html, part
    assert '<label class="kern-label" for="id_message">' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize(
    ("path", "title"), [("/impressum/", "Impressum"), ("/datenschutz/", "Datenschutzerklärung")]
)
def test_legal_page_without_text_says_so(client: Client, db: None, path: str, title: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f">{title}</h1>" in html
    assert "Der Betreiber hat diesen Text noch nicht hinterlegt" in html


def test_legal_page_renders_the_operators_text_escaped_with_paragraphs(client: Client, db: None) -> None:
    SitePage.objects.create(
        slug="impressum",
        title="Impressum",
        body="Stadt Musterhausen\nRathausplatz 1\n\n<script>alert(1)</script>",
    )
    html = client.get("/impressum/").content.decode()
    assert "<p>Stadt Musterhausen<br>Rathausplatz 1</p>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "noch nicht hinterlegt" not in html


def test_demo_loader_creates_labelled_legal_pages_idempotently(db: None) -> None:
    import io

    from konzeptk.core.demo import load_demo

    load_demo(out=io.StringIO())
    load_demo(out=io.StringIO())
    assert SitePage.objects.count() == 2
    assert all("Demo" in page.title for page in SitePage.objects.all())


def test_language_switcher_links_to_the_same_page(client: Client, db: None) -> None:
    html = client.get("/barrierefreiheit/").content.decode()
    for code in ("en", "tr", "ar", "pl", "uk"):
        assert f'href="/{code}/barrierefreiheit/"' in html
