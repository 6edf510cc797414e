"""Old paths and old query parameter names answer with a redirect to the new ones."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from konzeptk.core.redirects import LEGACY_QUERY_NAMES, modern_query

pytestmark = pytest.mark.django_db


# --- query parameter names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/beteiligung/?seite=2", "/beteiligung/?page=2"),
        ("/daten/klima/?zeitraum=7&sensor=3", "/daten/klima/?period=7&sensor=3"),
        ("/daten/klima/daten.csv?sensor=3&zeitraum=7", "/daten/klima/daten.csv?sensor=3&period=7"),
        ("/beteiligung/x/ideen/?ansicht=karte&topic=umwelt", "/beteiligung/x/ideen/?view=map&topic=umwelt"),
        ("/beteiligung/x/ideen/?ansicht=liste", "/beteiligung/x/ideen/?view=list"),
        ("/strategie/handlungsprogramm/?fassung=3", "/strategie/handlungsprogramm/?version=3"),
        ("/beteiligung/x/ideen/5/?kommentare=2", "/beteiligung/x/ideen/5/?comments_page=2"),
        (
            "/beteiligung/x/verwaltung/moderation/?meldungen=2&ideen=3&sperren=4&protokoll=5",
            "/beteiligung/x/verwaltung/moderation/?reports_page=2&ideas_page=3&blocks_page=4&log_page=5",
        ),
        ("/en/maengel/?seite=3&status=open", "/en/maengel/?page=3&status=open"),
        # the new name given as well wins; the old one is dropped
        ("/strategie/projekte/?seite=2&page=5", "/strategie/projekte/?page=5"),
        ("/barrierefreiheit/?seite=%2Fbeteiligung%2F", "/barrierefreiheit/?page=%2Fbeteiligung%2F"),
    ],
)
def test_a_get_with_old_names_is_redirected_to_the_new_names(client: Client, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.head(old).status_code == 301


def test_new_names_and_other_requests_pass_untouched(client: Client) -> None:
    assert client.get("/beteiligung/?page=2").status_code == 200
    # a form posted to a page is never redirected (a redirect would lose its body)
    assert client.post("/beteiligung/?seite=2").status_code != 301
    # the APIs had English names from the start; their own parameters are left alone
    assert client.get("/api/v1/participation/processes?seite=2").status_code == 200
    assert client.get("/sta/v1.1/Things?seite=2").status_code != 301


def test_old_page_links_still_reach_the_page(client: Client) -> None:
    response = client.get("/beteiligung/?seite=2", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/beteiligung/?page=2", 301)]


_names = st.sampled_from([*LEGACY_QUERY_NAMES, *LEGACY_QUERY_NAMES.values(), "topic", "sort", "q"])


@given(st.lists(st.tuples(_names, st.text(max_size=5)), max_size=8))
def test_modern_query_keeps_every_other_parameter_and_leaves_no_old_name(
    pairs: list[tuple[str, str]],
) -> None:
    modern = modern_query(pairs)
    if modern is None:
        assert not any(name in LEGACY_QUERY_NAMES for name, _value in pairs)
        return
    assert not any(name in LEGACY_QUERY_NAMES for name, _value in modern)
    kept = [(n, v) for n, v in pairs if n not in LEGACY_QUERY_NAMES]
    assert [pair for pair in modern if pair in kept] == kept
    assert modern_query(modern) is None  # one redirect is enough


# --- staff areas: one word, "verwaltung" -------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/strategie/redaktion/", "/strategie/verwaltung/"),
        ("/strategie/redaktion/fassungen/3/angaben/", "/strategie/verwaltung/fassungen/3/angaben/"),
        ("/en/strategie/redaktion/projekte/neu/", "/en/strategie/verwaltung/projekte/neu/"),
        ("/maengel/bearbeitung/", "/maengel/verwaltung/"),
        ("/maengel/bearbeitung/KR-2026-1/?org=swk", "/maengel/verwaltung/KR-2026-1/?org=swk"),
        ("/maengel/bearbeitung/foto/7/", "/maengel/verwaltung/foto/7/"),
        ("/beteiligung/smartkrefeld/moderation/", "/beteiligung/smartkrefeld/verwaltung/moderation/"),
        (
            "/ar/beteiligung/smartkrefeld/moderation/idee/4/ausblenden/",
            "/ar/beteiligung/smartkrefeld/verwaltung/moderation/idee/4/ausblenden/",
        ),
        ("/auswertung/meinungsbild/5/moderation/", "/auswertung/meinungsbild/5/verwaltung/moderation/"),
    ],
)
def test_old_staff_paths_redirect_permanently_keeping_the_method(client: Client, old: str, new: str) -> None:
    for response in (client.get(old), client.post(old, {"reason": "x"})):
        assert response.status_code == 308  # a POST of an old form is repeated as a POST
        assert response["Location"] == new


def test_the_new_staff_paths_are_the_named_urls() -> None:
    from django.urls import reverse

    assert reverse("strategy:workspace") == "/strategie/verwaltung/"
    assert reverse("servicedesk:queue") == "/maengel/verwaltung/"
    assert (
        reverse("participation:moderation", kwargs={"slug": "a"}) == "/beteiligung/a/verwaltung/moderation/"
    )
    assert (
        reverse("insights:moderation", kwargs={"pk": 1})
        == "/auswertung/meinungsbild/1/verwaltung/moderation/"
    )
