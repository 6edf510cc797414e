"""What the city profile publishes, for the open data catalogue (registered in ``CityConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from konzeptk.city.models import DistrictLayer
from konzeptk.city.selectors import active_profile
from konzeptk.core import catalogue


def entries() -> Iterator[catalogue.Entry]:
    profile = active_profile()
    if profile is None:
        return
    for layer in DistrictLayer.objects.filter(profile=profile).order_by("pk"):
        yield catalogue.Entry(
            key=f"layer/{layer.slug}",
            name=f"gebiete-{layer.slug}"[:100],
            title=f"{profile.name}: {layer.name}",
            description=(layer.source or layer.name),
            themes=("REGI", "GOVE"),
            keywords=("Stadtbezirke", "Gebiete", "Geodaten", profile.name),
            frequency="IRREG",
            temporal_start=layer.valid_from,
            temporal_end=layer.valid_until,
            landing_page="/stadt/gebiete/",
            distributions=(
                catalogue.Distribution(
                    key="geojson",
                    title=f"{layer.name} als GeoJSON",
                    access_url=f"/api/v1/city/layers/{layer.slug}/districts",
                    download_url=f"/api/v1/city/layers/{layer.slug}/districts",
                    file_format="GEOJSON",
                    media_type="application/geo+json",
                    service=catalogue.PLATFORM_API,
                ),
            ),
        )
