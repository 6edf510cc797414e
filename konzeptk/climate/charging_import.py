"""``konzeptk import_ladesaeulen FILE``: the city's public charging stations from the Ladesäulenregister.

The Bundesnetzagentur publishes the register monthly as CSV (https://www.bundesnetzagentur.de/DE/Fachthemen/
ElektrizitaetundGas/E-Mobilitaet/start.html, licence CC BY 4.0): semicolon as delimiter, a few lines about
the file (title, "Stand: …", group headings such as "1. Ladepunkt") before the row that names the columns,
German decimal commas (``51,33``; ``22,0``), dates as ``TT.MM.JJJJ``, Windows-1252 or UTF-8. The importer
finds the column row by its names (``Betreiber``, ``Postleitzahl`` …), so the number of lines before it
and the order of the columns may change between releases. Read: ``Betreiber``, ``Straße``, ``Hausnummer``,
``Postleitzahl``, ``Ort``, ``Kreis/kreisfreie Stadt``, ``Breitengrad``, ``Längengrad``,
``Inbetriebnahmedatum``, ``Nennleistung Ladeeinrichtung [kW]``, ``Art der Ladeeinrichung`` (sic; newer
releases spell it "Ladeeinrichtung"), ``Anzahl Ladepunkte`` and, where present, ``Ladeeinrichtungs-ID``.

A station belongs to the city when its ``Kreis/kreisfreie Stadt`` names it ("Kreisfreie Stadt Krefeld");
others are counted as skipped. Idempotent: a station is found again by its ``Ladeeinrichtungs-ID``, or,
in releases without one, by a hash of operator, address, position and commissioning date.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from konzeptk.climate.importing import (
    DistrictLookup,
    ImportReport,
    RowError,
    city_keys,
    coordinates,
    german_float,
    parse_date,
)
from konzeptk.climate.models import ChargingStation, ImportRun
from konzeptk.climate.selectors import figures_changed
from konzeptk.core.errors import DomainError

COL_OPERATOR = "Betreiber"
COL_STREET = "Straße"
COL_NUMBER = "Hausnummer"
COL_POSTCODE = "Postleitzahl"
COL_PLACE = "Ort"
COL_DISTRICT = "Kreis/kreisfreie Stadt"
COL_LAT = "Breitengrad"
COL_LON = "Längengrad"
COL_COMMISSIONED = "Inbetriebnahmedatum"
COL_POWER = "Nennleistung Ladeeinrichtung [kW]"
COL_POINTS = "Anzahl Ladepunkte"
COL_KINDS = ("Art der Ladeeinrichung", "Art der Ladeeinrichtung")
COL_ID = "Ladeeinrichtungs-ID"
REQUIRED = (
    COL_OPERATOR,
    COL_POSTCODE,
    COL_PLACE,
    COL_DISTRICT,
    COL_LAT,
    COL_LON,
    COL_COMMISSIONED,
    COL_POWER,
    COL_POINTS,
)
#: lines searched for the column row
HEADER_SEARCH = 40
MAX_BYTES = 200 * 1024 * 1024
_PREFIXES = ("kreisfreie stadt ", "landkreis ", "stadtkreis ", "kreis ", "stadt ")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _norm(value: str) -> str:
    value = " ".join(value.split()).casefold()
    for prefix in _PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def _find_header(lines: list[str]) -> tuple[int, list[str]]:
    """(index, columns) of the column row. Refuses a file with another delimiter or missing columns."""
    for index, line in enumerate(lines[:HEADER_SEARCH]):
        cells = [c.strip() for c in next(csv.reader([line], delimiter=";"))]
        if COL_OPERATOR in cells and COL_POSTCODE in cells:
            missing = [name for name in REQUIRED if name not in cells]
            if missing:
                raise DomainError(
                    "charging_missing_columns",
                    _("Es fehlen Spalten des Ladesäulenregisters: %(columns)s.")
                    % {"columns": ", ".join(missing)},
                )
            return index, cells
        if COL_OPERATOR in line and COL_POSTCODE in line:
            raise DomainError(
                "charging_delimiter",
                _("Die Spalten sind nicht durch Semikolons getrennt, wie es das Ladesäulenregister tut."),
            )
    raise DomainError(
        "charging_no_header",
        _(
            "Die Datei enthält keine Kopfzeile des Ladesäulenregisters (Spalten „Betreiber“, „Postleitzahl“ …)."
        ),
    )


def _key(row: dict[str, str]) -> str:
    if row.get(COL_ID, "").strip():
        return "id:" + row[COL_ID].strip()[:60]
    parts = [row.get(c, "").strip().casefold() for c in (COL_OPERATOR, COL_STREET, COL_NUMBER, COL_POSTCODE)]
    parts += [row.get(c, "").strip() for c in (COL_LAT, COL_LON, COL_COMMISSIONED)]
    return "h:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:60]


def _station_values(row: dict[str, str], *, find_district: DistrictLookup) -> dict[str, object]:
    operator = row.get(COL_OPERATOR, "").strip()
    if not operator:
        raise RowError(_("Es fehlt der Betreiber."))
    lat, lon = coordinates(
        german_float(row.get(COL_LAT, ""), what=COL_LAT), german_float(row.get(COL_LON, ""), what=COL_LON)
    )
    power = german_float(row.get(COL_POWER, ""), what=COL_POWER)
    if power is not None and power < 0:
        raise RowError(_("Die Nennleistung darf nicht negativ sein."))
    points_value = german_float(row.get(COL_POINTS, ""), what=COL_POINTS)
    if points_value is None or points_value != int(points_value) or not 1 <= points_value <= 100:
        raise RowError(_("Die Anzahl der Ladepunkte muss eine ganze Zahl von 1 bis 100 sein."))
    kind = next((row[c] for c in COL_KINDS if row.get(c)), "")
    return {
        "operator": operator[:300],
        "street": row.get(COL_STREET, "").strip()[:200],
        "house_number": row.get(COL_NUMBER, "").strip()[:40],
        "postcode": row.get(COL_POSTCODE, "").strip()[:10],
        "place": row.get(COL_PLACE, "").strip()[:120],
        "lat": lat,
        "lon": lon,
        "commissioned_on": parse_date(row.get(COL_COMMISSIONED, ""), what=COL_COMMISSIONED),
        "power_kw": power,
        "points": int(points_value),
        "fast": "schnell" in kind.casefold(),
        "district": find_district(lat, lon),
    }


def charging_import(*, path: Path, simulated: bool = False) -> ImportRun:
    """Import the public charging stations of the active city from a Ladesäulenregister CSV; returns the
    run with its report. A file that is not the register's CSV is refused (DomainError), nothing stored."""
    _official_key, city_name = city_keys()
    report = ImportReport(kind=ImportRun.Kind.CHARGING, filename=path.name)
    find_district = DistrictLookup()
    city = _norm(city_name)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DomainError("charging_too_large", _("Die Datei ist zu groß."))
        lines = _decode(path.read_bytes()).splitlines()
        header_at, columns = _find_header(lines)
        with transaction.atomic():
            reader = csv.reader(io.StringIO("\n".join(lines[header_at + 1 :])), delimiter=";")
            for number, cells in enumerate(reader, start=header_at + 2):
                if not any(c.strip() for c in cells):
                    continue
                report.rows_read += 1
                if len(cells) < len(REQUIRED):
                    report.error(number, _("Die Zeile hat zu wenige Spalten."))
                    continue
                row = dict(zip(columns, cells, strict=False))
                if _norm(row.get(COL_DISTRICT, "")) != city:
                    report.skipped += 1
                    continue
                try:
                    values = _station_values(row, find_district=find_district)
                except RowError as exc:
                    report.error(number, str(exc))
                    continue
                ChargingStation.objects.update_or_create(
                    key=_key(row), defaults={**values, "simulated": simulated}
                )
                report.stored += 1
    except DomainError as exc:
        report.save(refused=exc.message)
        raise
    except OSError as exc:
        report.save(refused=str(exc))
        raise DomainError("charging_unreadable", _("Die Datei lässt sich nicht lesen.")) from exc
    figures_changed()
    return report.save()
