"""Demo content of the Mängelmelder: categories like Krefeld's "Maak et!" and simulated reports.

The categories follow the real reporter of the Kommunalbetrieb Krefeld ("Maak et!": Abfall, Sport,
Kanal, Grün, Straße with sub-categories; see SOURCES.md). They are data of the city profile pack
(``city/profiles/krefeld/demo/servicedesk-categories.json``, with sources) and are created through
:mod:`konzeptk.servicedesk.categories`. The reports are SIMULATED: random points
inside the districts, random dates over the last year, invented texts, each marked as a
simulated demo report. A seeded random generator makes every run produce the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape
from shapely.prepared import prep

from konzeptk.accounts.models import Organisation
from konzeptk.city.demo_data import demo_data
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer, forget_active_profile
from konzeptk.core.content import translations_from
from konzeptk.servicedesk.categories import category_attribute_save, category_save
from konzeptk.servicedesk.models import Category, Report, ReportUpdate

SEED = 311
DEMO_REPORTS = 300

TEXTS = {
    "wilder-muell": [
        "Am Straßenrand liegen mehrere Müllsäcke.",
        "Alte Matratze und Sperrmüll abgestellt.",
        "Bauschutt im Gebüsch abgeladen.",
    ],
    "papierkorb": ["Der Papierkorb quillt über.", "Papierkorb ist abgebrochen."],
    "container": [
        "Altglascontainer voll, Flaschen stehen daneben.",
        "Rund um den Altkleidercontainer liegen Säcke.",
    ],
    "schlagloch": [
        "Tiefes Schlagloch auf der Fahrbahn, gefährlich für Radfahrende.",
        "Mehrere Löcher im Asphalt nach dem Winter.",
    ],
    "gehweg": ["Gehwegplatten stehen hoch, Stolpergefahr.", "Radweg durch Wurzeln aufgebrochen."],
    "verkehrsschild": ["Verkehrsschild verdreht.", "Schild umgefahren."],
    "strassenbeleuchtung": [
        "Laterne brennt seit Tagen nicht.",
        "Lampe flackert die ganze Nacht.",
        "Laterne brennt auch tagsüber.",
    ],
    "baum": ["Großer Ast hängt abgebrochen über dem Gehweg.", "Baum nach Sturm umgestürzt."],
    "gruenflaeche": ["Hecke wächst weit in den Gehweg.", "Grünfläche seit Wochen nicht gemäht."],
    "gully": ["Gully verstopft, bei Regen steht das Wasser.", "Laub im Straßeneinlauf."],
    "schachtdeckel": ["Schachtdeckel klappert laut beim Überfahren.", "Schachtdeckel abgesenkt."],
    "sportplatz": ["Tornetz auf dem Bolzplatz kaputt.", "Zaun am Sportplatz beschädigt."],
}

NOTES = {
    "in_progress": [
        "Wir haben die Meldung an das zuständige Team gegeben.",
        "Ein Termin für die Reparatur ist geplant.",
    ],
    "fixed": [
        "Erledigt. Vielen Dank für Ihre Meldung!",
        "Der Schaden wurde behoben.",
        "Die Stelle wurde gereinigt.",
    ],
    "duplicate": ["Dieses Problem wurde bereits gemeldet und wird dort bearbeitet."],
    "not_responsible": ["Die Fläche ist privat. Wir haben die Eigentümer:innen informiert."],
    "no_action": ["Vor Ort konnten wir keinen Schaden feststellen."],
}


def load_categories(*, out: TextIO | None = None) -> dict[str, Category]:
    """The categories of "Maak et!" with their responsible organisations and extra questions, from the
    city profile pack (idempotent: saving again updates). Organisations that do not exist are left out."""
    data = demo_data("servicedesk-categories")
    if data is None:
        return {}
    rows: list[dict[str, Any]] = data["categories"]
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in={r["organisation"] for r in rows if r["organisation"]})
    }
    # translations of the names and descriptions (German text → language → text)
    table = (demo_data("translations") or {}).get("texts", {})
    result: dict[str, Category] = {}
    for order, row in enumerate(rows):
        code = row["service_code"]
        result[code] = category_save(
            service_code=code,
            name=row["name"],
            parent=result.get(row["parent"]) if row["parent"] else None,
            organisation=organisations.get(row["organisation"]) if row["organisation"] else None,
            expected_days=row["expected_days"],
            description=row["description"],
            order=order,
            translations=translations_from(table, {"name": row["name"], "description": row["description"]}),
        )
        for attribute in row.get("attributes", []):
            german = {k: attribute.get(k, "") for k in ("description", "datatype_description")}
            category_attribute_save(
                category=result[code], translations=translations_from(table, german), **attribute
            )
    return result


def _sampler(districts: list[District], rng: random.Random) -> Iterator[tuple[District, float, float]]:
    shapes = [(d, shape(d.geometry)) for d in districts]
    prepared = [(d, g, prep(g)) for d, g in shapes]
    weights = [max(d.population or 1, 1) for d, _g in shapes]
    while True:
        district, geom, fast = rng.choices(prepared, weights=weights)[0]
        min_x, min_y, max_x, max_y = geom.bounds
        for _ in range(100):
            lon, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if fast.contains(Point(lon, lat)):
                yield district, round(lat, 6), round(lon, 6)
                break


def simulated_reports(
    *,
    count: int,
    categories: dict[str, Category],
    districts: list[District],
    now: dt.datetime,
    seed: int = SEED,
) -> Iterator[tuple[Report, list[ReportUpdate]]]:
    """Unsaved simulated reports and their timeline (status changes with public notes)."""
    rng = random.Random(seed)
    leaves = [c for code, c in categories.items() if code in TEXTS]
    points = _sampler(districts, rng)
    for _ in range(count):
        category = rng.choice(leaves)
        district, lat, lon = next(points)
        age = dt.timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600))
        requested = now - age
        report = Report(
            category=category,
            description=rng.choice(TEXTS[category.service_code]),
            lat=lat,
            lon=lon,
            address=f"{district.name} (simulierter Ort)",
            district=district,
            organisation=category.responsible_organisation(),
            attributes={"lampennummer": f"{rng.randint(1, 99)}-{rng.randint(100, 999)}"}
            if category.service_code == "strassenbeleuchtung"
            else {},
            requested_at=requested,
            updated_at=requested,
            source=Report.Source.DEMO,
            supporters=rng.choice([0, 0, 0, 1, 2, 5]),
        )
        updates: list[ReportUpdate] = []
        days_old = age.days
        fresh = days_old < 3 and rng.random() < 0.6
        report.published = not fresh
        report.published_at = requested + dt.timedelta(hours=rng.randint(1, 30)) if report.published else None
        report.hidden = report.published and rng.random() < 0.02
        roll = rng.random()
        expected = category.expected_days
        if not fresh and days_old > 2 and roll < 0.85 - 0.3 * (days_old < 30):
            started = requested + dt.timedelta(days=rng.uniform(0.2, min(3, days_old)))
            note = rng.choice(NOTES["in_progress"])
            updates.append(
                ReportUpdate(
                    kind="public", text=note, status_from="open", status_to="in_progress", created_at=started
                )
            )
            report.status, report.status_notes, report.updated_at = "in_progress", note, started
            fix_days = rng.lognormvariate(0, 0.6) * expected
            closed_at = requested + dt.timedelta(days=fix_days)
            if closed_at < now:
                reason = rng.choices(
                    ["fixed", "duplicate", "not_responsible", "no_action"], weights=[80, 8, 6, 6]
                )[0]
                note = rng.choice(NOTES[reason])
                updates.append(
                    ReportUpdate(
                        kind="public",
                        text=note,
                        status_from="in_progress",
                        status_to="closed",
                        close_reason=reason,
                        created_at=closed_at,
                    )
                )
                report.status, report.close_reason, report.closed_at = "closed", reason, closed_at
                report.status_notes, report.updated_at = note, closed_at
        yield report, updates


def load_demo(*, out: TextIO) -> None:
    """Categories and a few hundred simulated reports (once: a second run adds nothing)."""
    forget_active_profile()
    profile = active_profile()
    categories = load_categories(out=out)
    layer = current_layer(profile) if profile else None
    if layer is None:
        out.write("servicedesk: kein Stadtprofil geladen – nur Kategorien angelegt.\n")
        return
    if Report.objects.filter(source=Report.Source.DEMO).exists():
        out.write("servicedesk: simulierte Meldungen sind schon vorhanden.\n")
        return
    districts = list(layer.districts.all())
    with transaction.atomic():
        made = 0
        for report, updates in simulated_reports(
            count=DEMO_REPORTS, categories=categories, districts=districts, now=timezone.now()
        ):
            report.save()
            for update in updates:
                update.report = report
                update.organisation = report.organisation
            ReportUpdate.objects.bulk_create(updates)
            made += 1
    out.write(f"servicedesk: {len(categories)} Kategorien, {made} simulierte Meldungen.\n")
