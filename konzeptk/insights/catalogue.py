"""What insights publishes, for the open data catalogue (registered in ``InsightsConfig.ready``).

The representation aggregates – who takes part compared with who lives here – already passed the one
disclosure control; the catalogue only points at them.
"""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="representation",
        name="beteiligung-repraesentativitaet",
        title="Wer sich beteiligt: Beteiligte im Vergleich zur Bevölkerung",
        description=(
            "Beteiligte an allen Verfahren im Vergleich zur Bevölkerung nach Stadtbezirk, Altersgruppe und "
            "Geschlecht, mit täglichen Ständen. Jede Zahl über Personen ist durch das Zufallsrundungs-"
            "verfahren des Zensus 2022 (Cell-Key-Methode) geschützt: kleine Zahlen erscheinen nie genau."
        ),
        themes=("SOCI", "GOVE"),
        keywords=("Repräsentativität", "Bürgerbeteiligung", "Inklusion", "Statistik"),
        frequency="DAILY",
        landing_page="/auswertung/",
        distributions=(
            catalogue.Distribution(
                key="platform",
                title="Ganze Plattform (JSON)",
                access_url="/api/v1/insights/representation",
                download_url="/api/v1/insights/representation",
                file_format="JSON",
                media_type="application/json",
                service=catalogue.PLATFORM_API,
            ),
        ),
    )
