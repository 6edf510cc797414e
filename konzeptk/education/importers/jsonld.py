"""schema.org ``Course``, ``CourseInstance`` and ``EducationEvent`` in JSON-LD.

Accepted: a web page (every ``<script type="application/ld+json">`` block), a JSON object, an array
or an ``@graph``. A ``Course`` with instances gives one offer per ``CourseInstance`` (what one books is
a run of a course, with its own dates and places); a course without instances gives one offer
(an online resource when it has no dates and no place). Dates: ``startDate``/``endDate`` of an
instance or event, or a ``courseSchedule``/``eventSchedule`` (``Schedule`` with ``repeatFrequency``,
``byDay``, ``startTime``, ``endTime``, ``startDate``, ``endDate`` or ``repeatCount``, ``exceptDate``),
which becomes an RRULE. DigComp competences come from ``teaches`` (a ``DefinedTerm`` whose
``inDefinedTermSet`` names DigComp, with ``termCode`` ``"1.1"``, or a text ``"DigComp 1.1/2"``);
the level from ``educationalLevel`` (1–8) where given.
Properties outside the schema.org terms of these types are reported (and left out).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from konzeptk.core import jsonsafe
from konzeptk.education.importers import base
from konzeptk.education.importers.base import FieldError, Record, RecordError, SourceError
from konzeptk.education.types import OfferData

TYPES = frozenset({"Course", "CourseInstance", "EducationEvent"})

# schema.org properties of Thing, CreativeWork, Event, Course, CourseInstance and EducationEvent
KNOWN = frozenset(
    [
        "@context",
        "@type",
        "@id",
        "@language",
        "name",
        "description",
        "disambiguatingDescription",
        "alternateName",
        "identifier",
        "url",
        "image",
        "sameAs",
        "mainEntityOfPage",
        "additionalType",
        "potentialAction",
        "subjectOf",
        "abstract",
        "about",
        "accessMode",
        "accessModeSufficient",
        "accessibilityAPI",
        "accessibilityControl",
        "accessibilityFeature",
        "accessibilityHazard",
        "accessibilitySummary",
        "accountablePerson",
        "aggregateRating",
        "audience",
        "author",
        "availableLanguage",
        "citation",
        "comment",
        "competencyRequired",
        "contentLocation",
        "contributor",
        "copyrightHolder",
        "copyrightYear",
        "courseCode",
        "coursePrerequisites",
        "courseMode",
        "courseSchedule",
        "courseWorkload",
        "creator",
        "dateCreated",
        "dateModified",
        "datePublished",
        "doorTime",
        "duration",
        "educationalAlignment",
        "educationalCredentialAwarded",
        "educationalLevel",
        "educationalUse",
        "endDate",
        "eventAttendanceMode",
        "eventSchedule",
        "eventStatus",
        "financialAidEligible",
        "funder",
        "funding",
        "genre",
        "hasCourse",
        "hasCourseInstance",
        "hasPart",
        "headline",
        "inLanguage",
        "instructor",
        "isAccessibleForFree",
        "isPartOf",
        "keywords",
        "learningResourceType",
        "license",
        "location",
        "maximumAttendeeCapacity",
        "maximumPhysicalAttendeeCapacity",
        "maximumVirtualAttendeeCapacity",
        "numberOfCredits",
        "occupationalCredentialAwarded",
        "offers",
        "organizer",
        "performer",
        "previousStartDate",
        "provider",
        "publisher",
        "remainingAttendeeCapacity",
        "review",
        "sponsor",
        "startDate",
        "subEvent",
        "superEvent",
        "syllabusSections",
        "teaches",
        "assesses",
        "text",
        "thumbnailUrl",
        "timeRequired",
        "totalHistoricalEnrollment",
        "typicalAgeRange",
        "version",
        "attendee",
    ]
)

DAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
FREQUENCIES: dict[str, tuple[str, int]] = {
    "P1D": ("DAILY", 1),
    "P1W": ("WEEKLY", 1),
    "P7D": ("WEEKLY", 1),
    "P2W": ("WEEKLY", 2),
    "P14D": ("WEEKLY", 2),
    "P1M": ("MONTHLY", 1),
    "DAILY": ("DAILY", 1),
    "WEEKLY": ("WEEKLY", 1),
    "MONTHLY": ("MONTHLY", 1),
}


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(
            k == "type" and (v or "").strip().lower() == "application/ld+json" for k, v in attrs
        ):
            self._inside = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def _documents(text: str) -> list[Any]:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        blocks = [stripped]
    else:
        parser = _Scripts()
        parser.feed(text)
        parser.close()
        blocks = [b for b in parser.blocks if b.strip()]
        if not blocks:
            raise SourceError("Weder JSON noch eine Webseite mit JSON-LD-Block (application/ld+json).")
    documents: list[Any] = []
    for number, block in enumerate(blocks, start=1):
        try:
            documents.append(jsonsafe.loads(block))
        except (ValueError, jsonsafe.JsonTooDeep) as exc:
            where = f" (Block {number})" if len(blocks) > 1 else ""
            raise SourceError(f"Das JSON-LD ist nicht lesbar{where}: {str(exc)[:200]}") from None
    return documents


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values}


def _nodes(document: Any) -> Iterator[dict[str, Any]]:
    """The top-level nodes of our types (in arrays and ``@graph``s); instances stay inside their course."""
    if isinstance(document, list):
        for item in document:
            yield from _nodes(item)
    elif isinstance(document, dict):
        if "@graph" in document:
            yield from _nodes(document["@graph"])
        elif _types(document) & TYPES:
            yield document


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A text value; ``{"@value": …}`` and language maps give their first value."""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    if isinstance(value, dict):
        return _text(value.get("@value", value.get("name", "")))
    return "" if value is None else str(value)


