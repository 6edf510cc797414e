"""The register importers with the real-format files and with hostile ones."""

from __future__ import annotations

import datetime as dt
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from konzeptk.city.models import CityProfile
from konzeptk.climate import selectors
from konzeptk.climate.charging_import import charging_import
from konzeptk.climate.models import ChargingStation, ImportRun, SolarUnit
from konzeptk.climate.solar_import import mastr_import
from konzeptk.climate.tests.conftest import DATA
from konzeptk.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_mastr_import_reports_and_filters(city: CityProfile) -> None:
    run = mastr_import(path=DATA / "EinheitenSolar_1.xml")
    assert (run.rows_read, run.stored, run.skipped, run.error_count) == (6, 3, 1, 2)
    messages = {e["row"]: e["message"] for e in run.errors}
    assert "Bruttoleistung" in messages[5]
    assert "EinheitMastrNummer" in messages[6]
    hall = SolarUnit.objects.get(mastr_number="SEE900000000102")
    assert hall.capacity_kw == pytest.approx(249.6)
    assert hall.commissioned_on == dt.date(2021, 9, 30)
    assert hall.district is not None
    assert hall.district.name == "Ost"
    roof = SolarUnit.objects.get(mastr_number="SEE900000000101")
    assert roof.lat is None
    assert roof.district is None
    assert roof.postcode == "47799"
    assert not SolarUnit.objects.filter(mastr_number="SEE900000000104").exists()
    # the decommissioned unit counts in the history, not in today's total
    totals = selectors.solar_totals()
    assert totals.units == 2
    assert totals.capacity_kw == pytest.approx(259.44)
    history = {p.year: p for p in selectors.solar_over_time()}
    assert history[2008].total == pytest.approx(4.2)
    assert history[2021].total == pytest.approx(4.2 + 9.84 + 249.6)
    assert history[2022].removed == pytest.approx(4.2)
    assert history[2022].total == pytest.approx(259.44)


def test_mastr_reimport_is_idempotent(city: CityProfile) -> None:
    mastr_import(path=DATA / "EinheitenSolar_1.xml")
    SolarUnit.objects.filter(mastr_number="SEE900000000101").update(capacity_kw=1)
    mastr_import(path=DATA / "EinheitenSolar_1.xml")
    assert SolarUnit.objects.count() == 3
    assert SolarUnit.objects.get(mastr_number="SEE900000000101").capacity_kw == pytest.approx(9.84)
    assert ImportRun.objects.filter(kind="mastr").count() == 2


def test_mastr_zip_of_the_bulk_export(city: CityProfile, tmp_path: Path) -> None:
    archive = tmp_path / "Gesamtdatenexport_20251103.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(DATA / "EinheitenSolar_1.xml", "EinheitenSolar_1.xml")
        zf.writestr("EinheitenWind.xml", "<EinheitenWind/>")
    run = mastr_import(path=archive)
    assert run.stored == 3


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "mastr_not_xml"),
        (b"<EinheitenSolar><EinheitSolar><Bruttoleistung>1", "mastr_not_xml"),
        (b'<?xml version="1.0"?><EinheitenWind><EinheitWind/></EinheitenWind>', "mastr_wrong_root"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b"<EinheitenSolar><EinheitSolar><Gemeinde>&lol2;</Gemeinde></EinheitSolar></EinheitenSolar>",
            "mastr_doctype",
        ),
        (b"EinheitMastrNummer;Bruttoleistung\nSEE1;9,8\n", "mastr_not_xml"),
        (b"<EinheitenSolar></EinheitenSolar>", "mastr_no_units"),
    ],
)
def test_mastr_hostile_files_are_refused(
    city: CityProfile, tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "EinheitenSolar_1.xml"
    path.write_bytes(content)
    with pytest.raises(DomainError) as info:
        mastr_import(path=path)
    assert info.value.code == code
    assert SolarUnit.objects.count() == 0
    assert ImportRun.objects.get().refused


def test_mastr_without_city_profile_is_refused(db: None) -> None:
    with pytest.raises(DomainError, match="Stadtprofil"):
        mastr_import(path=DATA / "EinheitenSolar_1.xml")


def test_charging_import_reports_and_filters(city: CityProfile) -> None:
    run = charging_import(path=DATA / "Ladesaeulenregister.csv")
    assert (run.rows_read, run.stored, run.skipped, run.error_count) == (5, 2, 1, 2)
    errors = [e["message"] for e in run.errors]
    assert any("Breitengrad" in m for m in errors)
    assert any("Ladepunkte" in m for m in errors)
    fast = ChargingStation.objects.get(street="Rheinstraße")
    assert fast.fast
    assert fast.power_kw == 150.0
    assert fast.points == 2
    assert fast.lat == pytest.approx(51.3301)
    assert fast.district is not None
    assert fast.commissioned_on == dt.date(2022, 7, 1)
    totals = selectors.charging_totals()
    assert (totals.stations, totals.points, totals.fast_points) == (2, 4, 2)
    again = charging_import(path=DATA / "Ladesaeulenregister.csv")
    assert again.stored == 2
    assert ChargingStation.objects.count() == 2


def _register_csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "Ladesaeulenregister.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_charging_wrong_delimiter(city: CityProfile, tmp_path: Path) -> None:
    original = (DATA / "Ladesaeulenregister.csv").read_bytes().decode("cp1252")
    path = _register_csv(tmp_path, original.replace(";", ","))
    with pytest.raises(DomainError) as info:
        charging_import(path=path)
    assert info.value.code == "charging_delimiter"
    assert ChargingStation.objects.count() == 0


def test_charging_missing_columns(city: CityProfile, tmp_path: Path) -> None:
    path = _register_csv(tmp_path, "Betreiber;Straße;Postleitzahl;Ort\nX;Y;47798;Krefeld\n")
    with pytest.raises(DomainError) as info:
        charging_import(path=path)
    assert info.value.code == "charging_missing_columns"
    assert "Breitengrad" in info.value.message


def test_charging_not_the_register(city: CityProfile, tmp_path: Path) -> None:
    path = _register_csv(tmp_path, "\x00\x01binary\xff" * 20, encoding="latin-1")
    with pytest.raises(DomainError) as info:
        charging_import(path=path)
    assert info.value.code == "charging_no_header"


def test_charging_utf8_file_and_short_rows(city: CityProfile, tmp_path: Path) -> None:
    original = (DATA / "Ladesaeulenregister.csv").read_bytes().decode("cp1252")
    path = _register_csv(tmp_path, "\ufeff" + original + "Kaputt;Zeile\r\n")
    run = charging_import(path=path)
    assert run.stored == 2
    assert run.error_count == 3
    assert "zu wenige Spalten" in run.errors[-1]["message"]


def test_commands(city: CityProfile) -> None:
    out = StringIO()
    call_command("import_mastr", str(DATA / "EinheitenSolar_1.xml"), stdout=out)
    assert "6 gelesen, 3 gespeichert, 1 übersprungen (andere Gemeinde), 2 Fehler." in out.getvalue()
    assert "Zeile 5:" in out.getvalue()
    out = StringIO()
    call_command("import_ladesaeulen", str(DATA / "Ladesaeulenregister.csv"), stdout=out)
    assert "5 gelesen, 2 gespeichert, 1 übersprungen" in out.getvalue()
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command("import_mastr", "/nicht/da.xml")
    with pytest.raises(CommandError, match="Kopfzeile"):
        call_command("import_ladesaeulen", str(DATA / "EinheitenSolar_1.xml"))
