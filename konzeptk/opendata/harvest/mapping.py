"""From other portals' words to the catalogue's vocabularies (licences, themes, formats)."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_datetime

from konzeptk.opendata import vocab

# CKAN licence ids seen on German portals → DCAT-AP.de licence codes
CKAN_LICENCES = {
    "dl-de-by-2.0": "dl-by-de/2.0",
    "dl-by-de/2.0": "dl-by-de/2.0",
    "dl-de-zero-2.0": "dl-zero-de/2.0",
    "dl-zero-de/2.0": "dl-zero-de/2.0",
    "cc-by-4.0": "cc-by/4.0",
    "cc-by": "cc-by/4.0",
    "cc-by-sa-4.0": "cc-by-sa/4.0",
    "cc-zero": "cc-zero",
    "cc0-1.0": "cc-zero",
    "odc-odbl": "odbl",
    "odbl": "odbl",
}
# German group names of municipal portals → EU data themes
GROUP_THEMES = {
    "umwelt": "ENVI",
    "umwelt-und-klima": "ENVI",
    "verkehr": "TRAN",
    "transport-und-verkehr": "TRAN",
    "bildung": "EDUC",
    "bildung-und-wissenschaft": "EDUC",
    "kultur": "EDUC",
    "wirtschaft": "ECON",
    "wirtschaft-und-arbeit": "ECON",
    "gesundheit": "HEAL",
    "bevoelkerung": "SOCI",
    "soziales": "SOCI",
    "politik-und-wahlen": "GOVE",
    "verwaltung": "GOVE",
    "oeffentliche-verwaltung-haushalt-und-steuern": "GOVE",
    "energie": "ENER",
    "geo": "REGI",
    "infrastruktur-bauen-und-wohnen": "REGI",
}


def licence_code(value: str) -> str:
    text = value.strip()
    if text.startswith(vocab.LICENCE_BASE):
        text = text[len(vocab.LICENCE_BASE) :]
    if text in vocab.LICENCES:
        return text
    return CKAN_LICENCES.get(text.lower(), "")


def theme_code(value: str) -> str:
    text = value.strip()
    if text.startswith(vocab.THEME_BASE):
        text = text[len(vocab.THEME_BASE) :]
    if text.upper() in vocab.THEMES:
        return text.upper()
    return GROUP_THEMES.get(text.lower(), "")


def frequency_code(value: str) -> str:
    text = value.strip()
    if text.startswith(vocab.FREQUENCY_BASE):
        text = text[len(vocab.FREQUENCY_BASE) :]
    return text.upper() if text.upper() in vocab.FREQUENCIES else "UNKNOWN"


def file_type(value: str) -> str:
    text = value.strip()
    if text.startswith(vocab.FILE_TYPE_BASE):
        return text[len(vocab.FILE_TYPE_BASE) :]
    return vocab.file_type_for(text) if text else ""


def media_type(value: str) -> str:
    text = value.strip()
    if text.startswith(vocab.MEDIA_TYPE_BASE):
        return text[len(vocab.MEDIA_TYPE_BASE) :]
    return text if "/" in text and len(text) < 100 else ""


def when(value: object) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(str(value))
    if parsed is None:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
        parsed = dt.datetime.combine(day, dt.time())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed
