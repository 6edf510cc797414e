"""``konzeptk import_mastr FILE``: the city's photovoltaic units from the Marktstammdatenregister.

The format is the register's public bulk export ("Gesamtdatenexport", https://www.marktstammdatenregister.de/
MaStR/Datendownload, licence DL-DE-BY-2.0): a ZIP of XML files, the solar units in ``EinheitenSolar_1.xml``,
``EinheitenSolar_2.xml`` …, encoded UTF-16 with byte order mark. Root ``<EinheitenSolar>``, one
``<EinheitSolar>`` per unit with child elements named as in the register's documentation; the ones read here:
``EinheitMastrNummer``, ``Gemeindeschluessel``, ``Gemeinde``, ``Postleitzahl``,
``Ort``, ``Breitengrad``, ``Laengengrad`` (only for larger units), ``Inbetriebnahmedatum``,
``DatumEndgueltigeStilllegung``, ``EinheitBetriebsstatus`` (catalogue value; 35 = in Betrieb, 31 = in Planung,
37 = vorübergehend stillgelegt, 38 = endgültig stillgelegt) and ``Bruttoleistung`` (kW, decimal point).

Give one XML file, or the ZIP (every ``EinheitenSolar*.xml`` in it is read). Units of other
municipalities are counted as skipped; a unit without number or capacity is an error of its row. The
import is idempotent: a unit is found again by its MaStR number (units at the seams of two files appear
twice in real exports; the second copy updates the first). The XML is read as a stream with expat, so
files of several hundred megabytes need little memory; a document type declaration (entities) is
refused. The unit's name (``NameStromerzeugungseinheit``) is not taken over: operators choose it freely and
private ones often put their own name in it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO
from xml.parsers import expat

from django.db import transaction
from django.utils.translation import gettext as _

from konzeptk.climate.importing import (
    DistrictLookup,
    ImportReport,
    RowError,
    city_keys,
    coordinates,
    parse_date,
    plain_float,
)
from konzeptk.climate.models import ImportRun, SolarUnit
from konzeptk.climate.selectors import figures_changed
from konzeptk.core.errors import DomainError

UNIT_ELEMENT = "EinheitSolar"
ROOT_ELEMENT = "EinheitenSolar"
REQUIRED = ("EinheitMastrNummer", "Bruttoleistung")
CHUNK = 1 << 16


class _NotAllowed(Exception):
    pass


class _WrongRoot(Exception):
    pass


def _refuse_doctype(*_args: object) -> None:
    raise _NotAllowed


class _UnitCollector:
    """expat handlers that collect each ``<EinheitSolar>`` as {element: text}."""

    def __init__(self) -> None:
        self.depth = 0
        self.root: str | None = None
        self.unit: dict[str, str] | None = None
        self.field: str | None = None
        self.text: list[str] = []
        self.done: list[dict[str, str]] = []

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            self.root = name
            if name != ROOT_ELEMENT:
                raise _WrongRoot(name)
        elif self.depth == 2 and name == UNIT_ELEMENT:
            self.unit = {}
        elif self.depth == 3 and self.unit is not None:
            self.field = name
            self.text = []

    def end(self, name: str) -> None:
        if self.depth == 3 and self.unit is not None and self.field == name:
            self.unit[name] = "".join(self.text).strip()
            self.field = None
        elif self.depth == 2 and name == UNIT_ELEMENT and self.unit is not None:
            self.done.append(self.unit)
            self.unit = None
        self.depth -= 1

    def chars(self, data: str) -> None:
        if self.field is not None:
            self.text.append(data)


def iter_units(handle: IO[bytes]) -> Iterator[dict[str, str]]:
    """Each ``<EinheitSolar>`` of the stream as {element: text}. Raises DomainError for a file that is not
    well-formed XML, has a document type declaration, or whose root is not ``<EinheitenSolar>``."""
    parser = expat.ParserCreate()
    collector = _UnitCollector()
    parser.StartElementHandler = collector.start
    parser.EndElementHandler = collector.end
    parser.CharacterDataHandler = collector.chars
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        while True:
            chunk = handle.read(CHUNK)
            parser.Parse(chunk, not chunk)
            yield from collector.done
            collector.done.clear()
            if not chunk:
                break
    except _WrongRoot as exc:
        raise DomainError(
            "mastr_wrong_root",
            _(
                "Die Datei ist kein Export „EinheitenSolar“ des Marktstammdatenregisters (Wurzelelement „%(root)s“)."
            )
            % {"root": str(exc)[:60]},
        ) from exc
    except _NotAllowed as exc:
        raise DomainError(
            "mastr_doctype",
            _("Die Datei enthält eine Dokumenttyp-Deklaration; das nimmt der Import nicht an."),
        ) from exc
    except expat.ExpatError as exc:
        raise DomainError(
            "mastr_not_xml",
            _("Die Datei ist kein gültiges XML (Zeile %(line)s: %(reason)s).")
            % {"line": exc.lineno, "reason": expat.ErrorString(exc.code)},
        ) from exc
    if collector.root is None:
        raise DomainError("mastr_empty", _("Die Datei ist leer."))


def _unit_values(raw: dict[str, str], *, find_district: Callable[..., object]) -> dict[str, object]:
    missing = [name for name in REQUIRED if not raw.get(name)]
    if missing:
        raise RowError(_("Es fehlt: %(fields)s.") % {"fields": ", ".join(missing)})
    capacity = plain_float(raw["Bruttoleistung"], what="Bruttoleistung")
    if capacity is None or capacity < 0:
        raise RowError(_("Die Bruttoleistung darf nicht negativ sein."))
    lat, lon = coordinates(
        plain_float(raw.get("Breitengrad", ""), what="Breitengrad"),
        plain_float(raw.get("Laengengrad", ""), what="Laengengrad"),
    )
    return {
        "capacity_kw": capacity,
        "commissioned_on": parse_date(raw.get("Inbetriebnahmedatum", ""), what="Inbetriebnahmedatum"),
        "decommissioned_on": parse_date(
            raw.get("DatumEndgueltigeStilllegung", ""), what="DatumEndgueltigeStilllegung"
        ),
        "status_code": raw.get("EinheitBetriebsstatus", "")[:10],
        "postcode": raw.get("Postleitzahl", "")[:10],
        "place": (raw.get("Ort") or raw.get("Gemeinde", ""))[:120],
        "lat": lat,
        "lon": lon,
        "district": find_district(lat, lon),
    }


def _open_members(path: Path) -> Iterator[tuple[str, IO[bytes]]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if Path(n).name.startswith("EinheitenSolar"))
            if not names:
                raise DomainError(
                    "mastr_no_solar", _("Das ZIP-Archiv enthält keine Datei „EinheitenSolar…xml“.")
                )
            for name in names:
                with archive.open(name) as member:
                    yield name, member
        return
    with path.open("rb") as handle:
        yield path.name, handle


def mastr_import(*, path: Path, simulated: bool = False) -> ImportRun:
    """Import the solar units of the active city from a MaStR export file; returns the stored run with
    its report. A file that cannot be read as the export is refused (DomainError) and nothing is stored
    (the refusal itself is kept as a run)."""
    official_key, city_name = city_keys()
    report = ImportReport(kind=ImportRun.Kind.MASTR, filename=path.name)
    find_district = DistrictLookup()
    try:
        with transaction.atomic():
            row = 0
            for _name, handle in _open_members(path):
                for raw in iter_units(handle):
                    row += 1
                    report.rows_read += 1
                    key = raw.get("Gemeindeschluessel", "")
                    if key != official_key and not (not key and raw.get("Gemeinde") == city_name):
                        report.skipped += 1
                        continue
                    try:
                        values = _unit_values(raw, find_district=find_district)
                    except RowError as exc:
                        report.error(row, str(exc))
                        continue
                    SolarUnit.objects.update_or_create(
                        mastr_number=raw["EinheitMastrNummer"][:20],
                        defaults={**values, "simulated": simulated},
                    )
                    report.stored += 1
            if report.rows_read == 0:
                raise DomainError("mastr_no_units", _("Die Datei enthält keine Einheit „EinheitSolar“."))
    except DomainError as exc:
        report.save(refused=exc.message)
        raise
    except (OSError, zipfile.BadZipFile) as exc:
        report.save(refused=str(exc))
        raise DomainError("mastr_unreadable", _("Die Datei lässt sich nicht lesen.")) from exc
    figures_changed()
    return report.save()
