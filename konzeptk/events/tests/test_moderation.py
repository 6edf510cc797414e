"""Organisers submit with an account, staff moderate; the organiser hears about it in the notification inbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.events.models import MODERATION_KIND, Event, Feed
from konzeptk.events.tests.conftest import at
from konzeptk.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Flohmarkt im Hof",
        "description": "Viele Stände.",
        "start": at(5, 10).strftime("%Y-%m-%dT%H:%M"),
        "end": at(5, 15).strftime("%Y-%m-%dT%H:%M"),
        "topic": "markt",
        "venue_name": "Schulhof Testschule",
        "address": "Teststraße 1",
        "lat": "51.34",
        "lon": "6.60",
        "step_free": "true",
        "accessible_toilet": "",
        "induction_loop": "false",
        "seating": "",
        "organiser_name": "Nachbarschaftsverein",
        "link": "https://example.org/flohmarkt",
        "is_free": "on",
        "price": "",
    }
    data.update(overrides)
    return data


def test_submitting_needs_an_account(client: Client, city: Any) -> None:
    response = client.get("/veranstaltungen/einreichen/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    response = client.post("/veranstaltungen/einreichen/", _form())
    assert response.status_code == 302
    assert not Event.objects.exists()


def test_submit_publish_and_notify(client: Client, city: Any, organiser: Any, staff: Any) -> None:
    client.force_login(organiser)
    response = client.post("/veranstaltungen/einreichen/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert event.status == Event.Status.PENDING
    assert event.submitted_by == organiser
    assert event.venue is not None
    assert event.venue.district is not None
    assert event.venue.district.code == "2"
    assert event.venue.step_free is True
    assert event.venue.induction_loop is False
    assert event.venue.seating is None
    assert client.get(f"/veranstaltungen/{event.pk}/").status_code == 200  # the organiser sees it
    assert "Flohmarkt im Hof" in client.get("/veranstaltungen/meine/").content.decode()
    client.logout()
    assert Client().get(f"/veranstaltungen/{event.pk}/").status_code == 404

    client.force_login(staff)
    assert "Flohmarkt im Hof" in client.get("/veranstaltungen/verwaltung/").content.decode()
    response = client.post(f"/veranstaltungen/verwaltung/{event.pk}/", {"action": "publish"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.moderated_by == staff
    note = Notification.objects.get(recipient=organiser)
    assert note.kind == MODERATION_KIND
    assert "veröffentlicht" in note.subject
    assert "Flohmarkt im Hof" in Client().get("/veranstaltungen/").content.decode()


def test_a_rejection_needs_a_reason_and_is_told(
    client: Client, city: Any, organiser: Any, staff: Any
) -> None:
    client.force_login(organiser)
    client.post("/veranstaltungen/einreichen/", _form())
    event = Event.objects.get()
    client.force_login(staff)
    response = client.post(f"/veranstaltungen/verwaltung/{event.pk}/", {"action": "reject", "reason": ""})
    assert response.status_code == 400
    response = client.post(
        f"/veranstaltungen/verwaltung/{event.pk}/", {"action": "reject", "reason": "Kein Bezug zur Stadt."}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.REJECTED
    assert event.rejection_reason == "Kein Bezug zur Stadt."
    note = Notification.objects.get(recipient=organiser)
    assert "Kein Bezug zur Stadt." in note.body
    client.force_login(organiser)
    assert "Kein Bezug zur Stadt." in client.get("/veranstaltungen/meine/").content.decode()
    # changing it sends it back to the moderation
    response = client.post(
        f"/veranstaltungen/meine/{event.pk}/bearbeiten/", _form(title="Flohmarkt im Hof, neu")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PENDING
    assert event.rejection_reason == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": "2020-01-01T10:00"}, "Das Ende liegt vor dem Beginn"),
        ({"start": "morgen"}, "gültiges Datum"),
        ({"start": "1850-01-01T10:00", "end": ""}, "zwischen den Jahren 2000 und 2100"),
        ({"start": "2026-02-30T10:00"}, "gültiges Datum"),
        ({"topic": "nope"}, "gültige Auswahl"),
        ({"is_free": "", "price": "-3"}, "größer oder gleich 0"),
        ({"price": "5"}, "freiem Eintritt hat keinen Preis"),
        ({"lat": "51.3", "lon": ""}, "Breite und Länge"),
        ({"title": ""}, "Dieses Feld ist zwingend erforderlich"),
        ({"link": "javascript:alert(1)"}, "gültige Adresse"),
        ({"end": (at(5, 10).replace(year=at(5).year + 1)).strftime("%Y-%m-%dT%H:%M")}, "höchstens 62 Tage"),
    ],
)
def test_bad_input_is_a_form_error(
    client: Client, city: Any, organiser: Any, changes: dict[str, str], field: str
) -> None:
    client.force_login(organiser)
    response = client.post("/veranstaltungen/einreichen/", _form(**changes))
    assert response.status_code == 400
    assert field in response.content.decode()
    assert not Event.objects.exists()


def test_a_bad_image_is_a_form_error_and_a_good_one_loses_its_exif(
    client: Client, city: Any, organiser: Any
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    client.force_login(organiser)
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post("/veranstaltungen/einreichen/", {**_form(), "image": bad, "image_alt": "Ein Bild"})
    assert response.status_code == 400
    assert "kein Bild" in response.content.decode()
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Testkamera"
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG", exif=exif)
    good = SimpleUploadedFile("x.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(
        "/veranstaltungen/einreichen/", {**_form(), "image": good, "image_alt": "Ein rotes Bild"}
    )
    assert response.status_code == 302
    event = Event.objects.get()
    with event.image.open("rb") as stored:
        assert not Image.open(stored).getexif()


def test_only_staff_moderate_and_manage_feeds(client: Client, city: Any, organiser: Any) -> None:
    client.force_login(organiser)
    for url in ("/veranstaltungen/verwaltung/", "/veranstaltungen/verwaltung/kalender/"):
        assert client.get(url).status_code == 403
    assert (
        client.post(
            "/veranstaltungen/verwaltung/kalender/",
            {"title": "x", "url": "https://x.example/a.ics", "topic": "markt", "licence": "x"},
        ).status_code
        == 403
    )
    assert not Feed.objects.exists()


def test_someone_else_cannot_edit(client: Client, make_event: Any, organiser: Any) -> None:
    event = make_event()
    Event.objects.filter(pk=event.pk).update(submitted_by=UserFactory())
    client.force_login(organiser)
    assert client.get(f"/veranstaltungen/meine/{event.pk}/bearbeiten/").status_code == 404


def test_staff_register_a_feed_run_it_and_read_the_report(
    client: Client, city: Any, staff: Any, monkeypatch: Any
) -> None:
    from konzeptk.events import importer
    from konzeptk.events.tests.conftest import feed_bytes

    client.force_login(staff)
    response = client.post(
        "/veranstaltungen/verwaltung/kalender/",
        {
            "title": "Kultur",
            "url": "https://kultur.example/termine.ics",
            "topic": "kultur",
            "licence": "dl-zero-de/2.0",
        },
    )
    feed = Feed.objects.get()
    assert response.status_code == 302
    monkeypatch.setattr(importer, "fetch_url", lambda url: feed_bytes("broken.ics"))
    response = client.post(f"/veranstaltungen/verwaltung/kalender/{feed.pk}/import/")
    assert response.status_code == 302
    report = client.get(response["Location"]).content.decode()
    assert "fehlgeschlagen" in report
    assert "kein gültiger iCalendar-Kalender" in report
    assert "fehlgeschlagen" in client.get(f"/veranstaltungen/verwaltung/kalender/{feed.pk}/").content.decode()
    assert (
        client.post(
            "/veranstaltungen/verwaltung/kalender/",
            {"title": "x", "url": "ftp://x", "topic": "kultur", "licence": "x"},
        ).status_code
        == 400
    )


def test_a_submission_in_english_is_the_german_original_not_a_translation(
    client: Client, city: Any, organiser: Any
) -> None:
    client.force_login(organiser)
    response = client.post("/en/veranstaltungen/einreichen/", _form(title="Flea market"))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.title_de == "Flea market"  # type: ignore[attr-defined]
    assert not event.title_en  # type: ignore[attr-defined]
