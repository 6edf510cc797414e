"""Open311 GeoReport v2: read with the PyPI client ``georeport``, write with plain HTTP."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from georeport import GeoReport
from PIL import Image

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.servicedesk.models import Report, ReportPhoto
from konzeptk.servicedesk.services import api_key_create, report_hide, report_publish, report_set_status

from .conftest import INSIDE, OUTSIDE, jpeg_with_gps

BASE = "/georeport/v2"
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@pytest.fixture
def key(db: Any) -> str:
    return api_key_create(name="Test-App")[1]


def post(client: Client, fmt: str = "json", **data: Any) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data)


def valid(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "api_key": key,
        "service_code": "wilder-muell",
        "lat": str(INSIDE[0]),
        "long": str(INSIDE[1]),
        "address_string": "Ostwall 1",
        "description": "Sperrmüll am Straßenrand",
        "email": "melder@beispiel.invalid",
        **extra,
    }


def test_client_reads_services_definitions_and_requests(
    live_server: Any, make_report: Any, categories: Any
) -> None:
    published = make_report("licht", attributes={"lampennummer": "L-77", "art": "aus"})
    report_set_status(
        report=published, by=None, status="closed", close_reason="fixed", note="Lampe getauscht"
    )
    make_report("muell", publish=False)  # unpublished: never listed
    hidden = make_report("schlagloch")
    report_hide(report=hidden, by=UserFactory(staff=True), reason="Name im Text")

    for fmt in ("json", "xml"):
        client = GeoReport(live_server.url + BASE, jurisdiction="krefeld", output_format=fmt)
        services = client.get_service_list()
        codes = {s["service_code"] for s in services}
        assert {"abfall", "wilder-muell", "strassenbeleuchtung", "schlagloch"} <= codes
        licht = next(s for s in services if s["service_code"] == "strassenbeleuchtung")
        assert licht["metadata"] == "true"
        assert licht["group"] == "Straße"
        assert next(s for s in services if s["service_code"] == "abfall")["metadata"] == "false"

        definition = client.get_service_definition("strassenbeleuchtung")
        attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
        lamp = next(a for a in attributes if a["code"] == "lampennummer")
        assert lamp["required"] == "true"
        assert lamp["variable"] == "true"
        assert lamp["datatype"] == "string"
        kind = next(a for a in attributes if a["code"] == "art")
        values = kind["values"] if fmt == "json" else kind["values"]["value"]
        assert {"key": "aus", "name": "Lampe aus"} in [dict(v) for v in values]

        listed = client.get_service_requests()
        listed = listed if isinstance(listed, list) else [listed]  # xmltodict gives a dict for one item
        assert [r["service_request_id"] for r in listed] == [published.service_request_id]
        row = listed[0]
        assert row["status"] == "closed"
        assert row["status_notes"] == "Lampe getauscht"
        assert row["agency_responsible"] == "Stadtwerke Krefeld AG"
        assert OFFSET.match(row["requested_datetime"])
        assert float(row["lat"]) == pytest.approx(INSIDE[0])

        single = client.get_service_request(published.service_request_id)
        assert single["service_request_id"] == published.service_request_id
        if fmt == "json":  # the client cannot parse an empty XML list (xmltodict yields None)
            assert client.get_service_requests(status="open") == []


def test_discovery_json_and_xml(client: Client, city: Any) -> None:
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert data["endpoints"][0]["url"].endswith("/georeport/v2")
    response = client.get(f"{BASE}/discovery.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]


def test_post_creates_unpublished_report_with_token(
    client: Client, key: str, categories: Any, city: Any
) -> None:
    response = post(client, **valid(key))
    assert response.status_code == 201
    [row] = response.json()
    report = Report.objects.get(service_request_id=row["service_request_id"])
    assert row["token"] == report.token
    assert report.source == "open311"
    assert not report.published
    assert report.district.name == "West"
    assert report.organisation.slug == "kommunalbetrieb"  # inherited from "Abfall"
    # not public yet: neither listed nor retrievable, but the token resolves
    assert client.get(f"{BASE}/requests.json").json() == []
    assert client.get(f"{BASE}/requests/{report.service_request_id}.json").status_code == 404
    token = client.get(f"{BASE}/tokens/{row['token']}.json").json()
    assert token == [{"service_request_id": report.service_request_id, "token": report.token}]
    report_publish(report=report, by=UserFactory(staff=True))
    [listed] = client.get(f"{BASE}/requests.json").json()
    assert listed["service_request_id"] == report.service_request_id
    assert "melder@beispiel.invalid" not in client.get(f"{BASE}/requests.xml").content.decode()


def test_post_with_attributes_in_xml(client: Client, key: str, categories: Any, city: Any) -> None:
    data = valid(key, service_code="strassenbeleuchtung")
    data["attribute[lampennummer]"] = "4711"
    data["attribute[art]"] = "flackert"
    response = post(client, "xml", **data)
    assert response.status_code == 201
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    report = Report.objects.get(service_request_id=root.find("request/service_request_id").text)
    assert report.attributes == {"lampennummer": "4711", "art": "flackert"}
    assert report.organisation.slug == "swk"


def errors_of(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    assert isinstance(body, list)
    assert body
    assert all(set(e) == {"code", "description"} and e["code"] == response.status_code for e in body)
    return body


@pytest.mark.parametrize(
    ("change", "status", "needle"),
    [
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "gibt-es-nicht"}, 400, "service_code"),
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "falsch"}, 403, "api_key"),
        ({"service_code": "strassenbeleuchtung"}, 400, "Nummer am Mast"),
        ({"lat": str(OUTSIDE[0]), "long": str(OUTSIDE[1])}, 400, "außerhalb"),
        ({"lat": "", "long": ""}, 400, "lat"),
        ({"lat": "abc"}, 400, "lat"),
        ({"lat": "nan"}, 400, "lat"),
        ({"description": "   "}, 400, "beschreiben"),
        ({"email": "kein-mail"}, 400, "E-Mail"),
        ({"jurisdiction_id": "koeln"}, 404, "jurisdiction_id"),
    ],
)
def test_bad_posts_get_spec_errors_and_store_nothing(
    client: Client, key: str, categories: Any, city: Any, change: dict[str, str], status: int, needle: str
) -> None:
    response = post(client, **valid(key, **change))
    assert response.status_code == status
    assert needle in errors_of(response)[0]["description"]
    assert Report.objects.count() == 0


def test_bad_post_in_xml_uses_errors_element(client: Client, key: str, categories: Any, city: Any) -> None:
    response = post(client, "xml", **valid(key, api_key="falsch"))
    assert response.status_code == 403
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert root.find("error/code").text == "403"
    assert "api_key" in root.find("error/description").text


def test_same_post_twice_is_recognised(client: Client, key: str, categories: Any, city: Any) -> None:
    first = post(client, **valid(key))
    second = post(client, **valid(key))
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()[0]["service_request_id"] == second.json()[0]["service_request_id"]
    assert Report.objects.count() == 1


def test_script_in_description_is_data_not_code(client: Client, key: str, categories: Any, city: Any) -> None:
    evil = '<script>alert("x")</script> & Müll'
    [row] = post(client, **valid(key, description=evil)).json()
    report = Report.objects.get(service_request_id=row["service_request_id"])
    report_publish(report=report, by=UserFactory(staff=True))
    assert client.get(f"{BASE}/requests.json").json()[0]["description"] == evil
    xml = client.get(f"{BASE}/requests.xml").content.decode()
    assert "<script>" not in xml
    assert ET.fromstring(xml).find("request/description").text == evil
    page = client.get(f"/maengel/meldung/{report.service_request_id}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/requests/UNBEKANNT.json", 404),
        ("/services/unbekannt.json", 404),
        ("/tokens/unbekannt.json", 404),
        ("/requests.json?start_date=gestern", 400),
        ("/requests.json?end_date=2025-13-45T00:00:00Z", 400),
        ("/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-12-01T00:00:00Z", 400),
        ("/requests.json?start_date=2025-02-01T00:00:00Z&end_date=2025-01-01T00:00:00Z", 400),
        ("/requests.json?status=kaputt", 400),
        ("/requests.json?service_code=unbekannt", 404),
        ("/requests.json?page_size=0", 400),
        ("/requests.json?page=x", 400),
        ("/services.json?jurisdiction_id=koeln", 404),
    ],
)
def test_bad_reads_get_spec_errors(client: Client, categories: Any, city: Any, url: str, status: int) -> None:
    response = client.get(BASE + url)
    assert response.status_code == status
    errors_of(response)


def test_method_not_allowed(client: Client, city: Any) -> None:
    response = client.delete(f"{BASE}/services.json")
    assert response.status_code == 405
    errors_of(response)


def test_requests_filters(client: Client, make_report: Any) -> None:
    old = make_report("muell")
    Report.objects.filter(pk=old.pk).update(requested_at=timezone.now() - dt.timedelta(days=120))
    recent_muell = make_report("muell")
    licht = make_report("licht")
    report_set_status(report=licht, by=None, status="in_progress")
    ids = lambda r: {x["service_request_id"] for x in r.json()}  # noqa: E731
    assert ids(client.get(f"{BASE}/requests.json")) == {
        recent_muell.service_request_id,
        licht.service_request_id,
    }
    assert ids(client.get(f"{BASE}/requests.json?service_code=strassenbeleuchtung")) == {
        licht.service_request_id
    }
    assert ids(client.get(f"{BASE}/requests.json?status=open")) == {
        recent_muell.service_request_id,
        licht.service_request_id,
    }
    assert ids(client.get(f"{BASE}/requests.json?status=closed")) == set()
    start = (timezone.now() - dt.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - dt.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(client.get(f"{BASE}/requests.json", {"start_date": start, "end_date": end})) == {
        old.service_request_id
    }
    both = f"{old.service_request_id},{licht.service_request_id}"
    assert ids(client.get(f"{BASE}/requests.json?service_request_id={both}")) == {
        old.service_request_id,
        licht.service_request_id,
    }
    page1 = client.get(f"{BASE}/requests.json?page_size=1").json()
    page2 = client.get(f"{BASE}/requests.json?page_size=1&page=2").json()
    assert len(page1) == len(page2) == 1
    assert page1 != page2


def test_media_url_only_for_published_photos(client: Client, make_report: Any, photo: Any) -> None:
    report = make_report("muell", publish=False, photos=[photo])
    report_publish(report=report, by=UserFactory(staff=True), photo_ids=[])
    assert client.get(f"{BASE}/requests/{report.service_request_id}.json").json()[0]["media_url"] == ""
    item = ReportPhoto.objects.get()
    assert client.get(f"/maengel/foto/{item.pk}/").status_code == 404
    report_publish(report=report, by=UserFactory(staff=True), photo_ids=[item.pk])
    url = client.get(f"{BASE}/requests/{report.service_request_id}.json").json()[0]["media_url"]
    assert url.endswith(f"/maengel/foto/{item.pk}/")
    assert client.get(f"/maengel/foto/{item.pk}/")["Content-Type"] == "image/jpeg"


def test_requests_query_count_is_bounded(
    client: Client, make_report: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        make_report("muell")
    with django_assert_max_num_queries(6):
        assert len(client.get(f"{BASE}/requests.json").json()) == 5


def test_request_datetimes_in_city_time_with_offset_across_dst(client: Client, make_report: Any) -> None:
    """Stored in UTC; listed in Europe/Berlin with the offset of the day (winter +01:00, summer +02:00)."""
    winter = make_report(description="Winter")
    summer = make_report(description="Sommer")
    Report.objects.filter(pk=winter.pk).update(
        requested_at=dt.datetime(2025, 1, 15, 23, 30, 5, 123456, tzinfo=dt.UTC),
        updated_at=dt.datetime(2025, 3, 30, 0, 59, 59, tzinfo=dt.UTC),  # the last second before DST
    )
    Report.objects.filter(pk=summer.pk).update(
        requested_at=dt.datetime(2025, 3, 30, 1, 0, 0, tzinfo=dt.UTC),  # the first second of DST
        updated_at=dt.datetime(2025, 7, 1, 12, 0, 0, tzinfo=dt.UTC),
    )
    params = {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-03-31T00:00:00Z"}
    rows = {r["description"]: r for r in client.get(f"{BASE}/requests.json", params).json()}
    assert rows["Winter"]["requested_datetime"] == "2025-01-16T00:30:05+01:00"
    assert rows["Winter"]["updated_datetime"] == "2025-03-30T01:59:59+01:00"
    assert rows["Sommer"]["requested_datetime"] == "2025-03-30T03:00:00+02:00"
    assert rows["Sommer"]["updated_datetime"] == "2025-07-01T14:00:00+02:00"


def test_xml_rows_escaped_field_by_field_even_with_separator_or_braces() -> None:
    from konzeptk.servicedesk.open311_format import xml_ready_rows as _xml_ready_rows

    rows = [
        {"description": "Müll <b> & Glas", "lat": 51.3, "media_url": ""},
        {"description": "a\x1fb {0} {}", "lat": 1, "media_url": "x>y"},
    ]
    assert _xml_ready_rows(rows, "request") == (
        "<request><description>Müll &lt;b&gt; &amp; Glas</description><lat>51.3</lat><media_url></media_url></request>"
        "<request><description>a\x1fb {0} {}</description><lat>1</lat><media_url>x&gt;y</media_url></request>"
    )


def test_post_with_photo_file_stores_it_unchecked_and_lists_it_only_after_publishing(
    client: Client, key: str, categories: Any, city: Any
) -> None:
    data = valid(key)
    data["media"] = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(f"{BASE}/requests.json", data)  # multipart/form-data
    assert response.status_code == 201
    report = Report.objects.get(service_request_id=response.json()[0]["service_request_id"])
    item = ReportPhoto.objects.get(report=report)
    assert not item.published
    assert not Image.open(item.image.open("rb")).getexif()  # EXIF and GPS gone
    report_publish(report=report, by=UserFactory(staff=True), photo_ids=[])
    assert client.get(f"{BASE}/requests/{report.service_request_id}.json").json()[0]["media_url"] == ""
    report_publish(report=report, by=UserFactory(staff=True), photo_ids=[item.pk])
    url = client.get(f"{BASE}/requests/{report.service_request_id}.json").json()[0]["media_url"]
    assert url.endswith(f"/maengel/foto/{item.pk}/")


def _huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("upload", "needle"),
    [
        (
            lambda: SimpleUploadedFile("a.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"),
            "kein Foto",
        ),
        (lambda: SimpleUploadedFile("big.png", _huge_png(), content_type="image/png"), "Bildpunkte"),
        (
            lambda: SimpleUploadedFile(
                "big.jpg", b"\xff\xd8" + b"0" * (11 * 1024 * 1024), content_type="image/jpeg"
            ),
            "MB",
        ),
    ],
)
def test_post_with_bad_photo_gets_spec_error_and_stores_nothing(
    client: Client, key: str, categories: Any, city: Any, upload: Any, needle: str
) -> None:
    data = valid(key)
    data["media"] = [SimpleUploadedFile("ok.jpg", jpeg_with_gps(), content_type="image/jpeg"), upload()]
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 400
    assert needle in errors_of(response)[0]["description"]
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0


def test_media_url_is_not_fetched_and_the_notice_says_so(
    client: Client, key: str, categories: Any, city: Any
) -> None:
    response = post(client, **valid(key, media_url="http://127.0.0.1:9/intern.jpg"))
    assert response.status_code == 201
    assert "media_url wurde nicht übernommen" in response.json()[0]["service_notice"]
    assert ReportPhoto.objects.count() == 0


def test_address_string_alone_only_for_a_known_street(
    client: Client, key: str, categories: Any, known_places: Any
) -> None:
    response = post(client, **valid(key, lat="", long="", address_string="Ostwall 22"))
    assert response.status_code == 201
    assert "ungefähr" in response.json()[0]["service_notice"]
    report = Report.objects.get()
    assert (report.lat, report.lon) == (known_places["school"].lat, known_places["school"].lon)
    assert not report.location_precise
    response = post(client, **valid(key, lat="", long="", address_string="Nirgendwo 1"))
    assert response.status_code == 400
    assert "keine Adresssuche" in errors_of(response)[0]["description"]
    assert post(client, **valid(key, long="")).status_code == 400  # lat without long
    assert Report.objects.count() == 1


def test_post_with_plain_http_over_a_real_socket(
    live_server: Any, key: str, categories: Any, city: Any
) -> None:
    """What any Open311 client does: an application/x-www-form-urlencoded POST over HTTP."""
    import urllib.error
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode(valid(key)).encode()
    with urllib.request.urlopen(f"{live_server.url}{BASE}/requests.json", data=body, timeout=10) as answer:
        assert answer.status == 201
        [row] = json.loads(answer.read())
    assert Report.objects.filter(service_request_id=row["service_request_id"], source="open311").exists()
    bad = urllib.parse.urlencode(valid(key, api_key="falsch")).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{live_server.url}{BASE}/requests.xml", data=bad, timeout=10)
    assert refused.value.code == 403
    root = ET.fromstring(refused.value.read())
    assert root.tag == "errors"
    assert Report.objects.count() == 1
