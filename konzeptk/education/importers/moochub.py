"""MOOChub v3 (JSON:API): ``{"links": {...}, "data": [{"id", "type": "Course", "attributes": {...}}]}``.

Pages are followed through ``links.next`` (at most :data:`MAX_PAGES`, never the same page twice, only
http(s) addresses). Mapping: ``name``, ``description`` (HTML → text), ``inLanguage``, ``url``,
``courseMode`` (online/onsite/blended), ``startDate``/``endDate`` (pairs → dates; a pair longer than a
day with a ``repeatFrequency`` → weekly sessions in that period), ``teaches`` (skills of the framework
``DigComp`` with ``shortCode`` and ``educationalLevel.shortCode``), ``license``, ``access``/``offer``
(free, price), ``contentLocation``, ``audience``. A course without dates that is online is an online
resource. Attributes that MOOChub's JSON Schema does not name are reported and left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from konzeptk.core import jsonsafe
from konzeptk.education.importers import base
from konzeptk.education.importers.base import FieldError, Record, RecordError, SourceError
from konzeptk.education.types import OfferData

MAX_PAGES = 50

# the attributes of a Course in MOOChub's JSON Schema v3 (tests/data/moochub/moochub-schema.json)
KNOWN = frozenset(
    [
        "name",
        "courseCode",
        "learningResourceType",
        "courseMode",
        "description",
        "inLanguage",
        "startDate",
        "endDate",
        "expires",
        "image",
        "trailer",
        "instructor",
        "teaches",
        "duration",
        "contributor",
        "publisher",
        "url",
        "workload",
        "license",
        "access",
        "audience",
        "educationalAlignment",
        "educationalLevel",
        "creator",
        "keywords",
        "contentLocation",
        "offer",
        "numberOfCredits",
        "educationalCredentialsAwarded",
        "competencyRequired",
        "applicationStartDate",
        "applicationDeadline",
        "accessMode",
        "repeatFrequency",
        "dateCreated",
        "dateModified",
        "hollandCode",
        "hasPart",
        "isPartOf",
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
SENIORS = ("senior", "elderly", "aged")


def _page(content: bytes, number: int) -> dict[str, Any]:
    base.check_size(content)
    try:
        document = jsonsafe.loads(base.decode_text(content))
    except (ValueError, jsonsafe.JsonTooDeep) as exc:
        raise SourceError(f"Seite {number} ist kein JSON: {str(exc)[:200]}") from None
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise SourceError(f"Seite {number} ist keine MOOChub-Antwort (es fehlt die Liste „data“).")
    return document


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _str(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def _competences(attributes: dict[str, Any]) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for skill in _list(attributes.get("teaches")):
        if not isinstance(skill, dict) or _str(skill.get("educationalFramework")) != "DigComp":
            continue
        level_node = skill.get("educationalLevel")
        level = None
        if isinstance(level_node, dict) and _str(level_node.get("shortCode")).strip():
            level = base.parse_int(
                _str(level_node.get("shortCode")), "teaches.educationalLevel", low=1, high=8
            )
        found.append(base.competence(_str(skill.get("shortCode")), level, "teaches.shortCode"))
    return list(dict.fromkeys(found))


def _place(attributes: dict[str, Any], data: OfferData) -> None:
    place = attributes.get("contentLocation")
    if not isinstance(place, dict):
        return
    name = base.one_line(_str(place.get("name")), 200)
    if name.lower() in {"online", "hybrid"}:
        data.online = True
    else:
        data.place_name = name
    address = place.get("address")
    if isinstance(address, dict):
        city = " ".join(p for p in (_str(address.get("postalCode")), _str(address.get("city"))) if p)
        data.address = base.one_line(
            ", ".join(p for p in (_str(address.get("streetAddress")), city) if p), 300
        )
    data.lat = base.parse_float(place.get("latitude"), "contentLocation.latitude", low=-90, high=90)
    data.lon = base.parse_float(place.get("longitude"), "contentLocation.longitude", low=-180, high=180)


def _cost(attributes: dict[str, Any], data: OfferData) -> None:
    access = [_str(a) for a in _list(attributes.get("access"))]
    prices = [
        base.parse_decimal(_str(offer.get("price")), "offer.price")
        for offer in _list(attributes.get("offer"))
        if isinstance(offer, dict) and _str(offer.get("category")) in {"course", "complete", ""}
    ]
    known = sorted(p for p in prices if p is not None)
    data.is_free = "free" in access or (bool(known) and known[-1] == 0)
    if known and known[-1] > 0:
        data.price = known[-1]
        if len(known) > 1 and 0 < known[0] < known[-1]:
            data.reduced_price = known[0]


def _weekly(attributes: dict[str, Any], start: dt.datetime, end: dt.datetime, data: OfferData) -> bool:
    """A period with a ``repeatFrequency`` (weekday and times) → first start, duration and a weekly RRULE."""
    schedules = [s for s in _list(attributes.get("repeatFrequency")) if isinstance(s, dict)]
    if not schedules:
        return False
    days: list[str] = []
    times: tuple[dt.time, dt.time] | None = None
    for schedule in schedules:
        day = _str(schedule.get("byDay")).rsplit("/", 1)[-1].lower()
        if day not in DAYS:
            raise FieldError(
                "repeatFrequency.byDay", f"„{_str(schedule.get('byDay'))[:40]}“ ist kein Wochentag."
            )
        try:
            pair = (
                dt.time.fromisoformat(_str(schedule.get("startTime"))[:8]),
                dt.time.fromisoformat(_str(schedule.get("endTime"))[:8]),
            )
        except ValueError:
            raise FieldError(
                "repeatFrequency.startTime", "Beginn oder Ende des Termins ist keine Uhrzeit (z. B. 18:00)."
            ) from None
        if times is not None and pair != times:
            raise FieldError(
                "repeatFrequency",
                "Termine mit verschiedenen Uhrzeiten je Wochentag werden nicht unterstützt.",
            )
        times = pair
        days.append(DAYS[day])
    assert times is not None
    minutes = (times[1].hour * 60 + times[1].minute) - (times[0].hour * 60 + times[0].minute)
    if minutes <= 0:
        raise FieldError("repeatFrequency.endTime", "Das Ende liegt nicht nach dem Beginn.")
    local_start = start.astimezone(base.BERLIN)
    data.first_start = dt.datetime.combine(local_start.date(), times[0], tzinfo=base.BERLIN)
    data.duration_minutes = minutes
    until = end.astimezone(dt.UTC)
    data.rrule = f"FREQ=WEEKLY;BYDAY={','.join(dict.fromkeys(days))};UNTIL={until:%Y%m%dT%H%M%SZ}"
    return True


def _dates(attributes: dict[str, Any], data: OfferData) -> None:
    starts = [base.parse_datetime(v, "startDate") for v in _list(attributes.get("startDate"))]
    ends = [base.parse_datetime(v, "endDate") for v in _list(attributes.get("endDate"))]
    if not starts:
        return
    if ends and len(ends) != len(starts):
        raise FieldError("endDate", "Es gibt nicht ebenso viele Enddaten wie Anfangsdaten.")
    if len(starts) == 1 and ends and ends[0] - starts[0] > dt.timedelta(days=1):
        if ends[0] < starts[0]:
            raise FieldError("endDate", "Das Ende liegt vor dem Beginn.")
        if _weekly(attributes, starts[0], ends[0], data):
            return
    data.sessions = [
        base.session_pair(start, ends[i] if ends else None, "endDate") for i, start in enumerate(starts)
    ]


def _record(item: Any, index: int, page: int) -> Record:
    if not isinstance(item, dict):
        record = f"Seite {page}, Eintrag {index + 1}"
        return Record(record, None, [RecordError(record, "", "Der Eintrag ist kein JSON-Objekt.")])
    record = _str(item.get("id")).strip()[:300] or f"Seite {page}, Eintrag {index + 1}"
    attributes = item.get("attributes")
    if not isinstance(attributes, dict):
        return Record(record, None, [RecordError(record, "attributes", "Die Angaben (attributes) fehlen.")])
    notes = [
        RecordError(
            record, key[:60], f"Das Feld „{key[:60]}“ gibt es in MOOChub v3 nicht; es wurde nicht übernommen."
        )
        for key in attributes
        if key not in KNOWN
    ]
    if _str(item.get("type")) not in {"Course", "courses"}:
        notes.append(
            RecordError(record, "type", f"Der Typ „{_str(item.get('type'))[:30]}“ ist nicht „Course“.")
        )
    data = OfferData(title="", kind="course", source_note="MOOChub v3", external_id=record)
    try:
        data.title = base.one_line(_str(attributes.get("name")), 200)
        if not data.title:
            raise FieldError("name", "Der Titel (name) fehlt.")
        data.description = base.plain_text(_str(attributes.get("description")), 10_000)
        data.url = base.web_url(_str(attributes.get("url")))
        data.languages = base.parse_languages(
            [_str(v) for v in _list(attributes.get("inLanguage"))], "inLanguage"
        )
        modes = {_str(m) for m in _list(attributes.get("courseMode"))}
        data.online = "online" in modes and "onsite" not in modes
        licences = [lic for lic in _list(attributes.get("license")) if isinstance(lic, dict)]
        if licences:
            data.licence = base.one_line(_str(licences[0].get("identifier")), 100)
        audience = " ".join(_str(a).lower() for a in _list(attributes.get("audience")))
        if any(word in audience for word in SENIORS):
            data.age_min = 60
        data.competences = _competences(attributes)
        _cost(attributes, data)
        _place(attributes, data)
        _dates(attributes, data)
    except FieldError as error:
        return Record(record, None, [RecordError(record, error.field, error.message), *notes])
    if data.first_start is not None:
        data.kind = "course"
    elif data.sessions:
        data.kind = "course" if len(data.sessions) > 1 else "event"
    else:
        data.kind = "resource" if data.online or not data.place_name else "course"
    return Record(record, data, notes)


def read(content: bytes, *, url: str = "", fetch: base.Fetch | None = None) -> Iterator[Record]:
    """The courses of every page, following ``links.next``."""
    seen = {url} if url else set()
    page_number = 1
    document = _page(content, page_number)
    while True:
        for index, item in enumerate(document["data"]):
            yield _record(item, index, page_number)
        links = document.get("links")
        following = _str(links.get("next")).strip() if isinstance(links, dict) else ""
        if not following or fetch is None:
            return
        if not following.startswith(("https://", "http://")):
            raise SourceError(
                f"Der Verweis auf die nächste Seite ist keine http(s)-Adresse: {following[:100]}"
            )
        if following in seen:
            return
        if page_number >= MAX_PAGES:
            raise SourceError(f"Die Quelle hat mehr als {MAX_PAGES} Seiten.")
        seen.add(following)
        page_number += 1
        document = _page(fetch(following), page_number)


base.register_reader("moochub", read)
