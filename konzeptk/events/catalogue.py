"""What the event calendar publishes, for the open data catalogue (registered in ``EventsConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="calendar",
        name="veranstaltungskalender",
        title="Veranstaltungskalender der Stadt",
        description=(
            "Alle veröffentlichten Veranstaltungen des städtischen Kalenders (importierte Kalender und geprüfte "
            "Einreichungen) mit Zeit, Ort, Stadtbezirk, Thema und Angaben zur Barrierefreiheit des Ortes, als "
            "iCalendar (RFC 5545). Teilmengen je Stadtbezirk und Thema über die Parameter district und topic."
        ),
        themes=("EDUC", "SOCI"),
        keywords=("Veranstaltungen", "Kalender", "iCalendar", "Innenstadt", "Kultur"),
        licence="dl-zero-de/2.0",
        frequency="DAILY",
        landing_page="/veranstaltungen/",
        distributions=(
            catalogue.Distribution(
                key="calendar-ics",
                title="Veranstaltungen (iCalendar)",
                access_url="/veranstaltungen/kalender.ics",
                download_url="/veranstaltungen/kalender.ics",
                file_format="ICAL",
                media_type="text/calendar",
                description="Termine ab 30 Tagen vor heute; ?district=<Nummer> und ?topic=<Thema> wählen einen Teil.",
            ),
        ),
    )
