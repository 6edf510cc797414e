"""Resident pages: the two-step report form, nearby reports, follow link, list, detail, statistics."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.models import District
from konzeptk.core.errors import DomainError
from konzeptk.servicedesk.models import Follower, Report, ReportPhoto
from konzeptk.servicedesk.selectors import report_statistics
from konzeptk.servicedesk.services import report_hide, report_set_status

from .conftest import INSIDE, OUTSIDE, jpeg_with_gps

NEW = "/maengel/melden/"


def step1(categories: Any, **change: Any) -> dict[str, Any]:
    data = {
        "step": "1",
        "category": categories["muell"].pk,
        "description": "Sperrmüll vor der Schule",
        "address": "Ostwall 10",
        "lat": str(INSIDE[0]),
        "lon": str(INSIDE[1]),
        "email": "melderin@beispiel.invalid",
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def test_form_page_renders_without_js(client: Client, categories: Any, city: Any) -> None:
    page = client.get(NEW).content.decode()
    assert "Problem melden" in page
    assert 'name="address"' in page
    assert 'name="district"' in page
    assert 'name="lat"' in page
    assert "<optgroup" in page
    assert "Straßenbeleuchtung" in page
    assert 'src="/maengel/karte.svg"' in page  # server-side map to click without JavaScript


def test_full_report_with_photo(client: Client, categories: Any, city: Any) -> None:
    response = client.post(NEW, step1(categories))
    assert response.status_code == 200
    assert "Meldung absenden" in response.content.decode()
    assert Report.objects.count() == 0  # nothing stored after step 1
    data = step1(categories, step="2")
    data["photos"] = [SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")]
    response = client.post(NEW, data)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/maengel/melden/danke/{report.token}/"
    assert report.district.name == "West"
    assert report.location_precise
    thanks = client.get(response["Location"]).content.decode()
    assert report.service_request_id in thanks
    assert f"/maengel/verfolgen/{report.token}/" in thanks
    photo = ReportPhoto.objects.get()
    assert not Image.open(photo.image.open("rb")).getexif()
    follow = client.get(f"/maengel/verfolgen/{report.token}/").content.decode()
    assert "werden geprüft" in follow
    assert (
        client.get(f"/maengel/meldung/{report.service_request_id}/").status_code == 404
    )  # not published yet


def test_no_js_path_with_address_and_district(client: Client, categories: Any, city: Any) -> None:
    west = District.objects.get(name="West")
    data = step1(categories, step="2", lat="", lon="", district=west.pk)
    assert client.post(NEW, data).status_code == 302
    report = Report.objects.get()
    assert not report.location_precise
    assert report.district == west
    assert report.address == "Ostwall 10"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lat": "", "lon": ""}, "Bitte geben Sie den Ort an"),
        ({"lat": str(OUTSIDE[0]), "lon": str(OUTSIDE[1])}, "außerhalb des Stadtgebiets"),
        ({"lat": "abc"}, "keine Zahlen"),
        ({"description": ""}, "Beschreibung"),
        ({"category": "999999"}, "gültige"),
        ({"email": "kaputt"}, "E-Mail"),
    ],
)
def test_bad_form_input_gets_form_errors(
    client: Client, categories: Any, city: Any, change: dict[str, Any], message: str
) -> None:
    for step in ("1", "2"):
        response = client.post(NEW, step1(categories, step=step, **change))
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Report.objects.count() == 0


def test_outside_city_at_step_2_names_the_problem(client: Client, categories: Any, city: Any) -> None:
    response = client.post(NEW, step1(categories, step="2", lat=str(OUTSIDE[0]), lon=str(OUTSIDE[1])))
    assert "außerhalb des Stadtgebiets" in response.content.decode()


def test_missing_required_attribute_is_a_form_error(client: Client, categories: Any, city: Any) -> None:
    data = step1(categories, category=categories["licht"].pk)
    page = client.post(NEW, data).content.decode()
    assert "Nummer am Mast" in page  # the extra question appears in step 2
    response = client.post(NEW, {**data, "step": "2"})
    assert response.status_code == 400
    assert Report.objects.count() == 0
    response = client.post(
        NEW, {**data, "step": "2", "attribute_lampennummer": "L-12", "attribute_art": "aus"}
    )
    assert response.status_code == 302
    assert Report.objects.get().attributes == {"lampennummer": "L-12", "art": "aus"}


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("a.jpg", b"kein bild", content_type="image/jpeg"), "kein Foto"),
        (
            lambda: SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
            "kein Foto",
        ),
    ],
)
def test_bad_photo_saves_nothing(
    client: Client, categories: Any, city: Any, upload: Any, message: str
) -> None:
    data = step1(categories, step="2")
    data["photos"] = [SimpleUploadedFile("ok.jpg", jpeg_with_gps(), content_type="image/jpeg"), upload()]
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0


def test_huge_photo_and_too_many_photos(client: Client, categories: Any, city: Any) -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")
    data = step1(categories, step="2")
    data["photos"] = [SimpleUploadedFile("big.png", out.getvalue(), content_type="image/png")]
    assert "Bildpunkte" in client.post(NEW, data).content.decode()
    data["photos"] = [
        SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps(), content_type="image/jpeg") for i in range(4)
    ]
    assert "höchstens 3 Fotos" in client.post(NEW, data).content.decode()
    assert Report.objects.count() == 0


def test_same_report_twice_is_recognised(client: Client, categories: Any, city: Any) -> None:
    first = client.post(NEW, step1(categories, step="2"))
    second = client.post(NEW, step1(categories, step="2"), follow=True)
    assert Report.objects.count() == 1
    assert first["Location"] == second.redirect_chain[0][0]
    assert "bereits erhalten" in second.content.decode()


def test_nearby_open_reports_are_offered_for_support(
    client: Client, make_report: Any, categories: Any
) -> None:
    near = make_report("muell", lat=INSIDE[0] + 0.0002, lon=INSIDE[1])  # about 22 m north
    far = make_report("muell", lat=INSIDE[0] + 0.0008, lon=INSIDE[1])  # about 89 m
    other_category = make_report("schlagloch", lat=INSIDE[0], lon=INSIDE[1])
    closed = make_report("muell", lat=INSIDE[0], lon=INSIDE[1] + 0.0001)
    report_set_status(report=closed, by=None, status="closed", close_reason="fixed")
    unpublished = make_report("muell", lat=INSIDE[0], lon=INSIDE[1], publish=False)
    page = client.post(NEW, step1(categories)).content.decode()
    assert "Schon gemeldet?" in page
    assert near.service_request_id in page
    for report in (far, other_category, closed, unpublished):
        assert report.service_request_id not in page
    response = client.post(
        f"/maengel/meldung/{near.service_request_id}/unterstuetzen/", {"email": "auch@beispiel.invalid"}
    )
    assert response.status_code == 302
    near.refresh_from_db()
    assert near.supporters == 1
    assert Follower.objects.filter(report=near, email="auch@beispiel.invalid").exists()


def test_list_filters_and_query_bound(
    client: Client, make_report: Any, categories: Any, django_assert_max_num_queries: Any
) -> None:
    west = make_report("muell")
    east = make_report("schlagloch", lat=51.34, lon=6.60)
    make_report("muell", publish=False)
    hidden = make_report("muell")
    report_hide(report=hidden, by=UserFactory(staff=True), reason="Test")
    report_set_status(report=east, by=None, status="in_progress")
    for _ in range(5):
        make_report("muell")
    with django_assert_max_num_queries(16):
        page = client.get("/maengel/").content.decode()
    assert west.service_request_id in page
    assert hidden.service_request_id not in page
    assert "7 Meldungen" in page
    ost = District.objects.get(name="Ost")
    page = client.get("/maengel/", {"district": ost.pk}).content.decode()
    assert "1 Meldung" in page
    assert east.service_request_id in page
    page = client.get("/maengel/", {"status": "in_progress"}).content.decode()
    assert east.service_request_id in page
    assert west.service_request_id not in page
    page = client.get("/maengel/", {"category": categories["strasse"].pk}).content.decode()
    assert east.service_request_id in page  # a top category includes its sub-categories
    Report.objects.filter(pk=west.pk).update(requested_at=timezone.now() - dt.timedelta(days=40))
    page = client.get("/maengel/", {"period": "30"}).content.decode()
    assert west.service_request_id not in page
    assert (
        client.get("/maengel/", {"status": "quatsch"}).status_code == 200
    )  # invalid filter: ignored, no 500
    data = client.get("/maengel/karte.json", {"district": ost.pk}).json()
    assert [f["properties"]["id"] for f in data["features"]] == [east.service_request_id]
    assert client.get("/maengel/karte.json", {"district": "x"}).status_code == 400


def test_detail_shows_public_timeline_but_no_email_or_internal_note(client: Client, make_report: Any) -> None:
    from konzeptk.servicedesk.services import report_add_note

    report = make_report("muell", email="geheim@beispiel.invalid")
    staff = UserFactory(staff=True)
    report_add_note(report=report, by=staff, text="Interner Hinweis XY", kind="internal")
    report_set_status(report=report, by=staff, status="in_progress", note="Wir kümmern uns")
    page = client.get(f"/maengel/meldung/{report.service_request_id}/").content.decode()
    assert "Wir kümmern uns" in page
    assert "in Bearbeitung" in page
    assert "geheim@beispiel.invalid" not in page
    assert "Interner Hinweis XY" not in page
    assert client.get("/maengel/meldung/GIBTESNICHT/").status_code == 404


def test_status_change_mails_reporter_and_followers(client: Client, make_report: Any) -> None:
    report = make_report("muell", email="melderin@beispiel.invalid", email_verified=True)
    assert (
        client.post(
            f"/maengel/meldung/{report.service_request_id}/folgen/", {"email": "nachbar@beispiel.invalid"}
        ).status_code
        == 302
    )
    client.post(f"/maengel/meldung/{report.service_request_id}/folgen/", {"email": "kaputt"})
    assert Follower.objects.count() == 1
    with pytest.raises(DomainError, match="abgeschlossen"):
        report_set_status(report=report, by=None, status="closed")
    report.refresh_from_db()
    assert report.status == "open"


def test_mails_are_sent_after_commit(make_report: Any, django_capture_on_commit_callbacks: Any) -> None:
    report = make_report("muell", email="melderin@beispiel.invalid", email_verified=True)
    Follower.objects.create(report=report, email="nachbar@beispiel.invalid", confirmed_at=timezone.now())
    Follower.objects.create(report=report, email="unbestaetigt@beispiel.invalid")  # gets nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_set_status(report=report, by=None, status="closed", close_reason="fixed", note="Abgeholt")
    assert sorted(m.to[0] for m in mail.outbox) == ["melderin@beispiel.invalid", "nachbar@beispiel.invalid"]
    to_reporter = next(m for m in mail.outbox if m.to == ["melderin@beispiel.invalid"])
    assert "erledigt" in to_reporter.subject
    assert "Abgeholt" in to_reporter.body
    assert report.token in to_reporter.body
    to_follower = next(m for m in mail.outbox if m.to == ["nachbar@beispiel.invalid"])
    assert report.token not in to_follower.body
    assert "/maengel/abbestellen/" in to_follower.body
    token = Follower.objects.get(email="nachbar@beispiel.invalid").token
    assert Client().post(f"/maengel/abbestellen/{token}/").status_code == 302
    assert not Follower.objects.filter(email="nachbar@beispiel.invalid").exists()


def test_statistics_median_days_to_fix(client: Client, make_report: Any) -> None:
    now = timezone.now()
    for days in (2, 4, 9):
        report = make_report("muell")
        Report.objects.filter(pk=report.pk).update(requested_at=now - dt.timedelta(days=days))
        report.refresh_from_db()
        report_set_status(
            report=report, by=None, status="closed", close_reason="fixed", now=now, notify=False
        )
    make_report("schlagloch", lat=51.34, lon=6.60)
    stats = report_statistics()
    abfall = next(r for r in stats["categories"] if r.label == "Abfall")
    assert (abfall.total, abfall.open, abfall.fixed, abfall.median_days) == (3, 0, 3, 4.0)
    strasse = next(r for r in stats["categories"] if r.label == "Straße")
    assert (strasse.total, strasse.open, strasse.median_days) == (1, 1, None)
    assert {r.label for r in stats["districts"]} == {"West", "Ost"}
    page = client.get("/maengel/statistik/").content.decode()
    # a median of whole days reads "4", not "4,0" (numbers follow the page language, issue 13)
    assert '<th scope="row">Abfall</th><td>3</td><td>0</td><td>3</td><td>4</td>' in page


def test_detail_labels_attribute_answers(client: Client, make_report: Any) -> None:
    report = make_report("licht", attributes={"lampennummer": "12-345", "art": "aus"})
    page = client.get(f"/maengel/meldung/{report.service_request_id}/").content.decode()
    assert "<dt>Nummer am Mast</dt><dd>12-345</dd>" in page


def test_list_cards_and_map_dots_show_link_date_status(client: Client, make_report: Any) -> None:
    report = make_report("muell", address="Ostwall 1")
    report_set_status(report=report, by=None, status="closed", close_reason="fixed")
    Report.objects.filter(pk=report.pk).update(
        requested_at=dt.datetime(2025, 3, 31, 22, 30, tzinfo=dt.UTC)  # 1 April in Krefeld
    )
    page = client.get("/maengel/").content.decode()
    rid = report.service_request_id
    # the category in the reader's language ({% kk_text %}; a German fallback would be marked)
    assert f'<a href="/maengel/meldung/{rid}/">{report.category.name} – Ostwall 1</a>' in page
    assert f"{rid} · 1. April 2025" in page
    assert '<span class="sd-status sd-status--closed">erledigt – behoben</span>' in page
    assert f"<title>{rid}: {report.category.name} (erledigt)</title>" in page
    arabic = client.get("/ar/maengel/").content.decode()
    assert f'href="/ar/maengel/meldung/{rid}/"' in arabic


def test_known_place_instead_of_the_map(client: Client, categories: Any, known_places: Any) -> None:
    school = known_places["school"]
    page = client.get(NEW).content.decode()
    assert 'name="place"' in page
    assert "Testschule – Ostwall 20" in page
    assert "keine Adresssuche" in page  # the form says what it does with an address
    data = step1(categories, lat="", lon="", address="", place=school.pk)
    check = client.post(NEW, data)
    assert check.status_code == 200
    assert "bekannter Ort aus der Liste" in check.content.decode()
    assert client.post(NEW, {**data, "step": "2"}).status_code == 302
    report = Report.objects.get()
    assert (report.lat, report.lon) == (school.lat, school.lon)
    assert not report.location_precise
    assert report.district.name == "West"
    assert report.address == "bei Testschule – Ostwall 20"


def test_typed_street_of_a_known_place_places_the_report_there(
    client: Client, categories: Any, known_places: Any
) -> None:
    data = step1(categories, lat="", lon="", address="Ostwall 24, vor dem Kiosk")
    check = client.post(NEW, data).content.decode()
    assert "derselben Straße" in check
    assert client.post(NEW, {**data, "step": "2"}).status_code == 302
    report = Report.objects.get()
    school = known_places["school"]  # house number 20 is nearer to 24 than 90
    assert (report.lat, report.lon) == (school.lat, school.lon)
    assert not report.location_precise
    assert report.address == "Ostwall 24, vor dem Kiosk"


def test_typed_street_in_another_district_falls_back_to_the_district(
    client: Client, categories: Any, known_places: Any
) -> None:
    east = District.objects.get(name="Ost")
    data = step1(categories, step="2", lat="", lon="", address="Ostwall 24", district=east.pk)
    assert client.post(NEW, data).status_code == 302
    report = Report.objects.get()
    assert report.district == east  # the known place in Ostwall lies in the west: not used
    assert not report.location_precise


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"address": "Unbekannte Gasse 5"}, "Bitte geben Sie den Ort an"),
        ({"place": "999999"}, "gültige"),
    ],
)
def test_unknown_street_or_place_is_a_form_error(
    client: Client, categories: Any, known_places: Any, change: dict[str, Any], message: str
) -> None:
    response = client.post(NEW, step1(categories, step="2", lat="", lon="", **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.count() == 0


def test_script_in_the_form_is_kept_as_text_and_escaped(client: Client, categories: Any, city: Any) -> None:
    evil = '<script>alert("x")</script> Müll & Glas'
    response = client.post(NEW, step1(categories, step="2", description=evil))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.description == evil
    follow = client.get(f"/maengel/verfolgen/{report.token}/").content.decode()
    assert "<script>alert" not in follow
    assert "&lt;script&gt;alert" in follow


def test_click_on_the_map_image_without_javascript(client: Client, categories: Any, city: Any) -> None:
    from konzeptk.city import svgmap
    from konzeptk.servicedesk.views import CLICK_MAP_WIDTH, _current_base_map, point_from_map_click

    page = client.get(NEW).content.decode()
    assert 'type="image"' in page
    assert 'name="karte"' in page
    svg = client.get("/maengel/karte.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert "West" in svg.content.decode()
    assert "style=" not in svg.content.decode()
    # where INSIDE lies on the image shown CLICK_MAP_WIDTH pixels wide
    drawing, _data, bounds = _current_base_map()  # type: ignore[misc]
    x, y = svgmap.Projection(bounds, drawing.width)(INSIDE[1], INSIDE[0])
    factor = CLICK_MAP_WIDTH / drawing.width
    click = {"karte.x": str(round(x * factor)), "karte.y": str(round(y * factor))}
    lat, lon = point_from_map_click(click["karte.x"], click["karte.y"])  # type: ignore[misc]
    assert abs(lat - INSIDE[0]) < 0.002
    assert abs(lon - INSIDE[1]) < 0.002
    data = step1(categories, lat="", lon="", address="")
    check = client.post(NEW, {**data, **click})
    assert check.status_code == 200
    assert "Klicks auf die Übersichtskarte" in check.content.decode()
    step2 = {**data, "step": "2", "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "approximate": "True"}
    assert client.post(NEW, step2).status_code == 302
    report = Report.objects.get()
    assert not report.location_precise
    assert report.district.name == "West"


def test_map_image_activated_with_the_keyboard_is_not_a_place(
    client: Client, categories: Any, city: Any
) -> None:
    response = client.post(NEW, {**step1(categories, lat="", lon=""), "karte.x": "0", "karte.y": "0"})
    assert response.status_code == 400
    assert "Bitte geben Sie den Ort an" in response.content.decode()


def test_public_reports_as_csv(client: Client, make_report: Any, categories: Any) -> None:
    shown = make_report("muell")
    make_report("muell", publish=False)
    response = client.get("/maengel/meldungen.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    lines = text.strip().splitlines()
    assert lines[0].startswith("service_request_id,service_name,status,lat,long")
    assert len(lines) == 2
    assert lines[1].startswith(shown.service_request_id)
    assert shown.email not in text or not shown.email
