"""CSV with the documented column set (``docs/education.md``): comma, UTF-8 with or without byte order
mark, a header row of the column names below, one row per offer.

Dates of a course are given either as an RRULE (``first_start``, ``duration_minutes``, ``rrule``,
``exdates``) or as a list of sessions in ``dates`` (``start/end`` pairs in ISO 8601, separated by
``;``). The platform's own download (``/bildung/angebote.csv``) has the same columns plus a few it
writes for readers (:data:`EXPORT_ONLY`), which an import skips; a leading apostrophe that the CSV
writer puts before a formula sign is removed again.
"""

from __future__ import annotations

import csv as stdlib_csv
import datetime as dt
import io
import re
from collections.abc import Iterator

from konzeptk.education.importers import base
from konzeptk.education.importers.base import FieldError, Record, RecordError, SourceError
from konzeptk.education.types import OfferData

#: the columns an import reads, in the order of the platform's download
COLUMNS = (
    "id",
    "title",
    "kind",
    "summary",
    "description",
    "age_min",
    "age_max",
    "languages",
    "prior_knowledge",
    "step_free",
    "induction_loop",
    "sign_language",
    "easy_language",
    "is_free",
    "price",
    "reduced_price",
    "online",
    "place_name",
    "address",
    "lat",
    "lon",
    "url",
    "capacity",
    "booking_open",
    "first_start",
    "duration_minutes",
    "rrule",
    "exdates",
    "dates",
    "opening_hours",
    "lending_conditions",
    "max_lending_days",
    "licence",
    "competences",
    "status",
)
REQUIRED = ("id", "title", "kind")
#: columns of the download that an import skips
EXPORT_ONLY = ("provider", "page_url", "district", "next_start", "simulated")
KINDS = ("course", "event", "place", "lending", "resource")
KNOWLEDGE = ("none", "basic", "advanced")
STATUSES = ("published", "draft", "archived")
_SPLIT = re.compile(r"[\s,;|]+")
_COMPETENCE = re.compile(r"^(\d+\.\d+)(?:[:/](\d+))?$")
_FORMULA_MARK = re.compile(r"^'(?=[\s]*[=+\-@\uff1d\uff0b\uff0d\uff20\u2212\t\r])")


def _cell(row: dict[str, str], name: str) -> str:
    value = (row.get(name) or "").replace("\x00", "")
    return _FORMULA_MARK.sub("", value).strip()


def _choice(value: str, choices: tuple[str, ...], name: str, default: str) -> str:
    if not value:
        return default
    if value not in choices:
        raise FieldError(name, f"„{value[:30]}“ ist nicht erlaubt; möglich sind: {', '.join(choices)}.")
    return value


def _competences(text: str) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for part in _SPLIT.split(text):
        if not part:
            continue
        match = _COMPETENCE.match(part)
        if match is None:
            raise FieldError(
                "competences", f"„{part[:20]}“ ist keine Angabe der Form 1.1:2 (Kompetenz:Stufe)."
            )
        level = int(match.group(2)) if match.group(2) else None
        found.append(base.competence(match.group(1), level, "competences"))
    return list(dict.fromkeys(found))


def _sessions(text: str) -> list[tuple[dt.datetime, dt.datetime]]:
    pairs = []
    for part in re.split(r"[;\s]+", text):
        if not part:
            continue
        start_text, _sep, end_text = part.partition("/")
        start = base.parse_datetime(start_text, "dates")
        end = base.parse_datetime(end_text, "dates") if end_text else None
        pairs.append(base.session_pair(start, end, "dates"))
    if len(pairs) > 500:
        raise FieldError("dates", "Mehr als 500 Termine in einer Zeile.")
    return sorted(set(pairs))


