"""Demo of climate: the KrKN35 path, the budget basis (SRU 2022), simulated yearly balances, the modal split
2017, and simulated photovoltaic units and charging stations in the registers' real formats, imported
through the same importers as real files. Everything simulated is marked. Idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings

from konzeptk.city.demo_data import demo_data
from konzeptk.city.selectors import active_profile
from konzeptk.city.services import ProfileError, resolve_profile_dir
from konzeptk.climate import services
from konzeptk.climate.charging_import import charging_import
from konzeptk.climate.models import ChargingStation, SolarUnit
from konzeptk.climate.solar_import import mastr_import

MASTR_FILE = "climate-mastr-einheitensolar.xml"
CHARGING_FILE = "climate-ladesaeulenregister.csv"


def _demo_file(name: str) -> Path | None:
    try:
        path = resolve_profile_dir(settings.CITY_PROFILE) / "demo" / name
    except ProfileError:
        return None
    return path if path.is_file() else None


def load_demo(*, out: Any) -> None:
    data = demo_data("climate")
    if data is None:
        return
    for point in data["path"]:
        services.path_point_save(
            year=point["year"],
            per_capita=point["per_capita"],
            source=point["source"],
            note=point.get("note", ""),
        )
    budget = data["budget"]
    services.budget_basis_save(
        label=budget["label"],
        start_year=budget["start_year"],
        national_budget_t=float(budget["national_budget_t"]),
        national_population=budget["national_population"],
        city_population=budget["city_population"],
        population_date=dt.date.fromisoformat(budget["population_date"]),
        source=budget["source"],
    )
    for balance in data["balances"]:
        total = balance["per_capita"] * balance["population"]
        services.emission_year_save(
            data=services.BalanceData(
                year=balance["year"],
                population=balance["population"],
                figures={sector: round(total * share) for sector, share in balance["shares"].items()},
                source=data["balance_source"],
                simulated=True,
            )
        )
    for year in data["modal_split"]:
        services.modal_split_save(
            year=year["year"],
            shares=year["shares"],
            source=year["source"],
            licence=year["licence"],
            simulated=year["simulated"],
        )
    if active_profile() is None:
        out.write("  Klimaschutz: kein Stadtprofil, Photovoltaik und Ladepunkte übersprungen\n")
        return
    mastr_file, charging_file = _demo_file(MASTR_FILE), _demo_file(CHARGING_FILE)
    if mastr_file is not None and not SolarUnit.objects.exists():
        run = mastr_import(path=mastr_file, simulated=True)
        out.write(f"  Klimaschutz: {run.stored} Photovoltaik-Einheiten (simuliert)\n")
    if charging_file is not None and not ChargingStation.objects.exists():
        run = charging_import(path=charging_file, simulated=True)
        out.write(f"  Klimaschutz: {run.stored} Ladeeinrichtungen (simuliert)\n")
