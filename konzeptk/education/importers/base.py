"""What every reader of a provider's feed shares: records, errors, the registry by format, and small
parsers (dates, numbers, DigComp codes) that report in German what is wrong with a value.

A reader is a function ``reader(content, *, url, fetch)`` that yields one :class:`Record` per offer of
the feed. A record that cannot become an offer carries ``data=None`` and its errors; a record that
can carries its :class:`OfferData` and, perhaps, notes about fields that were left out (unknown
fields). A feed that cannot be read at all raises :class:`SourceError` (the run fails with its message).
No database here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from konzeptk.education import digcomp
from konzeptk.education.types import OfferData

BERLIN = ZoneInfo("Europe/Berlin")
MAX_BYTES = 10 * 1024 * 1024
MAX_RECORDS = 5000

Fetch = Callable[[str], bytes]


class SourceError(ValueError):
    """The feed as a whole cannot be read; ``str()`` says why, in German (stored in the run)."""


class FieldError(ValueError):
    """One value of a record is wrong: the field and a German message."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class RecordError:
    record: str  # the record's id in the feed
    field: str  # "" when the record as a whole is meant
    message: str  # German

    def as_dict(self) -> dict[str, str]:
        return {"record": self.record, "field": self.field, "message": self.message}


@dataclass
class Record:
    """One offer of a feed: its data, or why it cannot be taken over; plus notes about left-out fields."""

    external_id: str
    data: OfferData | None
    errors: list[RecordError] = field(default_factory=list)
    is_offer: bool = True  # False: a note about the whole file (e.g. an unknown CSV column), no offer

    @classmethod
    def failed(cls, external_id: str, error: FieldError) -> Record:
        return cls(external_id, None, [RecordError(external_id, error.field, error.message)])


Reader = Callable[..., Iterator[Record]]

_readers: dict[str, Reader] = {}


def register_reader(fmt: str, reader: Reader) -> Reader:
    """Register (or replace) the reader of ``fmt`` (an ``ImportSource.Format`` value)."""
    _readers[fmt] = reader
    return reader


def reader_for(fmt: str) -> Reader:
    try:
        return _readers[fmt]
    except KeyError:
        raise SourceError(f"Für das Format „{fmt}“ gibt es kein Importprogramm.") from None


def registered_formats() -> list[str]:
    return sorted(_readers)


# --- values -----------------------------------------------------------------------------------

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_datetime(value: object, field_name: str) -> dt.datetime:
    """An ISO 8601 date-time (``2027-02-03T18:00``, with or without offset or ``Z``) as an aware
    datetime; times without an offset are the city's (Europe/Berlin). A date alone means midnight."""
    text = str(value or "").strip()
    if not text:
        raise FieldError(field_name, "Das Datum fehlt.")
    try:
        if _DATE_ONLY.match(text):
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time(), tzinfo=BERLIN)
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        raise FieldError(
            field_name,
            f"„{text[:40]}“ ist kein gültiges Datum mit Uhrzeit (erwartet ISO 8601, z. B. 2027-02-03T18:00).",
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BERLIN)
    if not 2000 <= parsed.year <= 2100:
        raise FieldError(field_name, f"Das Datum „{text[:40]}“ liegt außerhalb der Jahre 2000 bis 2100.")
    return parsed


def parse_date(value: object, field_name: str) -> dt.date:
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise FieldError(
            field_name, f"„{text[:40]}“ ist kein gültiges Datum (erwartet z. B. 2027-02-03)."
        ) from None


def parse_int(value: object, field_name: str, *, low: int = 0, high: int = 100_000) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise FieldError(field_name, f"„{text[:40]}“ ist keine ganze Zahl.") from None
    if not low <= number <= high:
        raise FieldError(field_name, f"{number} liegt nicht zwischen {low} und {high}.")
    return number


def parse_decimal(value: object, field_name: str) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace("€", "").replace("EUR", "").strip()
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FieldError(field_name, f"„{text[:40]}“ ist kein Betrag in Euro (z. B. 12,50).") from None
    if not number.is_finite() or number < 0 or number >= Decimal("1000000"):
        raise FieldError(field_name, f"Der Betrag „{text[:40]}“ ist nicht möglich.")
    return number.quantize(Decimal("0.01"))


def parse_float(value: object, field_name: str, *, low: float, high: float) -> float | None:
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise FieldError(field_name, f"„{text[:40]}“ ist keine Zahl.") from None
    if not low <= number <= high:
        raise FieldError(field_name, f"{text[:40]} liegt nicht zwischen {low} und {high}.")
    return number


