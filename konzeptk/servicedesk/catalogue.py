"""What the Mängelmelder publishes, for the open data catalogue (registered in ``ServicedeskConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue

OPEN311 = catalogue.Service(
    key="open311",
    title="Open311 GeoReport v2",
    endpoint_url="/georeport/v2/",
    endpoint_description="/georeport/v2/discovery.json",
    conforms_to="http://wiki.open311.org/GeoReport_v2/",
    description="Meldungen des Mängelmelders lesen und schreiben nach dem Standard Open311 GeoReport v2.",
)


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="requests",
        name="maengelmelder-meldungen",
        title="Mängelmelder: gemeldete Mängel und ihr Bearbeitungsstand",
        description=(
            "Alle veröffentlichten Meldungen des Mängelmelders (Schlaglöcher, defekte Beleuchtung, wilder Müll …) "
            "mit Kategorie, Ort, Stand und Antwort der Verwaltung – ohne Angaben zu den meldenden Personen."
        ),
        themes=("GOVE", "TRAN"),
        keywords=("Mängelmelder", "Open311", "Meldungen", "Straßen"),
        frequency="CONT",
        landing_page="/maengel/",
        distributions=(
            catalogue.Distribution(
                key="requests-json",
                title="Meldungen (Open311, JSON)",
                access_url="/georeport/v2/requests.json",
                download_url="/georeport/v2/requests.json",
                file_format="JSON",
                media_type="application/json",
                service=OPEN311,
            ),
            catalogue.Distribution(
                key="requests-xml",
                title="Meldungen (Open311, XML)",
                access_url="/georeport/v2/requests.xml",
                download_url="/georeport/v2/requests.xml",
                file_format="XML",
                media_type="application/xml",
                service=OPEN311,
            ),
            catalogue.Distribution(
                key="requests-csv",
                title="Meldungen (CSV)",
                access_url="/maengel/meldungen.csv",
                download_url="/maengel/meldungen.csv",
                file_format="CSV",
                media_type="text/csv",
            ),
            catalogue.Distribution(
                key="map-json",
                title="Meldungen für Karten (JSON)",
                access_url="/maengel/karte.json",
                download_url="/maengel/karte.json",
                file_format="JSON",
                media_type="application/json",
            ),
        ),
    )
