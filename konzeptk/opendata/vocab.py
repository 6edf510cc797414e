"""Controlled vocabularies of DCAT-AP.de 3.0: licences, EU data themes, frequencies and file types.

Codes are stored; URIs and German labels come from here. Sources: the DCAT-AP.de licence vocabulary
(https://www.dcat-ap.de/def/licenses/), the EU Publications Office authority tables data-theme, frequency
and file-type (https://op.europa.eu/en/web/eu-vocabularies), IANA media types.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LICENCE_BASE = "http://dcat-ap.de/def/licenses/"
THEME_BASE = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE_BASE = "https://www.iana.org/assignments/media-types/"
DCATDE = "http://dcat-ap.de/def/dcatde/"
GEOCODING_LEVEL = "http://dcat-ap.de/def/politicalGeocoding/Level/"
GEOCODING_REGIONAL_KEY = "http://dcat-ap.de/def/politicalGeocoding/regionalKey/"


@dataclass(frozen=True)
class Licence:
    code: str
    title: str
    url: str
    open: bool = True

    @property
    def uri(self) -> str:
        return LICENCE_BASE + self.code


LICENCES: dict[str, Licence] = {
    item.code: item
    for item in (
        Licence(
            "dl-by-de/2.0",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "https://www.govdata.de/dl-de/by-2-0",
        ),
        Licence(
            "dl-zero-de/2.0",
            "Datenlizenz Deutschland – Zero – Version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0",
        ),
        Licence(
            "cc-by/4.0",
            "Creative Commons Namensnennung – 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "cc-by-sa/4.0",
            "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen – 4.0 International",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "cc-zero",
            "Creative Commons CC Zero License (cc-zero)",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "odbl",
            "Open Data Commons Open Database License (ODbL)",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
        Licence("other-closed", "Andere geschlossene Lizenz", "", open=False),
    )
}

THEMES: dict[str, Promise] = {
    "AGRI": _("Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel"),
    "ECON": _("Wirtschaft und Finanzen"),
    "EDUC": _("Bildung, Kultur und Sport"),
    "ENER": _("Energie"),
    "ENVI": _("Umwelt"),
    "GOVE": _("Regierung und öffentlicher Sektor"),
    "HEAL": _("Gesundheit"),
    "INTR": _("Internationale Themen"),
    "JUST": _("Justiz, Rechtssystem und öffentliche Sicherheit"),
    "REGI": _("Regionen und Städte"),
    "SOCI": _("Bevölkerung und Gesellschaft"),
    "TECH": _("Wissenschaft und Technologie"),
    "TRAN": _("Verkehr"),
}

FREQUENCIES: dict[str, Promise] = {
    "CONT": _("laufend"),
    "HOURLY": _("stündlich"),
    "DAILY": _("täglich"),
    "WEEKLY": _("wöchentlich"),
    "MONTHLY": _("monatlich"),
    "QUARTERLY": _("vierteljährlich"),
    "ANNUAL": _("jährlich"),
    "IRREG": _("unregelmäßig"),
    "UNKNOWN": _("unbekannt"),
}

# file-type code → IANA media type; machine-readable ones are marked
FILE_TYPES: dict[str, tuple[str, bool]] = {
    "CSV": ("text/csv", True),
    "JSON": ("application/json", True),
    "GEOJSON": ("application/geo+json", True),
    "ICAL": ("text/calendar", True),
    "XML": ("application/xml", True),
    "RDF_TURTLE": ("text/turtle", True),
    "RDF_XML": ("application/rdf+xml", True),
    "JSON_LD": ("application/ld+json", True),
    "PARQUET": ("application/vnd.apache.parquet", True),
    "ZIP": ("application/zip", False),
    "PDF": ("application/pdf", False),
    "HTML": ("text/html", False),
    "XLSX": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True),
}


def licence(code: str) -> Licence | None:
    return LICENCES.get(code)


def theme_uri(code: str) -> str:
    return THEME_BASE + code


def frequency_uri(code: str) -> str:
    return FREQUENCY_BASE + code


def file_type_uri(code: str) -> str:
    return FILE_TYPE_BASE + code


def media_type_uri(media_type: str) -> str:
    return MEDIA_TYPE_BASE + media_type


def file_type_for(text: str) -> str:
    """The file-type code for a CKAN ``format`` or a file name's ending ('csv', 'GeoJSON', 'text/csv')."""
    value = text.strip().upper().rsplit(".", 1)[-1].replace("-", "_")
    for code, (media, _readable) in FILE_TYPES.items():
        if value == code or text.strip().lower() == media:
            return code
    aliases = {"TTL": "RDF_TURTLE", "RDF": "RDF_XML", "JSONLD": "JSON_LD", "HTM": "HTML", "WEBSITE": "HTML"}
    return aliases.get(value, value[:20])


def machine_readable(file_type: str) -> bool:
    return FILE_TYPES.get(file_type, ("", False))[1]