_TRUE = {"1", "true", "ja", "yes", "x", "wahr", "j", "y"}
_FALSE = {"", "0", "false", "nein", "no", "falsch", "n"}


def parse_bool(value: object, field_name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(field_name, f"„{text[:40]}“ ist weder „ja“ noch „nein“.")


_LANGUAGE = re.compile(r"^[a-z]{2}$")


def parse_languages(values: list[str], field_name: str) -> list[str]:
    """ISO 639-1 codes from BCP 47 tags (``de``, ``de-DE``, ``TR``); at least German when empty."""
    codes: list[str] = []
    for value in values:
        code = value.strip().split("-")[0].split("_")[0].lower()
        if not code:
            continue
        if not _LANGUAGE.match(code):
            raise FieldError(field_name, f"„{value[:20]}“ ist kein Sprachkürzel (z. B. de, tr, ar).")
        if code not in codes:
            codes.append(code)
    return codes or ["de"]


def competence(code: str, level: int | None, field_name: str) -> tuple[str, int]:
    """A DigComp competence and level, refused with a German message when unknown."""
    code = code.strip()
    if not digcomp.is_known(code):
        raise FieldError(
            field_name, f"„{code[:20]}“ ist keine DigComp-2.2-Kompetenz (bekannt sind 1.1 bis 5.4)."
        )
    if level is None:
        level = 1
    if not 1 <= level <= 8:
        raise FieldError(field_name, f"Die Kompetenzstufe {level} gibt es nicht (1 bis 8).")
    return code, level


_DIGCOMP_TEXT = re.compile(
    r"^\s*digcomp(?:\s*2\.2)?\s*[:\s]\s*(\d+\.\d+)(?:\s*[/:]\s*(\d+))?\s*$", re.IGNORECASE
)


def digcomp_from_text(text: str, field_name: str, default_level: int | None = None) -> tuple[str, int] | None:
    """``"DigComp 1.1"``, ``"DigComp 2.2: 4.2/3"`` → (code, level); other texts are no DigComp claim.
    Without a level in the text, ``default_level`` (else 1)."""
    match = _DIGCOMP_TEXT.match(text)
    if match is None:
        return None
    level = int(match.group(2)) if match.group(2) else default_level
    return competence(match.group(1), level, field_name)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "br", "li", "div", "h1", "h2", "h3", "h4"}:
            self.parts.append("\n")


def plain_text(value: object, limit: int) -> str:
    """A text without HTML tags (descriptions may be HTML), blank lines collapsed, NUL removed, cut."""
    text = str(value or "").replace("\x00", "")
    if "<" in text:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    cleaned = "\n".join(line for line in lines if line)
    return cleaned[:limit]


def one_line(value: object, limit: int) -> str:
    return " ".join(str(value or "").replace("\x00", "").split())[:limit]


def web_url(value: object) -> str:
    text = str(value or "").strip()
    return text[:500] if text.startswith(("https://", "http://")) else ""


def check_size(content: bytes) -> None:
    if len(content) > MAX_BYTES:
        raise SourceError(f"Die Datei ist größer als {MAX_BYTES // (1024 * 1024)} MB.")
    if not content.strip():
        raise SourceError("Die Datei ist leer.")


def decode_text(content: bytes) -> str:
    """UTF-8 with or without byte order mark; anything else is refused as a whole."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"Die Datei ist nicht in UTF-8 kodiert (Byte {exc.start}).") from None


def clamp_ages(age_min: int | None, age_max: int | None, field_name: str) -> tuple[int | None, int | None]:
    if age_min is not None and age_max is not None and age_max < age_min:
        raise FieldError(field_name, f"Das Höchstalter {age_max} liegt unter dem Mindestalter {age_min}.")
    return age_min, age_max


def session_pair(
    start: dt.datetime, end: dt.datetime | None, field_name: str
) -> tuple[dt.datetime, dt.datetime]:
    """A session with an end after its start; without an end it lasts 90 minutes (a usual course unit)."""
    if end is None:
        end = start + dt.timedelta(minutes=90)
    if end <= start:
        raise FieldError(field_name, "Das Ende liegt nicht nach dem Beginn.")
    if end - start > dt.timedelta(days=14):
        raise FieldError(field_name, "Ein einzelner Termin dauert länger als 14 Tage.")
    return start, end


def iter_limited(records: Iterator[Record]) -> Iterator[Record]:
    """At most :data:`MAX_RECORDS` records of one feed."""
    for index, record in enumerate(records):
        if index >= MAX_RECORDS:
            raise SourceError(f"Die Quelle hat mehr als {MAX_RECORDS} Angebote; bitte teilen Sie sie auf.")
        yield record