def _record_id(node: dict[str, Any], fallback: str) -> str:
    value = _text(node.get("@id") or node.get("identifier") or node.get("courseCode") or node.get("url"))
    if value:
        return value[:300]
    return "ohne-id-" + hashlib.sha256(fallback.encode()).hexdigest()[:16]


def _unknown(node: dict[str, Any], record: str) -> list[RecordError]:
    return [
        RecordError(
            record,
            key[:60],
            f"Das Feld „{key[:60]}“ ist kein Feld von schema.org-Kursen und wurde nicht übernommen.",
        )
        for key in node
        if key not in KNOWN
    ]


def _place(node: dict[str, Any], data: OfferData) -> None:
    for location in _list(node.get("location")):
        if isinstance(location, str):
            data.place_name = base.one_line(location, 200)
            continue
        if not isinstance(location, dict):
            continue
        kinds = _types(location)
        if "VirtualLocation" in kinds:
            data.online = True
            data.url = data.url or base.web_url(location.get("url"))
            continue
        data.place_name = base.one_line(_text(location.get("name")), 200)
        address = location.get("address")
        if isinstance(address, dict):
            parts = [
                _text(address.get("streetAddress")),
                " ".join(
                    p for p in (_text(address.get("postalCode")), _text(address.get("addressLocality"))) if p
                ),
            ]
            data.address = base.one_line(", ".join(p for p in parts if p), 300)
        elif address:
            data.address = base.one_line(_text(address), 300)
        geo = location.get("geo")
        if isinstance(geo, dict):
            data.lat = base.parse_float(_text(geo.get("latitude")), "location.geo.latitude", low=-90, high=90)
            data.lon = base.parse_float(
                _text(geo.get("longitude")), "location.geo.longitude", low=-180, high=180
            )


_AGE_RANGE = re.compile(r"^\s*(\d{1,3})?\s*-\s*(\d{1,3})?\s*$")


def _ages(node: dict[str, Any], data: OfferData) -> None:
    text = _text(node.get("typicalAgeRange")).strip()
    if not text:
        return
    match = _AGE_RANGE.match(text) if "-" in text else re.match(r"^\s*(\d{1,3})\s*\+?\s*$", text)
    if match is None:
        raise FieldError("typicalAgeRange", f"„{text[:20]}“ ist keine Altersspanne (z. B. 60- oder 10-14).")
    low = base.parse_int(match.group(1), "typicalAgeRange", high=120)
    high = (
        base.parse_int(match.group(2), "typicalAgeRange", high=120)
        if match.lastindex and match.lastindex > 1
        else None
    )
    data.age_min, data.age_max = base.clamp_ages(low, high, "typicalAgeRange")


