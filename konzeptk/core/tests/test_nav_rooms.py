"""The main navigation names every room of the house and marks the room of the page as current: the inner
city spans four apps (the register, shops, interim use, events), the other rooms one each."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.services import city_profile_load

pytestmark = pytest.mark.django_db

#: a page of each app and the entry of its room in the main navigation
ROOM_OF_PAGE = {
    "/innenstadt/": "/innenstadt/",
    "/innenstadt/geschaefte/": "/innenstadt/",
    "/innenstadt/zwischennutzung/": "/innenstadt/",
    "/veranstaltungen/": "/innenstadt/",
    "/bildung/": "/bildung/",
    "/klima/": "/klima/",
    "/warnungen/": "/warnungen/",
    "/maengel/": "/maengel/",
    "/ar/bildung/": "/ar/bildung/",
}

NAV = re.compile(r'<nav class="kk-nav"[^>]*>(.*?)</nav>', re.S)
CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">')


@pytest.fixture
def krefeld(db: None) -> CityProfile:
    forget_active_profile()
    profile = city_profile_load(source="krefeld").profile
    forget_active_profile()
    return profile


def _nav(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    match = NAV.search(response.content.decode())
    assert match is not None, path
    return match.group(1)


@pytest.mark.parametrize(("path", "entry"), ROOM_OF_PAGE.items())
def test_the_room_of_the_page_is_marked_current(
    client: Client, krefeld: CityProfile, path: str, entry: str
) -> None:
    assert CURRENT.findall(_nav(client, path)) == [entry]


def test_the_navigation_names_every_room(client: Client, krefeld: CityProfile) -> None:
    nav = _nav(client, "/")
    for href, label in [
        ("/innenstadt/", "Innenstadt"),
        ("/bildung/", "Bildung"),
        ("/klima/", "Klimaschutz"),
        ("/warnungen/", "Warnungen"),
    ]:
        assert f'<a href="{href}">{label}</a>' in nav
    assert CURRENT.findall(nav) == ["/"]
