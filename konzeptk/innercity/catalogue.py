"""What the inner city publishes, for the open data catalogue (registered in ``InnercityConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="vacancy",
        name="leerstand-innenstadt",
        title="Leerstand in der Innenstadt: Zählungen nach Straße und Stadtbezirk",
        description=(
            "Die Zählungen der leer stehenden Ladenlokale im Register der Innenstadtkoordination zu festen Stichtagen "
            "(z. B. zweimal im Jahr): Zahl der Ladenlokale, davon leer, Anteil und Median der Leerstandsdauer in Tagen, "
            "für die ganze Innenstadt, je Straße und je Stadtbezirk. Simulierte Zählungen der Demo sind gekennzeichnet."
        ),
        themes=("ECON", "REGI"),
        keywords=("Leerstand", "Innenstadt", "Einzelhandel", "Ladenlokale"),
        frequency="IRREG",
        landing_page="/innenstadt/leerstand/",
        distributions=(
            catalogue.Distribution(
                key="counts-csv",
                title="Leerstandszählungen (CSV)",
                access_url="/innenstadt/leerstand.csv",
                download_url="/innenstadt/leerstand.csv",
                file_format="CSV",
                media_type="text/csv",
            ),
        ),
    )
    yield catalogue.Entry(
        key="units",
        name="freie-ladenlokale-innenstadt",
        title="Freie Ladenlokale in der Innenstadt",
        description=(
            "Ladenlokale, die Eigentümerinnen, Eigentümer oder Makler zur Vermietung anbieten und deren Veröffentlichung "
            "sie zugestimmt haben: Adresse, Lage, Fläche, Schaufenster, Etage, stufenloser Zugang, Miete, mögliche Nutzungen. "
            "Ohne Namen und Kontaktdaten."
        ),
        themes=("ECON",),
        keywords=("Leerstand", "Ladenlokale", "Gewerbeflächen", "Innenstadt"),
        frequency="CONT",
        landing_page="/innenstadt/flaechen/",
        distributions=(
            catalogue.Distribution(
                key="units-csv",
                title="Freie Ladenlokale (CSV)",
                access_url="/innenstadt/flaechen.csv",
                download_url="/innenstadt/flaechen.csv",
                file_format="CSV",
                media_type="text/csv",
            ),
        ),
    )
