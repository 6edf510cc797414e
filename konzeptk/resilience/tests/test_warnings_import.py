"""Importing DWD CAP and NINA JSON: the life cycle through references, other regions, duplicates
across the two sources, refused documents, the command and the schedule."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from konzeptk.city.models import CityProfile, District
from konzeptk.city.selectors import forget_active_profile, warn_cells
from konzeptk.resilience import selectors, tasks
from konzeptk.resilience.imports import dedupe_key, in_region, warnings_import
from konzeptk.resilience.models import ImportRun, Source, Warning
from konzeptk.resilience.tests.warnings_support import (
    ALERT_ID,
    DASHBOARD,
    DATA,
    HEAT_DAY_NOON,
    UPDATE_ID,
    data,
    dwd,
    make_city,
    nina,
)

LATE_AFTERNOON = HEAT_DAY_NOON.replace(hour=17)


@pytest.fixture
def city(db: Any) -> Iterator[tuple[CityProfile, District, District]]:
    yield make_city()
    forget_active_profile()


def current() -> list[str]:
    return [w.identifier for w in selectors.current_warnings(at=LATE_AFTERNOON.replace(hour=12))]


def test_the_city_profile_names_krefelds_warn_cells(city: Any) -> None:
    profile, _west, _east = city
    assert warn_cells(profile) == ["805114000", "105114000"]  # derived from the municipality key
    profile.warn_cells = ["805114000"]
    assert warn_cells(profile) == ["805114000"]


def test_the_shipped_krefeld_profile_carries_the_warn_cells(db: Any) -> None:
    from konzeptk.city.services import city_profile_load

    report = city_profile_load(source="krefeld")
    assert report.profile.warn_cells == ["805114000", "105114000"]
    forget_active_profile()


def test_a_heat_warning_is_stored_then_replaced_by_its_update_then_ended_by_its_cancellation(
    city: Any,
) -> None:
    run = dwd("heat_alert.xml")
    assert (run.status, run.read, run.created) == (ImportRun.Status.OK, 1, 1)
    warning = Warning.objects.get(identifier=ALERT_ID)
    assert (warning.event, warning.event_code, warning.severity) == ("STARKE HITZE", "247", "Moderate")
    assert warning.headline_de == "Amtliche WARNUNG vor HITZE"
    assert warning.instruction.startswith("Vermeiden Sie")
    assert warning.area_codes == "|105114000|"
    assert warning.geometry is not None
    assert warning.geometry["type"] == "Polygon"
    assert [w.identifier for w in selectors.current_warnings(at=HEAT_DAY_NOON)] == [ALERT_ID]

    run = dwd("heat_update.xml")
    assert (run.updated, run.created) == (1, 0)
    warning.refresh_from_db()
    update = Warning.objects.get(identifier=UPDATE_ID)
    assert warning.replaced_by == update
    assert [w.identifier for w in selectors.current_warnings(at=LATE_AFTERNOON)] == [UPDATE_ID]
    assert update.severity == "Severe"

    run = dwd("heat_cancel.xml")
    assert run.cancelled == 1
    update.refresh_from_db()
    assert update.ended_at is not None
    assert list(selectors.current_warnings(at=LATE_AFTERNOON)) == []
    past = [w.identifier for w in selectors.past_warnings(at=LATE_AFTERNOON)]
    assert past == [UPDATE_ID]  # the cancellation and the replaced original are not listed again


def test_importing_the_same_file_again_changes_nothing(city: Any) -> None:
    dwd("heat_alert.xml")
    again = dwd("heat_alert.xml")
    assert (again.created, again.unchanged) == (0, 1)
    assert Warning.objects.count() == 1


def test_a_warning_for_another_region_is_ignored_and_counted(city: Any) -> None:
    run = dwd("other_region.xml")
    assert (run.status, run.read, run.other_region, run.created) == (ImportRun.Status.OK, 1, 1, 0)
    assert not Warning.objects.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<rss><channel/></rss>", "keine CAP-Meldung"),
        (b"not xml at all", "wohlgeformt"),
        (data("dwd/heat_alert.xml").replace(b"cap:1.2", b"cap:1.1"), "Version 1.2"),
        (data("dwd/heat_alert.xml").replace(b"<status>Actual", b"<status>Maybe"), "status"),
        (b'<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', "Entitäten"),
        (b"PK\x03\x04broken zip", "ZIP"),
    ],
)
def test_a_document_that_is_not_cap_1_2_is_refused_with_the_reason_and_nothing_is_stored(
    city: Any, content: bytes, reason: str
) -> None:
    run = warnings_import(source=Source.DWD, location="upload.xml", content=content)
    assert run.status == ImportRun.Status.FAILED
    assert reason in run.message
    assert not Warning.objects.exists()


def test_a_missing_file_fails_the_run_with_the_reason(city: Any, tmp_path: Path) -> None:
    run = warnings_import(source=Source.DWD, location=str(tmp_path / "fehlt.xml"))
    assert run.status == ImportRun.Status.FAILED
    assert "fehlt.xml" in run.message
    run = warnings_import(source=Source.DWD, location="ftp://example.org/a.xml")
    assert run.status == ImportRun.Status.FAILED
    assert "http" in run.message


def test_the_dwd_zip_bundle_imports_every_member_and_reports_a_bad_one(city: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in ("heat_alert.xml", "heat_update.xml", "other_region.xml"):
            bundle.writestr(f"Z_CAP_C_EDZW_20260716_{name}", data(f"dwd/{name}"))
        bundle.writestr("Z_CAP_C_EDZW_broken.xml", b"<alert>")
    run = warnings_import(source=Source.DWD, location="bundle.zip", content=buffer.getvalue())
    assert run.status == ImportRun.Status.PARTIAL
    assert (run.read, run.created, run.updated, run.other_region, run.error_count) == (4, 1, 1, 1, 1)
    assert run.errors[0]["identifier"] == "Z_CAP_C_EDZW_broken.xml"
    assert current() == [UPDATE_ID]


def test_the_nina_dashboard_imports_the_messages_and_keeps_the_summary_when_one_is_missing(city: Any) -> None:
    run = nina(DASHBOARD)
    assert (run.status, run.read, run.created, run.error_count) == (ImportRun.Status.OK, 3, 3, 0)
    fire = Warning.objects.get(identifier="mow.DE-NW-KR-SE001-20260716-001-000")
    assert fire.severity == "Severe"
    assert fire.instruction.startswith("Halten Sie Fenster")
    assert fire.event_code == "BBK-EVC-001"
    heat = Warning.objects.get(identifier__startswith="dwdmap.")
    assert heat.headline_en == "Official WARNING of HEAT"  # the English info block
    flood = Warning.objects.get(identifier__startswith="lhp.")  # no message file: the dashboard's entry
    assert flood.headline == "Hochwasserinformation Rhein: Pegel Krefeld steigend"
    assert flood.expires is not None
    assert flood.severity == "Minor"


def test_a_nina_message_for_another_region_is_ignored_and_counted(city: Any) -> None:
    run = nina(DATA / "nina" / "warnings" / "mow.DE-NW-D-SE001-20260716-002-000.json")
    assert (run.read, run.other_region, run.created) == (1, 1, 0)


@pytest.mark.parametrize("first", ["dwd", "nina"])
def test_the_same_event_from_dwd_and_nina_is_shown_once(city: Any, first: str) -> None:
    steps = [lambda: dwd("heat_alert.xml"), lambda: nina(DASHBOARD)]
    runs = [step() for step in (steps if first == "dwd" else steps[::-1])]
    assert runs[1].duplicates == 1
    shown = [w for w in selectors.current_warnings(at=HEAT_DAY_NOON) if "HITZE" in w.headline]
    assert len(shown) == 1
    assert dedupe_key(ALERT_ID) == dedupe_key(f"dwdmap.{ALERT_ID[:-4]}.MUL")
    # DWD's update replaces the event whichever source brought the original
    dwd("heat_update.xml")
    shown = [w.identifier for w in selectors.current_warnings(at=LATE_AFTERNOON) if "HITZE" in w.headline]
    assert shown == [UPDATE_ID]


@pytest.mark.parametrize(
    "content",
    [b"[" * 5000, b"{not json", json.dumps({"identifier": "x"}).encode(), json.dumps(42).encode()],
)
def test_hostile_nina_json_is_refused(city: Any, content: bytes) -> None:
    run = warnings_import(source=Source.NINA, location="dashboard.json", content=content)
    assert run.status == ImportRun.Status.FAILED
    assert run.message
    assert not Warning.objects.exists()


def test_bad_entries_of_a_dashboard_are_errors_of_their_own(city: Any) -> None:
    entries = [
        {"id": "bad id with spaces"},
        {"id": "mow.ok-1", "sent": "yesterday", "payload": {"data": {"headline": "x"}}},
    ]
    run = warnings_import(source=Source.NINA, location="d.json", content=json.dumps(entries).encode())
    assert (run.status, run.error_count, run.created) == (ImportRun.Status.PARTIAL, 2, 0)


def test_regional_keys_of_the_city_of_its_land_and_of_germany_count_as_the_city() -> None:
    cells = ["805114000", "105114000"]
    ars = "051140000000"
    assert in_region(["105114000"], cells=cells, ars=ars)
    assert in_region(["051140000000"], cells=cells, ars=ars)
    assert in_region(["050000000000"], cells=cells, ars=ars)  # all of NRW
    assert in_region(["000000000000"], cells=cells, ars=ars)  # all of Germany
    assert not in_region(["051110000000", "105111000"], cells=cells, ars=ars)


def test_the_command_imports_and_reports(city: Any, capsys: Any) -> None:
    call_command("import_warnings", "--source", "dwd", str(DATA / "dwd" / "heat_alert.xml"))
    assert "neu 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="abgelehnt"):
        call_command(
            "import_warnings", "--source", "dwd", str(DATA / "nina" / "dashboard" / "051140000000.json")
        )
    with pytest.raises(CommandError, match="--source"):
        call_command("import_warnings", "datei.xml")


def test_the_scheduled_task_imports_every_configured_address(city: Any, settings: Any) -> None:
    settings.RESILIENCE_WARNING_FEEDS = {
        "dwd": [str(DATA / "dwd" / "heat_alert.xml")],
        "nina": [str(DATA / "nina" / "dashboard" / "{ars}.json")],
    }
    assert tasks.import_warnings() == 2
    assert ImportRun.objects.filter(status=ImportRun.Status.OK).count() == 2
    assert Warning.objects.filter(source=Source.NINA).count() == 3
    assert "resilience-import-warnings" in settings.CELERY_BEAT_SCHEDULE