def _level(node: dict[str, Any]) -> int | None:
    for value in _list(node.get("educationalLevel")):
        code = _text(value.get("termCode") if isinstance(value, dict) else value).strip()
        if code.isdigit():
            return base.parse_int(code, "educationalLevel", low=1, high=8)
    return None


def _competences(node: dict[str, Any], level: int | None) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for term in _list(node.get("teaches")):
        if isinstance(term, dict):
            term_set = _text(term.get("inDefinedTermSet")).lower()
            code = _text(term.get("termCode")).strip()
            if "digcomp" in term_set and code:
                found.append(base.competence(code, level, "teaches"))
                continue
            claim = base.digcomp_from_text(_text(term.get("name")), "teaches", level)
        else:
            claim = base.digcomp_from_text(_text(term), "teaches", level)
        if claim is not None:
            found.append(claim)
    return list(dict.fromkeys(found))


def _price(node: dict[str, Any], data: OfferData) -> None:
    if node.get("isAccessibleForFree") is not None:
        data.is_free = base.parse_bool(node.get("isAccessibleForFree"), "isAccessibleForFree")
    prices = []
    for offer in _list(node.get("offers")):
        if isinstance(offer, dict) and offer.get("price") not in (None, ""):
            prices.append(base.parse_decimal(_text(offer.get("price")), "offers.price"))
    known = sorted(p for p in prices if p is not None)
    if known:
        if known[0] == 0 and len(known) == 1:
            data.is_free = True
        else:
            data.price = known[-1]
            if len(known) > 1 and known[0] < known[-1]:
                data.reduced_price = known[0]


def _duration_minutes(text: str) -> int | None:
    match = re.match(r"^PT(?:(\d+)H)?(?:(\d+)M)?$", text.strip())
    if match is None or not any(match.groups()):
        return None
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def _time(value: Any, field_name: str) -> dt.time:
    text = _text(value).strip()
    try:
        return dt.time.fromisoformat(text[:8])
    except ValueError:
        raise FieldError(field_name, f"„{text[:20]}“ ist keine Uhrzeit (z. B. 18:00).") from None


