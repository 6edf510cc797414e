"""/warnungen/ and its feeds over HTTP: current warnings first on a map and as a list, then the past ones;
the recorded DWD heat warning appears, its update replaces it, its cancellation ends it; the city's own
alerts as CAP 1.2 valid against the OASIS schema; the Atom feed; bounded queries at two sizes."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
import xmlschema
from django.test import Client

from konzeptk.city.models import CityProfile, District
from konzeptk.city.selectors import forget_active_profile
from konzeptk.resilience.models import Severity, Source, Warning
from konzeptk.resilience.tests.warnings_support import (
    DASHBOARD,
    HEAT_DAY_NOON,
    XSD,
    dwd,
    make_city,
    nina,
    own_alert,
)

SCHEMA = xmlschema.XMLSchema(str(XSD))
CAP_NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def city(db: Any) -> Iterator[tuple[CityProfile, District, District]]:
    yield make_city()
    forget_active_profile()


def page(client: Client, path: str = "/warnungen/") -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_the_recorded_dwd_heat_warning_appears_is_replaced_and_ends(city: Any, client: Client) -> None:
    with time_machine.travel(HEAT_DAY_NOON, tick=False):
        dwd("heat_alert.xml")
        html = page(client)
        current, past = html.split("Vergangene Warnungen", 1)
        assert "Amtliche WARNUNG vor HITZE" in current
        assert "Was Sie tun können" in current
        assert "trinken Sie ausreichend" in current
        assert "rw-badge--moderate" in current
        assert "Gefahr" in current
        assert 'id="rw-karte"' in current  # the map beside the list
    with time_machine.travel(HEAT_DAY_NOON.replace(hour=17), tick=False):
        dwd("heat_update.xml")
        current, past = page(client).split("Vergangene Warnungen", 1)
        assert "Amtliche WARNUNG vor EXTREMER HITZE" in current
        assert "Amtliche WARNUNG vor HITZE<" not in current  # replaced, not shown twice
        assert "Große Gefahr" in current
    with time_machine.travel(HEAT_DAY_NOON.replace(hour=22), tick=False):
        dwd("heat_cancel.xml")
        current, past = page(client).split("Vergangene Warnungen", 1)
        assert "Zurzeit gibt es keine Warnung" in current
        assert "EXTREMER HITZE" in past
        assert "aufgehoben am" in past
        update = Warning.objects.get(msg_type=Warning.MsgType.UPDATE)
        detail = page(client, f"/warnungen/{update.pk}/")
        assert "Diese Warnung wurde am" in detail
        assert "aufgehoben" in detail
        original = Warning.objects.get(msg_type=Warning.MsgType.ALERT)
        assert f"/warnungen/{update.pk}/" in page(
            client, f"/warnungen/{original.pk}/"
        )  # "Zur aktuellen Fassung"


def test_the_same_event_from_both_sources_is_listed_once(city: Any, client: Client) -> None:
    with time_machine.travel(HEAT_DAY_NOON, tick=False):
        dwd("heat_alert.xml")
        nina(DASHBOARD)
        html = page(client)
    current = html[html.index('id="rw-current-heading"') : html.index('id="rw-past-heading"')]
    assert current.count("Amtliche WARNUNG vor HITZE</a>") == 1
    assert "Großbrand in Krefeld-Uerdingen" in current
    # most severe first: the fire (Severe) before the heat (Moderate) and the flood information (Minor)
    assert (
        current.index("Großbrand")
        < current.index("WARNUNG vor HITZE")
        < current.index("Hochwasserinformation")
    )


def test_the_page_reads_in_english_with_the_imported_translation(city: Any, client: Client) -> None:
    with time_machine.travel(HEAT_DAY_NOON, tick=False):
        nina(DASHBOARD)
        html = page(client, "/en/warnungen/")
    assert "Official WARNING of HEAT" in html


def test_an_unknown_warning_is_404_and_a_bad_page_number_is_no_error(city: Any, client: Client) -> None:
    assert client.get("/warnungen/999999/").status_code == 404
    assert client.get("/warnungen/999999.cap.xml").status_code == 404
    assert client.get("/warnungen/?page=abc").status_code == 200
    assert client.get("/warnungen/?page=99999").status_code == 200
    assert client.post("/warnungen/").status_code == 405


def _seed(current: int, past: int) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = [
        Warning(
            source=Source.DWD,
            identifier=f"bench-{i}",
            sent=now - dt.timedelta(hours=i),
            event="GEWITTER",
            severity=Severity.MINOR if i % 2 else Severity.SEVERE,
            headline=f"Amtliche WARNUNG vor GEWITTER {i}",
            headline_de=f"Amtliche WARNUNG vor GEWITTER {i}",
            instruction_de="Suchen Sie ein festes Gebäude auf.",
            expires=now + dt.timedelta(hours=3) if i < current else now - dt.timedelta(hours=i),
            geometry={
                "type": "Polygon",
                "coordinates": [[[6.5, 51.3], [6.6, 51.3], [6.6, 51.35], [6.5, 51.3]]],
            },
        )
        for i in range(current + past)
    ]
    Warning.objects.bulk_create(rows)


@pytest.mark.parametrize(("current", "past"), [(2, 5), (20, 300)])
def test_the_page_needs_a_bounded_number_of_queries(
    city: Any, client: Client, django_assert_max_num_queries: Any, current: int, past: int
) -> None:
    _seed(current, past)
    page(client)  # warm the caches of profile and base map
    with django_assert_max_num_queries(8):
        html = page(client)
    assert html.count('class="rw-card rw-card--') == current + min(past, 20)
    with django_assert_max_num_queries(8):
        page(client, "/warnungen/?page=3")
    for feed in ("/warnungen/atom.xml", "/warnungen/cap.xml"):
        with django_assert_max_num_queries(3):
            page(client, feed)


def test_an_own_alert_is_cap_1_2_with_one_info_per_language_and_the_districts(
    city: Any, client: Client
) -> None:
    _profile, west, east = city
    alert = own_alert(districts=[west, east])
    response = client.get(f"/warnungen/{alert.pk}.cap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/cap+xml")
    body = response.content.decode()
    SCHEMA.validate(body)
    root = ET.fromstring(response.content)
    languages = [e.text for e in root.findall("cap:info/cap:language", CAP_NS)]
    assert languages == ["de", "en", "tr", "ar", "pl", "uk"]
    areas = root.findall("cap:info[1]/cap:area", CAP_NS)
    assert [a.findtext("cap:areaDesc", namespaces=CAP_NS) for a in areas] == [west.name, east.name]
    assert all(a.findtext("cap:polygon", namespaces=CAP_NS) for a in areas)
    assert root.findtext("cap:sent", namespaces=CAP_NS).endswith("+02:00")


def test_an_own_alert_for_the_whole_city_and_its_update_are_valid_cap(city: Any, client: Client) -> None:
    first = own_alert(headline_en="", description_en="", instruction_en="")
    update = own_alert(
        msg_type=Warning.MsgType.UPDATE,
        references=f"krefeld.de,{first.identifier},2026-07-16T12:00:00+02:00",
        sent=HEAT_DAY_NOON + dt.timedelta(hours=1),
    )
    for warning, infos in ((first, 5), (update, 6)):
        response = client.get(f"/warnungen/{warning.pk}.cap.xml")
        SCHEMA.validate(response.content.decode())
        root = ET.fromstring(response.content)
        assert len(root.findall("cap:info", CAP_NS)) == infos
        codes = {
            g.findtext("cap:valueName", namespaces=CAP_NS) for g in root.iter(f"{{{CAP_NS['cap']}}}geocode")
        }
        assert codes == {"ARS", "WARNCELLID"}
    assert f",{first.identifier}," in ET.fromstring(
        client.get(f"/warnungen/{update.pk}.cap.xml").content
    ).findtext("cap:references", namespaces=CAP_NS)


def test_an_own_alert_the_city_has_ended_is_published_as_its_cancellation(city: Any, client: Client) -> None:
    alert = own_alert(ended_at=HEAT_DAY_NOON + dt.timedelta(hours=5))
    response = client.get(f"/warnungen/{alert.pk}.cap.xml")
    SCHEMA.validate(response.content.decode())
    root = ET.fromstring(response.content)
    assert root.findtext("cap:msgType", namespaces=CAP_NS) == "Cancel"
    assert root.findtext("cap:identifier", namespaces=CAP_NS) == f"{alert.identifier}.aufhebung"
    assert (
        root.findtext("cap:references", namespaces=CAP_NS)
        == f"krefeld.de,{alert.identifier},2026-07-16T12:00:00+02:00"
    )
    assert root.findtext("cap:sent", namespaces=CAP_NS) == "2026-07-16T17:00:00+02:00"


def test_imported_warnings_are_not_republished_as_cap(city: Any, client: Client) -> None:
    dwd("heat_alert.xml")
    assert client.get(f"/warnungen/{Warning.objects.get().pk}.cap.xml").status_code == 404


def test_the_cap_index_links_each_own_alert_and_every_linked_document_validates(
    city: Any, client: Client
) -> None:
    with time_machine.travel(HEAT_DAY_NOON, tick=False):
        alerts = [own_alert(), own_alert(sent=HEAT_DAY_NOON - dt.timedelta(hours=2))]
        dwd("heat_alert.xml")  # not the city's own: not in the CAP feed
        response = client.get("/warnungen/cap.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    links = [e.get("href") for e in root.findall("a:entry/a:link", ATOM_NS)]
    assert links == [
        f"http://testserver/warnungen/{a.pk}.cap.xml".replace("http://testserver", _site()) for a in alerts
    ]
    assert {e.get("type") for e in root.findall("a:entry/a:link", ATOM_NS)} == {"application/cap+xml"}
    for link in links:
        SCHEMA.validate(client.get(link.removeprefix(_site())).content.decode())


def _site() -> str:
    from konzeptk.core.siteurl import site_url

    return site_url()


def test_the_atom_feed_lists_the_current_warnings(city: Any, client: Client) -> None:
    with time_machine.travel(HEAT_DAY_NOON, tick=False):
        nina(DASHBOARD)
        response = client.get("/warnungen/atom.xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext("a:title", namespaces=ATOM_NS) for e in root.findall("a:entry", ATOM_NS)]
    assert titles[0].startswith("Großbrand")
    assert len(titles) == 3
    assert root.findtext("a:updated", namespaces=ATOM_NS)


def test_the_list_and_a_warnings_own_page_link_to_the_subscription(city: Any, client: Client) -> None:
    link = '<a class="kern-btn kern-btn--secondary" href="/warnungen/abonnieren/"><span class="kern-label">Warnungen abonnieren</span></a>'
    with time_machine.travel(HEAT_DAY_NOON, tick=False):
        dwd("heat_alert.xml")
        warning = Warning.objects.get()
        assert link in page(client)
        assert link in page(client, f"/warnungen/{warning.pk}/")
        arabic = page(client, f"/ar/warnungen/{warning.pk}/")
        assert (
            'href="/ar/warnungen/abonnieren/"><span class="kern-label">الاشتراك في التحذيرات</span>' in arabic
        )
