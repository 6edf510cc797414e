"""What economy publishes for the open data catalogue (registered in ``EconomyConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="businesses",
        name="lokale-geschaefte",
        title="Lokale Geschäfte und Betriebe (Schatzkarte)",
        description=(
            "Die veröffentlichten Einträge der Schatzkarte: Name, Branche, Adresse, Lage, stufenloser Eingang, "
            "Öffnungszeiten in der Schreibweise von OpenStreetMap und ob das Geschäft gerade geöffnet ist – "
            "ohne Angaben zu den Personen, die die Einträge pflegen."
        ),
        themes=("ECON",),
        keywords=("Einzelhandel", "Geschäfte", "Öffnungszeiten", "Innenstadt", "Schatzkarte"),
        frequency="CONT",
        landing_page="/innenstadt/geschaefte/",
        distributions=(
            catalogue.Distribution(
                key="businesses-geojson",
                title="Geschäfte (GeoJSON)",
                access_url="/innenstadt/geschaefte/karte.geojson",
                download_url="/innenstadt/geschaefte/karte.geojson",
                file_format="GEOJSON",
                media_type="application/geo+json",
            ),
        ),
    )
