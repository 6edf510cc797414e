"""What the strategy publishes, for the open data catalogue (registered in ``StrategyConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue
from konzeptk.strategy.models import Indicator


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="projects",
        name="smart-city-projekte",
        title="Projekte und Piloten der Smart-City-Strategie",
        description=(
            "Alle veröffentlichten Projekte und Piloten der Smart-City-Strategie mit Handlungsfeld, Phase, "
            "Verantwortlichen und Ort – dieselben Angaben wie auf den Projektseiten."
        ),
        themes=("GOVE", "REGI"),
        keywords=("Smart City", "Strategie", "Projekte", "Handlungsprogramm"),
        frequency="IRREG",
        landing_page="/strategie/projekte/",
        distributions=(
            catalogue.Distribution(
                key="csv",
                title="Projekte als CSV",
                access_url="/strategie/projekte.csv",
                download_url="/strategie/projekte.csv",
                file_format="CSV",
                media_type="text/csv",
            ),
            catalogue.Distribution(
                key="api",
                title="Projekte über die JSON-API",
                access_url="/api/v1/strategy/projects",
                file_format="JSON",
                media_type="application/json",
                service=catalogue.PLATFORM_API,
            ),
        ),
    )
    indicators = list(Indicator.objects.filter(published=True).order_by("slug").values_list("slug", "name"))
    yield catalogue.Entry(
        key="indicators",
        name="smart-city-indikatoren",
        title="Indikatoren der Smart-City-Strategie mit ihren Werten",
        description=(
            "Die Kennzahlen, an denen die Strategie ihren Fortschritt misst, mit Zielwerten und allen "
            "gemessenen Werten. Einige Werte kommen laufend aus den Sensordaten der Stadt."
        ),
        themes=("GOVE", "REGI"),
        keywords=("Smart City", "Indikatoren", "Kennzahlen", "Monitoring"),
        frequency="DAILY",
        landing_page="/strategie/indikatoren/",
        distributions=(
            catalogue.Distribution(
                key="all",
                title="Alle Werte als CSV",
                access_url="/strategie/indikatoren/werte.csv",
                download_url="/strategie/indikatoren/werte.csv",
                file_format="CSV",
                media_type="text/csv",
            ),
            *(
                catalogue.Distribution(
                    key=f"indicator-{slug}",
                    title=f"Werte: {name}",
                    access_url=f"/strategie/indikatoren/{slug}/werte.csv",
                    download_url=f"/strategie/indikatoren/{slug}/werte.csv",
                    file_format="CSV",
                    media_type="text/csv",
                )
                for slug, name in indicators
            ),
        ),
    )
