"""What participation publishes, for the open data catalogue (registered in ``ParticipationConfig.ready``).

One dataset with the daily dumps (every public process, its ideas and comments), and one per public process
with its ideas through the JSON API.
"""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.core import catalogue
from konzeptk.participation.dumps import DATASETS, FORMATS
from konzeptk.participation.models import Process

_MEDIA = {"csv": ("CSV", "text/csv"), "json": ("JSON", "application/json")}


def entries() -> Iterator[catalogue.Entry]:
    yield catalogue.Entry(
        key="dumps",
        name="beteiligung-tagesabzug",
        title="Bürgerbeteiligung: Verfahren, Ideen und Kommentare (täglicher Abzug)",
        description=(
            "Jeden Tag ein vollständiger Abzug aller öffentlichen Beteiligungsverfahren mit ihren sichtbaren "
            "Ideen (Ort, Stadtbezirk, Unterstützungen, Antwort der Stadt) und Kommentaren. Ohne Namen oder "
            "Konten von Personen; Zahlen über Personen sind geschützt."
        ),
        themes=("GOVE", "SOCI"),
        keywords=("Bürgerbeteiligung", "Ideen", "Kommentare", "Partizipation"),
        frequency="DAILY",
        landing_page="/beteiligung/offene-daten/",
        distributions=tuple(
            catalogue.Distribution(
                key=f"{name}.{fmt}",
                title=f"{name}.{fmt}",
                access_url=f"/beteiligung/offene-daten/{name}.{fmt}",
                download_url=f"/beteiligung/offene-daten/{name}.{fmt}",
                file_format=_MEDIA[fmt][0],
                media_type=_MEDIA[fmt][1],
            )
            for name in DATASETS
            for fmt in FORMATS
        ),
    )
    for process in Process.objects.public().select_related("organiser").order_by("pk"):
        yield catalogue.Entry(
            key=f"process/{process.slug}",
            name=f"beteiligung-{process.slug}"[:100],
            title=f"Ideen aus dem Beteiligungsverfahren „{process.title}“",
            description=process.teaser or process.description or process.title,
            publisher_slug=process.organiser.slug,
            themes=("GOVE", "SOCI"),
            keywords=("Bürgerbeteiligung", "Ideen", process.title[:60]),
            frequency="CONT",
            temporal_start=process.created_at.date(),
            landing_page=process.get_absolute_url(),
            district_codes=tuple(process.districts.values_list("code", flat=True)),
            distributions=(
                catalogue.Distribution(
                    key="ideas-api",
                    title="Ideen über die JSON-API",
                    access_url=f"/api/v1/participation/processes/{process.slug}/ideas",
                    file_format="JSON",
                    media_type="application/json",
                    service=catalogue.PLATFORM_API,
                ),
            ),
        )
