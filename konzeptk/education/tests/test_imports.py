"""Imports of providers' feeds: schema.org JSON-LD, MOOChub v3 (with paging), iCalendar and CSV;
reports per record, failed sources, unchanged records, the command and the schedule."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from konzeptk.education import imports
from konzeptk.education.importers import SourceError
from konzeptk.education.models import ImportRun, ImportSource, Offer, Provider, Session

DATA = Path(__file__).parent / "data"
PAGE_2 = "https://hochschule.example/api/v1/courses?page%5Bnumber%5D=2"

pytestmark = pytest.mark.django_db


def _source(provider: Provider, fmt: str, url: str = "https://anbieter.example/feed") -> ImportSource:
    return ImportSource.objects.create(provider=provider, title=f"Quelle {fmt}", format=fmt, url=url)


def _errors(run: ImportRun) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for error in run.errors:
        found.setdefault(error["record"], set()).add(error["field"])
    return found


def test_schema_org_page_becomes_one_offer_per_course_run(provider: Provider) -> None:
    source = _source(provider, "jsonld")
    run = imports.source_import(source=source, content=(DATA / "jsonld/vhs-programm.html").read_bytes())
    assert run.status == ImportRun.Status.PARTIAL
    assert (run.read, run.created, run.updated, run.unchanged) == (6, 4, 0, 0)
    errors = _errors(run)
    assert errors["https://vhs.example/veranstaltungen/271-10991"] == {"startDate"}  # 31 February
    assert errors["https://vhs.example/kurse/271-10777#1"] == {"teaches"}  # DigComp 6.1
    assert errors["https://vhs.example/kurse/271-10600#1"] == {"vhsKategorie"}  # unknown field, offer kept
    assert all(e["message"] for e in run.errors)
    tuesday = Offer.objects.get(import_source=source, external_id="https://vhs.example/kurse/271-10501/a")
    assert tuesday.kind == Offer.Kind.COURSE
    assert tuesday.status == Offer.Status.PUBLISHED
    assert (tuesday.price, tuesday.reduced_price, tuesday.age_min, tuesday.capacity) == (39, 19.5, 60, 12)
    assert sorted(tuesday.competences.values_list("code", "level")) == [("1.1", 2), ("2.1", 2)]
    days = [s.start.astimezone(dt.UTC).date().isoformat() for s in Session.objects.filter(offer=tuesday)]
    # every Tuesday from 2 February to 9 March 2027 except the 16th (exceptDate)
    assert days == ["2027-02-02", "2027-02-09", "2027-02-23", "2027-03-02", "2027-03-09"]
    thursday = Offer.objects.get(import_source=source, external_id="https://vhs.example/kurse/271-10501/b")
    assert Session.objects.filter(offer=thursday).count() == 4
    event = Offer.objects.get(
        import_source=source, external_id="https://vhs.example/veranstaltungen/271-10990"
    )
    assert event.kind == Offer.Kind.EVENT
    assert event.is_free
    assert event.languages == "|de|tr|"
    assert list(event.competences.values_list("code", "level")) == [("5.2", 2)]


def test_unchanged_records_are_left_alone_and_changes_update(provider: Provider) -> None:
    source = _source(provider, "jsonld")
    content = (DATA / "jsonld/graph.json").read_bytes()
    first = imports.source_import(source=source, content=content)
    assert (first.status, first.created) == (ImportRun.Status.OK, 1)
    offer = Offer.objects.get(import_source=source)
    assert (offer.age_min, offer.age_max, offer.is_free) == (10, 14, True)
    stamp = offer.updated_at
    second = imports.source_import(source=source, content=content)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    offer.refresh_from_db()
    assert offer.updated_at == stamp
    changed = content.replace(b"Wir programmieren Roboter", b"Wir bauen Roboter")
    third = imports.source_import(source=source, content=changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 0)
    assert Offer.objects.get(import_source=source).title_de == "Robotik-AG: Wir bauen Roboter"  # type: ignore[attr-defined]
    assert Offer.objects.filter(import_source=source).count() == 1


def test_moochub_follows_links_next(provider: Provider) -> None:
    source = _source(provider, "moochub", "https://hochschule.example/api/v1/courses")
    pages = {
        source.url: (DATA / "moochub/page-1.json").read_bytes(),
        PAGE_2: (DATA / "moochub/page-2.json").read_bytes(),
    }
    run = imports.source_import(source=source, fetch=pages.__getitem__)
    assert run.status == ImportRun.Status.PARTIAL
    assert (run.read, run.created) == (4, 3)
    errors = _errors(run)
    assert errors["5f0e7a4e-3c1b-4d51-9a2e-1b7d4f6c8a03"] == {"teaches.shortCode"}
    assert errors["5f0e7a4e-3c1b-4d51-9a2e-1b7d4f6c8a04"] == {"maxParticipants"}
    selfpaced = Offer.objects.get(external_id="5f0e7a4e-3c1b-4d51-9a2e-1b7d4f6c8a01")
    assert (selfpaced.kind, selfpaced.online, selfpaced.licence, selfpaced.is_free) == (
        Offer.Kind.RESOURCE,
        True,
        "CC-BY-SA-4.0",
        True,
    )
    python = Offer.objects.get(external_id="5f0e7a4e-3c1b-4d51-9a2e-1b7d4f6c8a02")
    # Mondays from 15 March to 3 May 2027 (Easter Monday included: the feed does not leave it out)
    assert Session.objects.filter(offer=python).count() == 8
    assert python.price == 60
    assert not python.is_free


def test_moochub_page_that_is_not_json_fails_the_run(provider: Provider) -> None:
    source = _source(provider, "moochub", "https://hochschule.example/api/v1/courses")
    pages = {source.url: (DATA / "moochub/page-1.json").read_bytes(), PAGE_2: b"<html>Wartung</html>"}
    run = imports.source_import(source=source, fetch=pages.__getitem__)
    assert run.status == ImportRun.Status.FAILED
    assert "Seite 2" in run.message
    assert not Offer.objects.filter(import_source=source).exists()


def test_moochub_paging_loop_is_stopped(provider: Provider) -> None:
    source = _source(provider, "moochub", "https://hochschule.example/api/v1/courses")
    looping = json.loads((DATA / "moochub/page-1.json").read_text())
    looping["links"]["next"] = source.url
    run = imports.source_import(source=source, fetch=lambda url: json.dumps(looping).encode())
    assert run.status == ImportRun.Status.OK
    assert run.read == 2


def test_ical_rrule_becomes_course_sessions(provider: Provider) -> None:
    source = _source(provider, "ical")
    run = imports.source_import(source=source, content=(DATA / "ical/mediothek.ics").read_bytes())
    errors = _errors(run)
    assert run.status == ImportRun.Status.PARTIAL
    assert run.read == 5
    assert run.created == 2
    assert errors["mediothek-3d-druck@mediothek.example"] == {"DTEND"}
    assert errors["mediothek-coding-club@mediothek.example"] == {"CATEGORIES"}
    assert "mediothek-gaming-treff@mediothek.example" in errors  # RRULE without an end: refused by offer_save
    course = Offer.objects.get(external_id="mediothek-tablet-sprechstunde-2027@mediothek.example")
    assert course.kind == Offer.Kind.COURSE
    assert course.capacity == 8
    assert Session.objects.filter(offer=course).count() == 9  # COUNT=10 minus one EXDATE
    assert sorted(course.competences.values_list("code", "level")) == [("1.1", 1), ("2.1", 2)]
    single = Offer.objects.get(external_id="mediothek-onleihe-2027-02@mediothek.example")
    assert single.kind == Offer.Kind.EVENT
    assert Session.objects.filter(offer=single).count() == 1


def test_csv_with_bom_reports_rows_and_unknown_columns(provider: Provider) -> None:
    source = _source(provider, "csv")
    run = imports.source_import(source=source, content=(DATA / "csv/angebote.csv").read_bytes())
    errors = _errors(run)
    assert run.read == 5
    assert run.created == 2
    assert errors["Kopfzeile"] == {"raum"}
    assert errors["SEN-03"] == {"first_start"}
    assert errors["SEN-05"] == {"competences"}
    assert "SEN-04" in errors  # FREQ=WEEKLY without an end
    treff = Offer.objects.get(external_id="SEN-01")
    assert Session.objects.filter(offer=treff).count() == 5  # six Mondays minus 15 February
    banking = Offer.objects.get(external_id="SEN-02")
    assert (banking.price, banking.reduced_price) == (12, 6)


def test_csv_without_bom_and_with_semicolons(provider: Provider) -> None:
    source = _source(provider, "csv")
    plain = "id,title,kind,dates\r\nA1,Handy-Café,event,2027-05-05T15:00/2027-05-05T17:00\r\n".encode()
    assert imports.source_import(source=source, content=plain).created == 1
    semicolons = b"id;title;kind\r\nA2;Foto-Kurs;event\r\n"
    run = imports.source_import(source=source, content=semicolons)
    assert run.status == ImportRun.Status.FAILED
    assert "Semikolon" in run.message


@pytest.mark.parametrize(
    ("fmt", "content", "words"),
    [
        ("jsonld", b"{not json", "nicht lesbar"),
        ("jsonld", b"<html><body>Kein JSON-LD</body></html>", "JSON-LD"),
        ("moochub", b"[1, 2]", "data"),
        ("ical", b"BEGIN:VCARD\r\nEND:VCARD\r\n", "VCALENDAR"),
        ("csv", b"\xff\xfe\x00t", "UTF-8"),
        ("csv", b"", "leer"),
        ("jsonld", b"[" * 100 + b"]" * 100, "nicht lesbar"),
    ],
)
def test_unreadable_source_is_a_failed_run(provider: Provider, fmt: str, content: bytes, words: str) -> None:
    run = imports.source_import(source=_source(provider, fmt), content=content)
    assert run.status == ImportRun.Status.FAILED
    assert words in run.message
    assert run.finished_at is not None
    assert not Offer.objects.exists()


def test_unreachable_address_is_a_failed_run(provider: Provider) -> None:
    def down(url: str) -> bytes:
        raise SourceError("Die Adresse konnte nicht abgerufen werden: Connection refused")

    run = imports.source_import(source=_source(provider, "ical"), fetch=down)
    assert run.status == ImportRun.Status.FAILED
    assert "abgerufen" in run.message
    with pytest.raises(SourceError):
        imports.fetch_url("file:///etc/passwd")


def test_command_imports_a_file_and_a_source(provider: Provider) -> None:
    out = io.StringIO()
    call_command(
        "import_education",
        file=DATA / "ical/mediothek.ics",
        provider=provider.slug,
        format="ical",
        stdout=out,
    )
    assert "gelesen 5, neu 2" in out.getvalue()
    upload = ImportSource.objects.get(provider=provider, format="ical")
    assert not upload.active
    assert upload.url.startswith(imports.UPLOAD_PREFIX)
    assert Offer.objects.filter(import_source=upload).count() == 2
    with pytest.raises(CommandError):  # an upload source is not fetched
        call_command("import_education", source=upload.pk, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("import_education", file=DATA / "fehlt.csv", provider=provider.slug, format="csv")


def test_schedule_imports_active_web_sources(provider: Provider, monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["education-import-sources"]["task"] == "education.import_sources"
    active = _source(provider, "jsonld")
    ImportSource.objects.create(
        provider=provider, title="aus", format="jsonld", url="https://x.example", active=False
    )
    imports.upload_source(provider=provider, fmt="csv")
    monkeypatch.setattr(imports, "fetch_url", lambda url: (DATA / "jsonld/graph.json").read_bytes())
    from konzeptk.education.tasks import import_sources

    assert import_sources() == 1
    assert ImportRun.objects.get().source == active
