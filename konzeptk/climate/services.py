"""Writes of climate: the yearly greenhouse-gas balance (form or CSV), the modal split, the reduction path
and the budget basis. The register imports live in ``solar_import`` and ``charging_import``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from konzeptk.climate.importing import ImportReport, RowError, german_float
from konzeptk.climate.models import (
    BudgetBasis,
    EmissionFigure,
    EmissionYear,
    ImportRun,
    ModalShare,
    Mode,
    PathPoint,
    Sector,
)
from konzeptk.climate.selectors import figures_changed
from konzeptk.core import numbers
from konzeptk.core.errors import DomainError

#: columns of the emissions CSV: one row per year, one column per sector (t CO₂-equivalent)
CSV_COLUMNS = ("jahr", "einwohner", *Sector.values, "quelle", "lizenz", "simuliert")
MAX_CSV_BYTES = 1024 * 1024
#: shares of a modal split may differ from 100 % by rounding
MODAL_TOLERANCE = 1.5


@dataclass(frozen=True)
class BalanceData:
    year: int
    population: int
    figures: Mapping[str, float]
    source: str
    licence: str = ""
    simulated: bool = False
    note: str = ""


def emission_year_save(*, data: BalanceData) -> EmissionYear:
    """Create or replace the balance of ``data.year`` with its sector figures (sectors left out are
    removed). Refused: a year outside 1990–2100, no residents, a negative or unknown sector, no figure."""
    problems: list[tuple[str, str]] = []
    if not 1990 <= data.year <= 2100:
        problems.append(("year", _("Das Jahr muss zwischen 1990 und 2100 liegen.")))
    if data.population < 1:
        problems.append(("population", _("Die Einwohnerzahl muss größer als 0 sein.")))
    for sector, tonnes in data.figures.items():
        if sector not in Sector.values:
            problems.append(("", _("Den Sektor „%(sector)s“ gibt es nicht.") % {"sector": sector[:40]}))
        elif tonnes < 0:
            problems.append((sector, _("Emissionen können nicht negativ sein.")))
    if not data.figures:
        problems.append(("", _("Bitte geben Sie die Emissionen mindestens eines Sektors an.")))
    if not data.source.strip():
        problems.append(("source", _("Bitte nennen Sie die Quelle der Zahlen.")))
    if problems:
        raise DomainError("balance_invalid", fields=problems)
    with transaction.atomic():
        balance, _created = EmissionYear.objects.update_or_create(
            year=data.year,
            defaults={
                "population": data.population,
                "source": data.source.strip()[:300],
                "licence": data.licence.strip()[:100],
                "simulated": data.simulated,
                "note": data.note.strip()[:300],
            },
        )
        balance.figures.exclude(sector__in=list(data.figures)).delete()
        for sector, tonnes in data.figures.items():
            EmissionFigure.objects.update_or_create(
                balance=balance, sector=sector, defaults={"tonnes": tonnes}
            )
    figures_changed()
    return balance


def _csv_row(row: dict[str, str]) -> BalanceData:
    year_value = german_float(row.get("jahr", ""), what="jahr")
    population_value = german_float(row.get("einwohner", ""), what="einwohner")
    if year_value is None or year_value != int(year_value):
        raise RowError(_("Das Jahr fehlt oder ist keine ganze Zahl."))
    if population_value is None or population_value != int(population_value):
        raise RowError(_("Die Einwohnerzahl fehlt oder ist keine ganze Zahl."))
    figures = {}
    for sector in Sector.values:
        value = german_float(row.get(sector, ""), what=sector)
        if value is not None:
            figures[sector] = value
    flag = row.get("simuliert", "").strip().casefold()
    if flag not in {"", "ja", "nein", "true", "false", "1", "0"}:
        raise RowError(_("In der Spalte „simuliert“ steht „ja“ oder „nein“."))
    return BalanceData(
        year=int(year_value),
        population=int(population_value),
        figures=figures,
        source=row.get("quelle", ""),
        licence=row.get("lizenz", ""),
        simulated=flag in {"ja", "true", "1"},
    )


def emissions_csv_import(*, content: bytes, filename: str) -> ImportRun:
    """Balances from a CSV (comma or semicolon, UTF-8; with a semicolon decimals may have a comma), one
    row per year with the columns of :data:`CSV_COLUMNS`. Rows with errors are reported and skipped; the
    others are stored. A file without the columns is refused (nothing stored)."""
    report = ImportReport(kind=ImportRun.Kind.EMISSIONS, filename=filename)
    try:
        if len(content) > MAX_CSV_BYTES:
            raise DomainError("csv_too_large", _("Die Datei ist größer als 1 MB."))
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DomainError("csv_encoding", _("Die Datei ist nicht in UTF-8 gespeichert.")) from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        columns = [c.strip().casefold() for c in reader.fieldnames or []]
        missing = [c for c in ("jahr", "einwohner", "quelle") if c not in columns]
        if missing or not any(s in columns for s in Sector.values):
            raise DomainError(
                "csv_columns",
                _("Der Datei fehlen Spalten. Erwartet werden: %(columns)s.")
                % {"columns": ", ".join(CSV_COLUMNS)},
            )
        reader.fieldnames = columns
        for number, raw in enumerate(reader, start=2):
            report.rows_read += 1
            row = {k: (v or "") for k, v in raw.items() if isinstance(k, str)}
            try:
                data = _csv_row(row)
                emission_year_save(data=data)
            except RowError as exc:
                report.error(number, str(exc))
                continue
            except DomainError as exc:
                report.error(number, exc.message)
                continue
            report.stored += 1
    except DomainError as exc:
        report.save(refused=exc.message)
        raise
    return report.save()


def modal_split_save(
    *, year: int, shares: Mapping[str, float], source: str, licence: str = "", simulated: bool = False
) -> list[ModalShare]:
    """The modal split of a year (every mode, per cent of all trips); the shares must add up to 100 %
    (± rounding). Replaces the year's earlier figures."""
    problems: list[tuple[str, str]] = []
    if set(shares) != set(Mode.values):
        problems.append(("", _("Bitte geben Sie den Anteil jedes Verkehrsmittels an.")))
    elif any(not 0 <= v <= 100 for v in shares.values()):
        problems.append(("", _("Ein Anteil liegt zwischen 0 und 100 %.")))
    elif abs(sum(shares.values()) - 100) > MODAL_TOLERANCE:
        problems.append(
            (
                "",
                _("Die Anteile ergeben zusammen %(sum)s %% statt 100 %%.")
                % {"sum": numbers.number(sum(shares.values()), 1)},
            )
        )
    if not source.strip():
        problems.append(("source", _("Bitte nennen Sie die Quelle der Zahlen.")))
    if not 1990 <= year <= 2100:
        problems.append(("year", _("Das Jahr muss zwischen 1990 und 2100 liegen.")))
    if problems:
        raise DomainError("modal_split_invalid", fields=problems)
    with transaction.atomic():
        saved = [
            ModalShare.objects.update_or_create(
                year=year,
                mode=mode,
                defaults={
                    "share": shares[mode],
                    "source": source.strip()[:300],
                    "licence": licence.strip()[:100],
                    "simulated": simulated,
                },
            )[0]
            for mode in Mode.values
        ]
    figures_changed()
    return saved


