"""The Schatzkarte and business pages: filters, pagination, JSON-LD, claims and owners' edits, query counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from konzeptk.core.opening_hours import EXAMPLE
from konzeptk.economy.models import Business, Claim, Offer
from konzeptk.economy.services import claim_create, claim_decide

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY_NOON = dt.datetime(2026, 6, 3, 12, 0, tzinfo=BERLIN)  # a Wednesday, in fact: a normal day
FRONLEICHNAM = dt.datetime(2026, 6, 4, 12, 0, tzinfo=BERLIN)


def jsonld_of(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_directory_filters_and_marks_open_now(client: Client, make_business):
    make_business("Mo-Sa 09:00-18:00; PH off", name="Laden am Markt")
    make_business("Mo-Su 00:00-24:00", name="Tankstelle", step_free="yes", delivery=True)
    make_business("", name="Ohne Zeiten")
    with time_machine.travel(FRONLEICHNAM, tick=False):
        page = client.get("/innenstadt/geschaefte/?open_now=on")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Tankstelle" in text
        assert "Laden am Markt" not in text
        assert "Ohne Zeiten" not in text
        assert "Fronleichnam" in text
        everything = client.get("/innenstadt/geschaefte/").content.decode()
    assert "Laden am Markt" in everything
    assert "jetzt geschlossen" in everything
    assert "Öffnungszeiten unbekannt" in everything
    assert (
        "Tankstelle" in client.get("/innenstadt/geschaefte/?step_free=on&service=delivery").content.decode()
    )
    assert "Laden am Markt" not in client.get("/innenstadt/geschaefte/?service=delivery").content.decode()
    assert "Tankstelle" in client.get("/innenstadt/geschaefte/?q=tank").content.decode()


def test_hostile_filters_never_fail(client: Client, make_business):
    make_business()
    for query in (
        "?page=999999",
        "?page=-1",
        "?category=%27%3B--",
        "?service=__class__",
        "?q=" + "x" * 500,
        "?open_now=maybe",
    ):
        assert client.get("/innenstadt/geschaefte/" + query).status_code == 200
    assert client.get("/innenstadt/geschaefte/gibt-es-nicht/").status_code == 404


@pytest.mark.parametrize("size", [5, 60])
def test_directory_queries_do_not_grow(client: Client, make_business, django_assert_max_num_queries, size):
    for _ in range(size):
        make_business()
    with django_assert_max_num_queries(12):
        response = client.get("/innenstadt/geschaefte/?open_now=on&page=2")
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/innenstadt/geschaefte/karte.geojson").status_code == 200


def test_geojson(client: Client, make_business):
    make_business(name="Laden")
    data = client.get("/innenstadt/geschaefte/karte.geojson").json()
    assert data["type"] == "FeatureCollection"
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert feature["properties"]["name"] == "Laden"


def test_business_page_has_valid_local_business_jsonld(client: Client, make_business):
    business = make_business(
        "Mo-Fr 09:30-18:30; Sa 10:00-14:00; Su,PH off", name="Buchladen </script><b>", phone="02151 12345"
    )
    with time_machine.travel(THURSDAY_NOON, tick=False):
        response = client.get(f"/innenstadt/geschaefte/{business.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "</script><b>" not in html.split("</h1>")[0].split("<title>")[1]  # escaped everywhere
    data = jsonld_of(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == "Buchladen </script><b>"
    assert data["address"]["@type"] == "PostalAddress"
    assert data["address"]["addressCountry"] == "DE"
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert abs(data["geo"]["latitude"] - 51.3329) < 1e-6
    specs = data["openingHoursSpecification"]
    weekdays = next(s for s in specs if s["opens"] == "09:30:00")
    assert weekdays["closes"] == "18:30:00"
    assert len(weekdays["dayOfWeek"]) == 5
    assert all(
        d.startswith("https://schema.org/")
        for s in specs
        for d in ([s["dayOfWeek"]] if isinstance(s["dayOfWeek"], str) else s["dayOfWeek"])
    )
    assert any(s["dayOfWeek"] == "https://schema.org/PublicHolidays" for s in specs)
    for spec in specs:
        assert re.fullmatch(r"\d\d:\d\d:\d\d", spec["opens"])
        assert re.fullmatch(r"\d\d:\d\d:\d\d", spec["closes"])
    assert "jetzt geöffnet" in html


def test_all_day_closes_at_end_of_day(client: Client, make_business):
    business = make_business("24/7")
    specs = jsonld_of(client.get(f"/innenstadt/geschaefte/{business.slug}/").content.decode())[
        "openingHoursSpecification"
    ]
    assert specs[0]["opens"] == "00:00:00"
    assert specs[0]["closes"] == "23:59:59"


def test_claim_verify_edit(client: Client, make_business, owner, staff):
    business = make_business(name="Laden")
    url = f"/innenstadt/geschaefte/{business.slug}/"
    assert client.get(url + "anspruch/").status_code == 302  # sign in first
    client.force_login(owner)
    assert client.post(url + "anspruch/", {"role": "", "evidence": ""}).status_code == 400
    assert (
        client.post(url + "anspruch/", {"role": "Inhaberin", "evidence": "Telefon 02151 1"}).status_code
        == 302
    )
    again = client.post(url + "anspruch/", {"role": "Inhaberin", "evidence": "noch einmal"}, follow=True)
    assert again.redirect_chain[-1][0].endswith(
        "/innenstadt/geschaefte/meine/"
    )  # the first claim, not an error
    assert "schon einen Anspruch" in again.content.decode()
    assert Claim.objects.filter(business=business, user=owner).count() == 1
    assert client.get(url + "bearbeiten/").status_code == 403  # not yet verified
    assert client.get("/innenstadt/geschaefte/verwaltung/").status_code == 403
    claim = Claim.objects.get(business=business, user=owner)
    client.force_login(staff)
    assert "Laden" in client.get("/innenstadt/geschaefte/verwaltung/").content.decode()
    assert (
        client.post(f"/innenstadt/geschaefte/verwaltung/{claim.pk}/", {"decision": "verify"}).status_code
        == 302
    )
    client.force_login(owner)
    bad = client.post(url + "bearbeiten/", {"opening_hours": "Mo-Fr 25:00-26:00", "step_free": "yes"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "ab Zeichen 7" in text
    assert EXAMPLE in text
    good = client.post(
        url + "bearbeiten/",
        {"opening_hours": "Mo-Fr 08:00-12:00", "step_free": "yes", "description_de": "Neu", "delivery": "on"},
    )
    assert good.status_code == 302
    business.refresh_from_db()
    assert business.opening_hours == "Mo-Fr 08:00-12:00"
    assert business.delivery
    assert business.description_de == "Neu"
    assert business.intervals.filter(holiday=False).count() == 5
    assert business.name == "Laden"  # owners cannot rename
    assert "Laden" in client.get("/innenstadt/geschaefte/meine/").content.decode()


def test_claim_decisions_are_staff_only_and_once(make_business, owner, staff):
    from konzeptk.core.errors import DomainError

    claim = claim_create(business=make_business(), user=owner, role="Inhaber", evidence="Gewerbeanmeldung")
    with pytest.raises(DomainError):
        claim_decide(claim=claim, by=owner, verified=True)
    claim_decide(claim=claim, by=staff, verified=False, note="nicht nachweisbar")
    with pytest.raises(DomainError):
        claim_decide(claim=claim, by=staff, verified=True)


def test_offers_page(client: Client):
    Offer.objects.create(
        kind="coworking", title="URBANWORK", title_de="URBANWORK", summary="Coworking", summary_de="Coworking"
    )
    Offer.objects.create(
        kind="funding",
        title="Alt",
        title_de="Alt",
        summary="x",
        summary_de="x",
        valid_until=dt.date(2020, 1, 1),
    )
    text = client.get("/innenstadt/geschaefte/angebote/").content.decode()
    assert "URBANWORK" in text
    assert "Coworking" in text
    assert ">Alt<" not in text


def test_untranslated_description_is_marked_german(client: Client, make_business):
    business = make_business(description_de="Ein schöner Laden.")
    text = client.get(f"/en/innenstadt/geschaefte/{business.slug}/").content.decode()
    assert 'lang="de"' in text
    assert "Ein schöner Laden." in text


def test_untranslated_branch_options_are_marked_german(client: Client, make_business):
    make_business("Mo-Su 00:00-24:00", name="Tankstelle")
    text = client.get("/ar/innenstadt/geschaefte/").content.decode()
    assert '<option value="einzelhandel" lang="de" dir="ltr">Einzelhandel</option>' in text
    german = client.get("/innenstadt/geschaefte/").content.decode()
    assert '<option value="einzelhandel">Einzelhandel</option>' in german


def test_export_and_erasure(make_business, owner):
    from konzeptk.accounts.erasure_registry import run_erasers
    from konzeptk.accounts.export_registry import collect_export

    claim_create(business=make_business(name="Laden"), user=owner, role="Inhaber", evidence="Beleg")
    exported = collect_export(owner)
    assert exported["sections"]["economy_claims"][0]["business"] == "Laden"
    run_erasers(owner)
    assert not Claim.objects.filter(user=owner).exists()
    assert Business.objects.filter(name="Laden").exists()


def test_the_moment_of_open_now_is_written_in_the_readers_language(client: Client, make_business):
    make_business("Mo-Su 00:00-24:00", name="Tankstelle")
    with time_machine.travel(THURSDAY_NOON, tick=False):
        german = client.get("/innenstadt/geschaefte/").content.decode()
        turkish = client.get("/tr/innenstadt/geschaefte/").content.decode()
    assert "Mittwoch, 3. Juni 2026, 12:00 Uhr" in german
    assert "03 Haziran 2026" in turkish
    assert "3. Haziran" not in turkish  # not the German pattern with a Turkish month
