"""What the education network publishes for the open data catalogue (registered in ``EducationConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue

MOOCHUB = catalogue.Service(
    key="education-moochub",
    title="MOOChub-Schnittstelle der Bildungsangebote",
    endpoint_url="/bildung/api/moochub/courses",
    endpoint_description="https://github.com/MOOChub/schema",
    conforms_to="https://github.com/moochub/schema/releases/tag/v3.0",
    description="JSON:API nach MOOChub v3, seitenweise mit page[number] und page[size] (höchstens 100).",
)


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="education-offers",
        name="bildungsangebote",
        title="Digitale Bildungsangebote in Krefeld",
        description=(
            "Die veröffentlichten Lernangebote der Anbieter im Bildungsnetz: Kurse, Einzelveranstaltungen, "
            "offene Lernorte, Geräte zum Ausleihen und Online-Material, mit Zielgruppe (Alter, Sprachen, "
            "Vorkenntnisse), Kompetenzen aus DigComp 2.2, Barrierefreiheit, Kosten, Ort mit Stadtbezirk und "
            "Terminen. Ohne Angaben zu Personen und Anmeldungen. Als CSV in der dokumentierten Spaltenfolge, "
            "die sich auch wieder importieren lässt, über die MOOChub-Schnittstelle und als Kalender (iCalendar)."
        ),
        themes=("EDUC",),
        keywords=("Bildung", "Digitale Kompetenzen", "DigComp", "Kurse", "Weiterbildung", "MOOChub"),
        licence="dl-zero-de/2.0",
        frequency="DAILY",
        landing_page="/bildung/",
        distributions=(
            catalogue.Distribution(
                key="education-offers-csv",
                title="Bildungsangebote (CSV)",
                access_url="/bildung/angebote.csv",
                download_url="/bildung/angebote.csv",
                file_format="CSV",
                media_type="text/csv",
                description="Eine Zeile je Angebot; die Spalten beschreibt die Dokumentation des Bildungsnetzes.",
            ),
            catalogue.Distribution(
                key="education-offers-moochub",
                title="Bildungsangebote (MOOChub v3, JSON:API)",
                access_url="/bildung/api/moochub/courses",
                file_format="JSON",
                media_type="application/vnd.api+json",
                service=MOOCHUB,
            ),
            catalogue.Distribution(
                key="education-sessions-ics",
                title="Termine der Bildungsangebote (iCalendar)",
                access_url="/bildung/kalender.ics",
                download_url="/bildung/kalender.ics",
                file_format="ICAL",
                media_type="text/calendar",
                description="Termine der kommenden sechs Monate; ?area=<DigComp-Bereich 1–5> und ?district=<Nummer> wählen einen Teil.",
            ),
        ),
    )