def _schedule(schedule: dict[str, Any], data: OfferData) -> None:
    """A ``Schedule`` as RRULE: first start, duration, rule and exceptions."""
    frequency = _text(schedule.get("repeatFrequency")).strip()
    rule = FREQUENCIES.get(frequency.upper())
    if rule is None:
        raise FieldError(
            "courseSchedule.repeatFrequency",
            f"Die Wiederholung „{frequency[:20]}“ wird nicht verstanden (P1D, P1W, P2W).",
        )
    freq, interval = rule
    days = []
    for day in _list(schedule.get("byDay")):
        name = _text(day).rsplit("/", 1)[-1].lower()
        if name not in DAYS:
            raise FieldError("courseSchedule.byDay", f"„{_text(day)[:30]}“ ist kein Wochentag.")
        days.append(DAYS[name])
    first_day = base.parse_date(_text(schedule.get("startDate")), "courseSchedule.startDate")
    start_time = _time(schedule.get("startTime"), "courseSchedule.startTime")
    first_start = dt.datetime.combine(first_day, start_time, tzinfo=base.BERLIN)
    if schedule.get("endTime"):
        end_time = _time(schedule.get("endTime"), "courseSchedule.endTime")
        minutes = (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)
    else:
        minutes = _duration_minutes(_text(schedule.get("duration"))) or 90
    if minutes <= 0:
        raise FieldError("courseSchedule.endTime", "Das Ende liegt nicht nach dem Beginn.")
    parts = [f"FREQ={freq}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if days:
        parts.append("BYDAY=" + ",".join(days))
    if schedule.get("repeatCount") not in (None, ""):
        count = base.parse_int(_text(schedule.get("repeatCount")), "courseSchedule.repeatCount", low=1)
        parts.append(f"COUNT={count}")
    elif schedule.get("endDate"):
        last_day = base.parse_date(_text(schedule.get("endDate")), "courseSchedule.endDate")
        if last_day < first_day:
            raise FieldError("courseSchedule.endDate", "Das Ende der Reihe liegt vor ihrem Beginn.")
        parts.append(f"UNTIL={last_day:%Y%m%d}T235959Z")
    data.first_start = first_start
    data.duration_minutes = minutes
    data.rrule = ";".join(parts)
    data.exdates = [
        base.parse_date(_text(d), "courseSchedule.exceptDate") for d in _list(schedule.get("exceptDate"))
    ]


def _dates(node: dict[str, Any], data: OfferData) -> None:
    schedules = [
        s for s in _list(node.get("courseSchedule") or node.get("eventSchedule")) if isinstance(s, dict)
    ]
    if schedules:
        _schedule(schedules[0], data)
        return
    if node.get("startDate"):
        start = base.parse_datetime(_text(node.get("startDate")), "startDate")
        end = base.parse_datetime(_text(node.get("endDate")), "endDate") if node.get("endDate") else None
        data.sessions = [base.session_pair(start, end, "endDate")]


def _fill(node: dict[str, Any], data: OfferData) -> None:
    """The fields a node may carry, over what an outer course already gave."""
    if node.get("name"):
        data.title = base.one_line(_text(node.get("name")), 200)
    if node.get("description"):
        data.description = base.plain_text(_text(node.get("description")), 10_000)
    if node.get("disambiguatingDescription") or node.get("abstract"):
        data.summary = base.one_line(
            _text(node.get("disambiguatingDescription") or node.get("abstract")), 300
        )
    if node.get("url"):
        data.url = base.web_url(_text(node.get("url"))) or data.url
    languages = [_text(v) for v in _list(node.get("inLanguage") or node.get("availableLanguage"))]
    if languages:
        data.languages = base.parse_languages(languages, "inLanguage")
    mode = " ".join(
        _text(v).lower() for v in _list(node.get("courseMode") or node.get("eventAttendanceMode"))
    )
    if "online" in mode:
        data.online = True
    if node.get("license"):
        data.licence = base.one_line(_text(node.get("license")), 100)
    capacity = node.get("maximumAttendeeCapacity") or node.get("maximumPhysicalAttendeeCapacity")
    if capacity not in (None, ""):
        data.capacity = base.parse_int(_text(capacity), "maximumAttendeeCapacity", low=1)
    _ages(node, data)
    _price(node, data)
    _place(node, data)
    level = _level(node)
    competences = _competences(node, level)
    if competences:
        data.competences = competences
    _dates(node, data)


def _kind(data: OfferData, event: bool) -> str:
    if data.first_start is not None and data.rrule:
        return "course"
    if data.sessions:
        return "event" if event else "course"
    return "resource" if data.online or not data.place_name else "course"


def _read_node(node: dict[str, Any], record: str, outer: dict[str, Any] | None, event: bool) -> Record:
    notes = _unknown(node, record) + (_unknown(outer, record) if outer is not None else [])
    data = OfferData(title="", kind="course", source_note="schema.org JSON-LD", external_id=record)
    try:
        if outer is not None:
            _fill(outer, data)
        _fill(node, data)
        if not data.title:
            raise FieldError("name", "Der Titel (name) fehlt.")
    except FieldError as error:
        return Record(record, None, [RecordError(record, error.field, error.message), *notes])
    data.kind = _kind(data, event)
    return Record(record, data, notes)


def read(content: bytes, *, url: str = "", fetch: base.Fetch | None = None) -> Iterator[Record]:
    """The offers of a JSON-LD document or page."""
    base.check_size(content)
    text = base.decode_text(content)
    documents = _documents(text)
    nodes = [n for d in documents for n in _nodes(d)]
    if not nodes:
        raise SourceError(
            "Die Datei enthält keinen schema.org-Kurs (Course, CourseInstance oder EducationEvent)."
        )
    for index, node in enumerate(nodes):
        kinds = _types(node)
        fallback = f"{index}:{_text(node.get('name'))}:{_text(node.get('startDate'))}"
        course_id = _record_id(node, fallback)
        instances = (
            [i for i in _list(node.get("hasCourseInstance")) if isinstance(i, dict)]
            if "Course" in kinds
            else []
        )
        if not instances:
            yield _read_node(node, course_id, None, "EducationEvent" in kinds)
            continue
        outer = {k: v for k, v in node.items() if k != "hasCourseInstance"}
        for number, instance in enumerate(instances, start=1):
            instance_id = _text(instance.get("@id") or instance.get("identifier")) or f"{course_id}#{number}"
            yield _read_node(instance, instance_id[:300], outer, False)


base.register_reader("jsonld", read)