def path_point_save(*, year: int, per_capita: float, source: str, note: str = "") -> PathPoint:
    if per_capita < 0:
        raise DomainError("path_invalid", _("Ein Zielwert kann nicht negativ sein."))
    point, _created = PathPoint.objects.update_or_create(
        year=year, defaults={"per_capita": per_capita, "source": source[:300], "note": note[:300]}
    )
    figures_changed()
    return point


def budget_basis_save(
    *,
    label: str,
    start_year: int,
    national_budget_t: float,
    national_population: int,
    city_population: int,
    population_date: dt.date,
    source: str,
) -> BudgetBasis:
    """The basis the budget uses from now on (earlier ones are kept, not used)."""
    if national_budget_t < 0 or national_population < 1 or not 0 < city_population <= national_population:
        raise DomainError("budget_invalid", _("Budget und Einwohnerzahlen passen nicht zusammen."))
    with transaction.atomic():
        BudgetBasis.objects.filter(is_active=True).exclude(label=label).update(is_active=False)
        basis, _created = BudgetBasis.objects.update_or_create(
            label=label,
            defaults={
                "start_year": start_year,
                "national_budget_t": national_budget_t,
                "national_population": national_population,
                "city_population": city_population,
                "population_date": population_date,
                "source": source[:400],
                "is_active": True,
            },
        )
    figures_changed()
    return basis
