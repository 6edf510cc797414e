"""The city's own alerts in the open data catalogue: the dataset the registry gives (CAP index and Atom feed)
reaches the catalogue, is read through the CKAN API, and each of its addresses answers."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from konzeptk.accounts.models import Organisation
from konzeptk.accounts.tests.factories import OrganisationFactory
from konzeptk.city.selectors import forget_active_profile
from konzeptk.core import catalogue
from konzeptk.opendata.models import Distribution
from konzeptk.opendata.services import catalogue_sync
from konzeptk.opendata.services.links import links_check
from konzeptk.resilience.tests.warnings_support import make_city, own_alert

pytestmark = pytest.mark.django_db
SITE = "https://www.krefeld.example"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def city(settings: Any) -> Iterator[Any]:
    settings.SITE_URL = SITE
    yield make_city()
    forget_active_profile()


def test_the_registry_names_both_feeds() -> None:
    (entry,) = [e for source, e in catalogue.entries() if source == "resilience"]
    assert entry.title == "Warnungen der Stadt (CAP 1.2 und Atom)"
    assert [d.access_url for d in entry.distributions] == ["/warnungen/cap.xml", "/warnungen/atom.xml"]
    assert {d.media_type for d in entry.distributions} == {"application/atom+xml"}


def test_the_alerts_are_in_the_catalogue_and_every_address_answers(city: Any, client: Client) -> None:
    _profile, mitte, _ost = city
    OrganisationFactory(slug="stadt", name="Stadt Krefeld", kind=Organisation.Kind.CITY, is_core_team=True)
    now = timezone.now()
    alert = own_alert(districts=[mitte], sent=now, onset=now, expires=now + dt.timedelta(hours=6))
    catalogue_sync()

    answer = client.get("/api/3/action/package_show", {"id": "warnungen-der-stadt"})
    assert answer.status_code == 200
    package = answer.json()["result"]
    assert package["title"] == "Warnungen der Stadt (CAP 1.2 und Atom)"
    assert package["organization"]["name"] == "stadt"
    assert package["license_id"] == "dl-by-de/2.0"
    assert package["url"] == f"{SITE}/warnungen/"
    urls = [r["url"] for r in package["resources"]]
    assert urls == [f"{SITE}/warnungen/cap.xml", f"{SITE}/warnungen/atom.xml"]

    links: dict[str, str] = {}
    for url in urls:
        feed = client.get(url.removeprefix(SITE))
        assert feed.status_code == 200, url
        assert feed["Content-Type"].startswith("application/atom+xml")
        for entry in ET.fromstring(feed.content).iter(f"{ATOM}entry"):
            link = entry.find(f"{ATOM}link")
            assert link is not None
            links[link.get("href", "")] = link.get("type", "")
    cap_url = f"{SITE}/warnungen/{alert.pk}.cap.xml"
    assert links[cap_url] == "application/cap+xml"
    assert links[f"{SITE}/warnungen/{alert.pk}/"] == "text/html"
    document = client.get(cap_url.removeprefix(SITE))
    assert document.status_code == 200
    assert document["Content-Type"].startswith("application/cap+xml")

    page = client.get("/offene-daten/warnungen-der-stadt/")
    assert page.status_code == 200
    assert "Warnungen der Stadt (CAP 1.2 und Atom)" in page.content.decode()

    def no_requests(url: str) -> int:
        raise AssertionError(url)

    links_check(probe=no_requests)  # the platform's own addresses are resolved, not fetched
    checked = Distribution.objects.filter(dataset__name="warnungen-der-stadt")
    assert list(checked.values_list("link_status", flat=True)) == [200, 200]