def _offer(row: dict[str, str], record: str) -> OfferData:
    title = base.one_line(_cell(row, "title"), 200)
    if not title:
        raise FieldError("title", "Der Titel fehlt.")
    data = OfferData(title=title, kind=_choice(_cell(row, "kind"), KINDS, "kind", ""), external_id=record)
    if not data.kind:
        raise FieldError("kind", "Die Art des Angebots fehlt (course, event, place, lending oder resource).")
    data.source_note = "CSV"
    data.summary = base.one_line(_cell(row, "summary"), 300)
    data.description = base.plain_text(_cell(row, "description"), 10_000)
    data.age_min, data.age_max = base.clamp_ages(
        base.parse_int(_cell(row, "age_min"), "age_min", high=120),
        base.parse_int(_cell(row, "age_max"), "age_max", high=120),
        "age_max",
    )
    data.languages = base.parse_languages(_SPLIT.split(_cell(row, "languages")), "languages")
    data.prior_knowledge = _choice(_cell(row, "prior_knowledge"), KNOWLEDGE, "prior_knowledge", "none")
    for name in (
        "step_free",
        "induction_loop",
        "sign_language",
        "easy_language",
        "is_free",
        "online",
        "booking_open",
    ):
        setattr(data, name, base.parse_bool(_cell(row, name), name))
    data.price = base.parse_decimal(_cell(row, "price"), "price")
    data.reduced_price = base.parse_decimal(_cell(row, "reduced_price"), "reduced_price")
    data.place_name = base.one_line(_cell(row, "place_name"), 200)
    data.address = base.one_line(_cell(row, "address"), 300)
    data.lat = base.parse_float(_cell(row, "lat"), "lat", low=-90, high=90)
    data.lon = base.parse_float(_cell(row, "lon"), "lon", low=-180, high=180)
    url = _cell(row, "url")
    data.url = base.web_url(url)
    if url and not data.url:
        raise FieldError("url", "Der Link muss mit http:// oder https:// beginnen.")
    data.capacity = base.parse_int(_cell(row, "capacity"), "capacity", low=1)
    if _cell(row, "first_start"):
        data.first_start = base.parse_datetime(_cell(row, "first_start"), "first_start")
    data.duration_minutes = base.parse_int(
        _cell(row, "duration_minutes"), "duration_minutes", low=1, high=24 * 60
    )
    data.rrule = _cell(row, "rrule").removeprefix("RRULE:")[:500]
    data.exdates = [base.parse_date(d, "exdates") for d in _SPLIT.split(_cell(row, "exdates")) if d]
    data.sessions = _sessions(_cell(row, "dates"))
    if data.rrule and data.first_start is None:
        raise FieldError(
            "first_start", "Zu einer Wiederholung (rrule) gehört der erste Termin (first_start)."
        )
    data.opening_hours = base.one_line(_cell(row, "opening_hours"), 255)
    data.lending_conditions = base.plain_text(_cell(row, "lending_conditions"), 5000)
    data.max_lending_days = base.parse_int(
        _cell(row, "max_lending_days"), "max_lending_days", low=1, high=365
    )
    data.licence = base.one_line(_cell(row, "licence"), 100)
    data.competences = _competences(_cell(row, "competences"))
    data.status = _choice(_cell(row, "status"), STATUSES, "status", "published")
    return data


def read(content: bytes, *, url: str = "", fetch: base.Fetch | None = None) -> Iterator[Record]:
    """One record per row; unknown columns are reported once."""
    base.check_size(content)
    text = base.decode_text(content)
    reader = stdlib_csv.DictReader(io.StringIO(text, newline=""), delimiter=",", strict=True)
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
    except stdlib_csv.Error as exc:
        raise SourceError(f"Die Kopfzeile der CSV-Datei ist nicht lesbar: {exc}") from None
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        if len(header) == 1 and ";" in header[0]:
            raise SourceError("Die Spalten sind mit Semikolon getrennt; erwartet wird das Komma.")
        raise SourceError(f"Es fehlen die Spalten: {', '.join(missing)}.")
    reader.fieldnames = header
    unknown = [name for name in header if name not in COLUMNS and name not in EXPORT_ONLY]
    if unknown:
        yield Record(
            "Kopfzeile",
            None,
            [
                RecordError(
                    "Kopfzeile",
                    name[:60],
                    f"Die Spalte „{name[:60]}“ ist unbekannt; sie wurde nicht übernommen.",
                )
                for name in unknown
            ],
            is_offer=False,
        )
    line = 1
    try:
        for row in reader:
            line += 1
            if None in row:
                record = _cell(row, "id") or f"Zeile {line}"
                yield Record(
                    record,
                    None,
                    [RecordError(record, "", f"Zeile {line} hat mehr Zellen als die Kopfzeile.")],
                )
                continue
            if not any((v or "").strip() for v in row.values()):
                continue
            record = _cell(row, "id")[:300]
            if not record:
                name = f"Zeile {line}"
                yield Record(name, None, [RecordError(name, "id", "Die Kennung (id) fehlt.")])
                continue
            try:
                yield Record(record, _offer(row, record))
            except FieldError as error:
                yield Record.failed(record, error)
    except stdlib_csv.Error as exc:
        raise SourceError(f"Die CSV-Datei ist ab Zeile {line + 1} nicht lesbar: {exc}") from None


base.register_reader("csv", read)
