"""Demo content of the open data catalogue.

- ``load_demo``: a harvest source for Krefeld's regional CKAN portal, answered from the recorded (reconstructed)
  answer in the profile pack, and a dataset registered by staff: the street trees planted in 2017 (real data,
  licence not verified, so registered without one).
- ``after_demo`` (when every app has loaded its content): the platform's own datasets from the registry, the
  harvest of the recorded portal answer, and the link check of the platform's own addresses (outside addresses
  are not checked without internet).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.services import ProfileError, resolve_profile_dir
from konzeptk.opendata.harvest.records import Recorded
from konzeptk.opendata.harvest.run import harvest
from konzeptk.opendata.models import Dataset, HarvestSource
from konzeptk.opendata.services import Metadata, catalogue_sync, dataset_register
from konzeptk.opendata.services.links import links_check

PORTAL = "https://www.offenesdatenportal.de"
RECORDING = "opendata-offenesdatenportal-krefeld.json"
TREES = "opendata-baumpflanzungen-2017.csv"
CITY = "stadt-krefeld-wdi"
EDITOR = "kernteam@demo.konzeptk.invalid"


def demo_file(name: str) -> Path | None:
    """A file of the profile pack's demo folder (``KONZEPTK_CITY``), if the pack has it."""
    try:
        path = resolve_profile_dir(settings.CITY_PROFILE) / "demo" / name
    except ProfileError:
        return None
    return path if path.is_file() else None


def _source() -> HarvestSource:
    source, _created = HarvestSource.objects.get_or_create(
        url=PORTAL,
        kind=HarvestSource.Kind.CKAN,
        defaults={
            "name": "Offenes Datenportal Niederrhein – Stadt Krefeld (Aufzeichnung, nachgebildet)",
            "organisation_filter": "krefeld",
            "publisher": Organisation.objects.filter(slug=CITY).first(),
            # the demo has no internet: it harvests the recorded answer (after_demo), not on a schedule
            "is_active": False,
        },
    )
    return source


def load_demo(*, out: TextIO) -> None:
    _source()
    editor = User.objects.filter(email=EDITOR).first()
    publisher = Organisation.objects.filter(slug=CITY).first()
    path = demo_file(TREES)
    if (
        editor is None
        or publisher is None
        or path is None
        or Dataset.objects.filter(name="baumpflanzungen-2017").exists()
    ):
        return
    dataset_register(
        by=editor,
        metadata=Metadata(
            title="Baumpflanzungen 2017",
            description=(
                "Die 463 Straßenbäume, die die Stadt Krefeld 2017 neu gepflanzt hat: Lage, Straße, Baumnummer, "
                "Baumart und botanischer Name. Quelle: Fachbereich Grünflächen der Stadt Krefeld. Die Lizenz ist "
                "noch nicht geprüft und deshalb nicht angegeben."
            ),
            publisher=publisher,
            themes=("ENVI",),
            keywords=("Bäume", "Straßenbäume", "Stadtgrün", "Neupflanzungen"),
            licence="",
            frequency="ANNUAL",
            temporal_start=dt.date(2017, 1, 1),
            temporal_end=dt.date(2017, 12, 31),
            contact_email="",
        ),
        upload=SimpleUploadedFile(TREES, path.read_bytes(), content_type="text/csv"),
    )
    out.write("  Offene Daten: Baumpflanzungen 2017 eingetragen\n")


def after_demo(*, out: TextIO) -> None:
    report = catalogue_sync()
    out.write(
        f"  Offene Daten: {report.created + report.updated + report.unchanged} Datensätze der Plattform\n"
    )
    path = demo_file(RECORDING)
    if path is not None:
        run = harvest(
            _source(), fetch=Recorded({f"{PORTAL}/api/3/action/package_search*": path.read_bytes()})
        )
        out.write(
            f"  Offene Daten: {run.created + run.updated + run.unchanged} Datensätze geerntet, {len(run.errors)} Fehler\n"
        )
    links_check(limit=2000, probe=lambda url: None)
