"""What resilience publishes for the open data catalogue (registered in ``ResilienceConfig.ready``).

The city's own alerts as the feeds that ``views.py`` serves: ``/warnungen/cap.xml`` (an Atom feed whose
entries link to one CAP 1.2 document per alert) and ``/warnungen/atom.xml`` (the current warnings).
The media types are the ones those addresses answer with (``feeds.ATOM_TYPE``); the file type is XML,
the EU file type both are written in.
"""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue
from konzeptk.resilience.feeds import ATOM_TYPE, CAP_TYPE

_ATOM = ATOM_TYPE.split(";", 1)[0]


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="warnings",
        name="warnungen-der-stadt",
        title="Warnungen der Stadt (CAP 1.2 und Atom)",
        description=(
            "Die Warnungen, die die Stadt selbst herausgibt, zum Beispiel bei Hitze oder Starkregen, "
            "wenn eigene Messstellen Grenzwerte überschreiten. Jede Warnung nennt die Gefahr, den Zeitraum, "
            "die betroffenen Stadtbezirke und was Sie tun können, in bis zu sechs Sprachen. "
            "Sie liegt im Common Alerting Protocol (CAP 1.2), dem Austauschformat für Warnungen, das "
            "auch der Deutsche Wetterdienst nutzt. Ein Atom-Feed verweist auf alle CAP-Dokumente der "
            "aktuellen Warnungen und der letzten 30 Tage. Ein zweiter Atom-Feed nennt die Warnungen, die "
            "gerade gelten, mit Link zur Seite der Warnung; er enthält auch die amtlichen Warnungen des "
            "Deutschen Wetterdienstes und der Warn-App NINA, für die die Bedingungen ihrer Herausgeber gelten."
        ),
        themes=("JUST", "ENVI", "HEAL"),
        keywords=("Warnungen", "Bevölkerungsschutz", "CAP", "Hitze", "Starkregen", "Hochwasser", "Atom"),
        licence="dl-by-de/2.0",
        frequency="CONT",
        landing_page="/warnungen/",
        distributions=(
            catalogue.Distribution(
                key="warnings-cap",
                title="Warnungen der Stadt als CAP 1.2 (Atom-Feed mit Verweisen)",
                access_url="/warnungen/cap.xml",
                download_url="/warnungen/cap.xml",
                file_format="XML",
                media_type=_ATOM,
                description=(
                    f"Ein Eintrag je Warnung der Stadt (aktuelle und der letzten 30 Tage, höchstens 100); jeder "
                    f"verweist auf das CAP-1.2-Dokument der Warnung ({CAP_TYPE}, /warnungen/<Nummer>.cap.xml)."
                ),
            ),
            catalogue.Distribution(
                key="warnings-atom",
                title="Aktuelle Warnungen (Atom-Feed)",
                access_url="/warnungen/atom.xml",
                download_url="/warnungen/atom.xml",
                file_format="XML",
                media_type=_ATOM,
                description=(
                    "Die Warnungen, die gerade gelten: die der Stadt und die amtlichen Warnungen von DWD und "
                    "NINA, jede mit Link zu ihrer Seite."
                ),
            ),
        ),
    )
