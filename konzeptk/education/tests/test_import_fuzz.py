"""Strangers' feeds: whatever bytes or JSON a source serves, a reader yields records or refuses the whole
source with :class:`SourceError` – never another exception (which would be a crash of the run)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from konzeptk.education.importers import SourceError, reader_for

KEYS = st.sampled_from(
    [
        "@type",
        "@id",
        "@graph",
        "name",
        "startDate",
        "endDate",
        "hasCourseInstance",
        "courseSchedule",
        "teaches",
        "location",
        "offers",
        "typicalAgeRange",
        "inLanguage",
        "data",
        "attributes",
        "links",
        "next",
        "id",
        "type",
        "repeatFrequency",
        "byDay",
        "startTime",
        "contentLocation",
        "offer",
        "price",
        "termCode",
        "inDefinedTermSet",
        "educationalLevel",
        "shortCode",
        "educationalFramework",
        "license",
        "access",
        "courseMode",
        "geo",
        "latitude",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["Course", "CourseInstance", "EducationEvent", "2027-02-31", "P1W", "DigComp 1.1/9", "10-2", "Monday"]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=6)),
    max_leaves=30,
)


def _read(fmt: str, content: bytes) -> None:
    def fetch(url: str) -> bytes:
        raise SourceError("nicht erreichbar")

    message = "-"
    try:
        for record in reader_for(fmt)(content, url="https://feed.example/", fetch=fetch):
            assert record.external_id
            assert record.data is not None or record.errors
    except SourceError as exc:
        message = str(exc)
    assert message  # a refusal always says why


def _as_bytes(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_json_ld_never_crashes(value: Any) -> None:
    _read("jsonld", _as_bytes(value))
    _read("jsonld", _as_bytes({"@type": "Course", "name": "Kurs", "hasCourseInstance": value}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_moochub_never_crashes(value: Any) -> None:
    _read("moochub", _as_bytes(value))
    _read(
        "moochub",
        _as_bytes({"data": [{"id": "x", "type": "Course", "attributes": value}], "links": {"next": value}}),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.text(max_size=200))
def test_ical_and_csv_never_crash(data: bytes, text: str) -> None:
    _read("ical", data)
    _read(
        "ical",
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + text + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode(),
    )
    _read("csv", data)
    _read("csv", ("id,title,kind,dates,rrule,first_start,competences,lat,price\r\n" + text).encode())
