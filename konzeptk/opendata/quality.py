"""Metadata quality of a dataset, scored after the EU data portal's Metadata Quality Assessment (MQA).

The five dimensions and their points follow data.europa.eu's methodology (maximum 405):
findability 100, accessibility 100, interoperability 110, reusability 75, contextuality 20.
Ratings: excellent from 351, good from 221, sufficient from 121, otherwise bad.
Each missing point comes with the fix, in plain German, for the people who maintain the dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from konzeptk.opendata import vocab
from konzeptk.opendata.models import Dataset, Distribution

MAXIMUM = 405
NON_PROPRIETARY = {
    "CSV",
    "JSON",
    "GEOJSON",
    "XML",
    "RDF_TURTLE",
    "RDF_XML",
    "JSON_LD",
    "PARQUET",
    "HTML",
    "PDF",
    "ZIP",
}


@dataclass(frozen=True)
class Check:
    dimension: str
    criterion: str
    points: int
    maximum: int
    fix: str

    @property
    def ok(self) -> bool:
        return self.points == self.maximum


DIMENSIONS: dict[str, Promise] = {
    "findability": _("Auffindbarkeit"),
    "accessibility": _("Zugänglichkeit"),
    "interoperability": _("Interoperabilität"),
    "reusability": _("Wiederverwendbarkeit"),
    "contextuality": _("Kontext"),
}


def rating(score: int) -> str:
    if score >= 351:
        return str(_("ausgezeichnet"))
    if score >= 221:
        return str(_("gut"))
    if score >= 121:
        return str(_("ausreichend"))
    return str(_("mangelhaft"))


def _share(distributions: Sequence[Distribution], test: Callable[[Distribution], bool]) -> float:
    if not distributions:
        return 0.0
    return sum(1 for d in distributions if test(d)) / len(distributions)


def _points(maximum: int, share: float) -> int:
    return round(maximum * share)


def _link_ok(distribution: Distribution) -> bool:
    return distribution.link_status is not None and 200 <= distribution.link_status < 400


def assess(dataset: Dataset, distributions: Sequence[Distribution]) -> list[Check]:
    d = distributions
    licence = vocab.licence(dataset.licence)
    checks = [
        Check(
            "findability",
            str(_("Schlagwörter")),
            30 if dataset.keywords else 0,
            30,
            str(_("Tragen Sie Schlagwörter ein, unter denen man die Daten sucht.")),
        ),
        Check(
            "findability",
            str(_("Themen")),
            30 if dataset.themes else 0,
            30,
            str(_("Ordnen Sie den Datensatz mindestens einem Thema zu.")),
        ),
        Check(
            "findability", str(_("räumlicher Bezug")), 20, 20, ""
        ),  # every dataset covers the city (profile)
        Check(
            "findability",
            str(_("zeitlicher Bezug")),
            20 if dataset.temporal_start else 0,
            20,
            str(_("Geben Sie an, welchen Zeitraum die Daten abdecken.")),
        ),
        Check(
            "accessibility",
            str(_("Zugangsadresse erreichbar")),
            _points(50, _share(d, _link_ok)),
            50,
            str(_("Eine Zugangsadresse antwortet nicht. Prüfen Sie die Adresse der Distribution.")),
        ),
        Check(
            "accessibility",
            str(_("Download-Adresse")),
            _points(20, _share(d, lambda x: bool(x.download_url))),
            20,
            str(_("Geben Sie für jede Datei eine direkte Download-Adresse an.")),
        ),
        Check(
            "accessibility",
            str(_("Download erreichbar")),
            _points(30, _share(d, lambda x: bool(x.download_url) and _link_ok(x))),
            30,
            str(_("Eine Download-Adresse antwortet nicht.")),
        ),
        Check(
            "interoperability",
            str(_("Format angegeben")),
            _points(20, _share(d, lambda x: bool(x.file_format))),
            20,
            str(_("Geben Sie das Dateiformat jeder Distribution an.")),
        ),
        Check(
            "interoperability",
            str(_("Medientyp angegeben")),
            _points(10, _share(d, lambda x: bool(x.media_type))),
            10,
            str(_("Geben Sie den Medientyp (z. B. text/csv) an.")),
        ),
        Check(
            "interoperability",
            str(_("Format aus dem Vokabular")),
            _points(10, _share(d, lambda x: x.file_format in vocab.FILE_TYPES)),
            10,
            str(_("Wählen Sie das Format aus der Liste der EU-Dateitypen.")),
        ),
        Check(
            "interoperability",
            str(_("offenes Format")),
            _points(20, _share(d, lambda x: x.file_format in NON_PROPRIETARY)),
            20,
            str(_("Bieten Sie die Daten zusätzlich in einem offenen Format an (CSV, JSON, GeoJSON).")),
        ),
        Check(
            "interoperability",
            str(_("maschinenlesbar")),
            _points(20, _share(d, lambda x: vocab.machine_readable(x.file_format))),
            20,
            str(_("Bieten Sie eine maschinenlesbare Datei an (CSV, JSON, GeoJSON statt PDF).")),
        ),
        Check(
            "interoperability",
            str(_("DCAT-AP-konform")),
            30
            if dataset.title and dataset.description and d and all(x.access_url for x in d) and licence
            else 0,
            30,
            str(_("Titel, Beschreibung, Lizenz und eine Zugangsadresse je Distribution sind Pflicht.")),
        ),
        Check(
            "reusability",
            str(_("Lizenz angegeben")),
            20 if dataset.licence else 0,
            20,
            str(_("Geben Sie eine Lizenz an; ohne Lizenz geht der Datensatz nicht an GovData.")),
        ),
        Check(
            "reusability",
            str(_("Lizenz aus dem Vokabular")),
            10 if licence else 0,
            10,
            str(_("Wählen Sie eine Lizenz aus der Liste (z. B. Datenlizenz Deutschland).")),
        ),
        Check("reusability", str(_("Zugangsbeschränkung")), 10, 10, ""),  # every catalogued dataset is public
        Check("reusability", str(_("Zugangsbeschränkung aus dem Vokabular")), 5, 5, ""),
        Check(
            "reusability",
            str(_("Kontakt")),
            20 if (dataset.contact_email or dataset.contact_url) else 0,
            20,
            str(_("Geben Sie eine Kontaktadresse (E-Mail oder Webseite) an.")),
        ),
        Check(
            "reusability",
            str(_("Herausgeber")),
            10 if dataset.publisher_id else 0,
            10,
            str(_("Ordnen Sie den Datensatz einer herausgebenden Organisation zu.")),
        ),
        Check(
            "contextuality",
            str(_("Nutzungshinweise")),
            5 if licence else 0,
            5,
            str(_("Mit einer Lizenz aus der Liste sind die Nutzungsrechte klar.")),
        ),
        Check(
            "contextuality",
            str(_("Dateigröße")),
            _points(5, _share(d, lambda x: x.byte_size is not None)),
            5,
            str(_("Geben Sie die Dateigröße an (bei hochgeladenen Dateien geschieht das von selbst).")),
        ),
        Check("contextuality", str(_("Veröffentlichungsdatum")), 5, 5, ""),
        Check("contextuality", str(_("Änderungsdatum")), 5, 5, ""),
    ]
    return checks


def score(checks: Sequence[Check]) -> int:
    return sum(c.points for c in checks)


def as_json(checks: Sequence[Check]) -> list[dict[str, object]]:
    return [asdict(c) for c in checks]
