"""What the urban data platform publishes, for the open data catalogue (registered in ``SensingConfig.ready``).

Each Thing is a dataset; each of its Datastreams is a distribution reached through the SensorThings API,
which the catalogue describes as a ``dcat:DataService``.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Max, Min
from django.utils.text import slugify

from konzeptk.core import catalogue
from konzeptk.sensing.models import Thing

STA = catalogue.Service(
    key="sensorthings",
    title="OGC SensorThings API 1.1",
    endpoint_url="/sta/v1.1/",
    endpoint_description="/sta/v1.1/",
    conforms_to="http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    description="Messwerte aller Sensoren der Stadt nach dem OGC-Standard SensorThings API, mit MQTT.",
)


def entries() -> Iterator[catalogue.Entry]:
    things = (
        Thing.objects.select_related("organisation")
        .prefetch_related("datastreams")
        .annotate(
            first=Min("datastreams__phenomenon_time_start"), last=Max("datastreams__phenomenon_time_end")
        )
        .order_by("pk")
    )
    for thing in things:
        streams = sorted(thing.datastreams.all(), key=lambda d: d.pk)
        if not streams:
            continue
        yield catalogue.Entry(
            key=f"thing/{thing.pk}",
            name=f"sensor-{slugify(thing.name)[:80]}-{thing.pk}",
            title=f"Messwerte: {thing.name}",
            description=thing.description or thing.name,
            publisher_slug=thing.organisation.slug if thing.organisation else "",
            themes=("ENVI", "TECH"),
            keywords=("Sensoren", "Messwerte", "Echtzeit", *(d.name[:60] for d in streams[:5])),
            frequency="CONT",
            temporal_start=thing.first.date() if thing.first else None,
            landing_page=f"/sta/v1.1/Things({thing.pk})",
            distributions=tuple(
                catalogue.Distribution(
                    key=f"datastream-{d.pk}",
                    title=d.name,
                    description=d.description,
                    access_url=f"/sta/v1.1/Datastreams({d.pk})/Observations",
                    file_format="JSON",
                    media_type="application/json",
                    service=STA,
                )
                for d in streams
            ),
        )
