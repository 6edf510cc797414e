"""What climate publishes for the open data catalogue (registered in ``ClimateConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue


def _csv(key: str, title: str, url: str) -> catalogue.Distribution:
    return catalogue.Distribution(
        key=key, title=title, access_url=url, download_url=url, file_format="CSV", media_type="text/csv"
    )


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="emissions",
        name="treibhausgasbilanz",
        title="Treibhausgasbilanz der Stadt nach Sektor und Jahr",
        description=(
            "Die Emissionen der Stadt in Tonnen CO₂-Äquivalenten je Jahr und Sektor (private Haushalte, Industrie, "
            "Gewerbe/Handel/Dienstleistungen, Verkehr, kommunale Einrichtungen), die Einwohnerzahl, die Emissionen "
            "je Einwohner:in und der Wert des Reduktionspfads zur Klimaneutralität 2035. Jede Zeile nennt Quelle "
            "und Lizenz; simulierte Beispielwerte sind in der Spalte „simuliert“ gekennzeichnet."
        ),
        themes=("ENVI", "ENER"),
        keywords=("Klimaschutz", "Treibhausgase", "CO2", "Klimaneutralität", "KrefeldKlimaNeutral 2035"),
        frequency="ANNUAL",
        landing_page="/klima/",
        distributions=(_csv("emissions-csv", "Treibhausgasbilanz (CSV)", "/klima/treibhausgase.csv"),),
    )
    yield catalogue.Entry(
        key="solar",
        name="photovoltaik-ausbau",
        title="Ausbau der Photovoltaik (aus dem Marktstammdatenregister)",
        description=(
            "Installierte Photovoltaik-Leistung der Stadt je Jahr (Zubau, Stilllegung, Bestand am Jahresende) und je "
            "Stadtbezirk, zusammengefasst aus den Einheiten des Marktstammdatenregisters der Bundesnetzagentur "
            "(Datenlizenz Deutschland – Namensnennung – Version 2.0)."
        ),
        themes=("ENER", "ENVI"),
        keywords=("Photovoltaik", "Solar", "Energiewende", "Marktstammdatenregister"),
        frequency="MONTHLY",
        landing_page="/klima/#photovoltaik",
        distributions=(
            _csv("solar-years-csv", "Photovoltaik je Jahr (CSV)", "/klima/photovoltaik.csv"),
            _csv(
                "solar-districts-csv", "Photovoltaik je Stadtbezirk (CSV)", "/klima/photovoltaik-bezirke.csv"
            ),
        ),
    )
    yield catalogue.Entry(
        key="charging",
        name="ladepunkte-elektromobilitaet",
        title="Öffentliche Ladepunkte für Elektrofahrzeuge",
        description=(
            "Die öffentlichen Ladeeinrichtungen der Stadt aus dem Ladesäulenregister der Bundesnetzagentur (CC BY 4.0): "
            "Betreiber, Adresse, Lage, Stadtbezirk, Inbetriebnahme, Nennleistung und Zahl der Ladepunkte."
        ),
        themes=("TRAN", "ENER"),
        keywords=("Elektromobilität", "Ladesäulen", "Ladepunkte", "Verkehrswende"),
        licence="cc-by/4.0",
        frequency="MONTHLY",
        landing_page="/klima/#ladepunkte",
        distributions=(_csv("charging-csv", "Ladeeinrichtungen (CSV)", "/klima/ladepunkte.csv"),),
    )
    yield catalogue.Entry(
        key="modal-split",
        name="modal-split",
        title="Modal Split: Anteile der Verkehrsmittel an allen Wegen",
        description=(
            "Anteile von Fuß, Rad, Bus und Bahn sowie Auto an allen Wegen je Erhebungsjahr, mit dem Anteil des "
            "Umweltverbunds und der Quelle jeder Zahl."
        ),
        themes=("TRAN",),
        keywords=("Modal Split", "Mobilität", "Umweltverbund", "Verkehrswende"),
        landing_page="/klima/#modal-split",
        distributions=(_csv("modal-split-csv", "Modal Split (CSV)", "/klima/modal-split.csv"),),
    )
