"""Datastream ``observedArea``: the bounding box of the FeaturesOfInterest of its Observations (STA 1.1 §8.2.4,
"the spatial bounding box of the spatial extent of all FeaturesOfInterest that belong to the Observations
associated with this Datastream"), as GeoJSON – a Polygon, or a Point while all features are one point.

Kept current on write without a statement per observation: every write path hands :func:`note` the
(datastream, feature) pairs it stored. A pair this process has already accounted for (after its transaction
committed) costs nothing. For a new pair one query reads the datastream's box and the features' geometries, and
only a box that grows is written (one UPDATE per datastream, guarded by the old value, so two writers widening the
same box at once cannot lose each other's corner). A feature whose geometry is changed later widens the box on
:func:`rebuild` (migration 0004 runs it once) – a changed feature is not shrunk out of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

Box = tuple[float, float, float, float]  # min x, min y, max x, max y
MAX_KNOWN = 200_000  # pairs remembered per process (cleared when full)
_known: set[tuple[int, int]] = set()


def bounds(geometry: Any) -> Box | None:
    """The bounding box of a GeoJSON geometry (or Feature); None for anything that is not one."""
    from shapely.geometry import shape

    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict):
        return None
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None
    if geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    return (float(minx), float(miny), float(maxx), float(maxy))


def union(first: Box | None, second: Box | None) -> Box | None:
    if first is None:
        return second
    if second is None:
        return first
    return (
        min(first[0], second[0]),
        min(first[1], second[1]),
        max(first[2], second[2]),
        max(first[3], second[3]),
    )


def as_geojson(box: Box) -> dict[str, Any]:
    minx, miny, maxx, maxy = box
    if minx == maxx and miny == maxy:
        return {"type": "Point", "coordinates": [minx, miny]}
    ring = [[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]
    return {"type": "Polygon", "coordinates": [ring]}


def note(pairs: Iterable[tuple[int, int | None]]) -> None:
    """Widen the observedArea of the datastreams by the features of newly stored observations."""
    from konzeptk.sensing import models as m

    new = {(ds, foi) for ds, foi in pairs if foi is not None and (ds, foi) not in _known}
    if not new:
        return
    datastreams = sorted({ds for ds, _foi in new})  # id order: concurrent writers lock rows alike
    features = dict(
        m.FeatureOfInterest.objects.filter(pk__in={foi for _ds, foi in new}).values_list("pk", "feature")
    )
    areas = dict(m.Datastream.objects.filter(pk__in=datastreams).values_list("pk", "observed_area"))
    for ds in datastreams:
        if ds not in areas:
            continue
        old = areas[ds]
        box = bounds(old)
        for ds_id, foi in new:
            if ds_id == ds:
                box = union(box, bounds(features.get(foi)))
        if box is None or box == bounds(old):
            continue
        _widen(ds, old, box)

    def remember() -> None:
        if len(_known) > MAX_KNOWN:
            _known.clear()
        _known.update((ds, foi) for ds, foi in new if foi is not None)

    transaction.on_commit(remember)


def _widen(datastream_id: int, old: Any, box: Box) -> None:
    from konzeptk.sensing import models as m

    for _attempt in range(5):
        qs = m.Datastream.objects.filter(pk=datastream_id)
        qs = qs.filter(observed_area__isnull=True) if old is None else qs.filter(observed_area=old)
        if qs.update(observed_area=as_geojson(box)):
            return
        current = (
            m.Datastream.objects.filter(pk=datastream_id).values_list("observed_area", flat=True).first()
        )
        merged = union(bounds(current), box)
        if merged is None or merged == bounds(current):
            return
        old, box = current, merged


def is_known(datastream_id: int, feature_id: int) -> bool:
    """True when this process has already accounted for the pair (:func:`note` would cost nothing)."""
    return (datastream_id, feature_id) in _known


def forget_cache() -> None:
    _known.clear()


def rebuild(
    *,
    datastream_model: type[models.Model] | None = None,
    observation_model: type[models.Model] | None = None,
    feature_model: type[models.Model] | None = None,
) -> int:
    """Recompute every datastream's observedArea from its observations' features; returns how many changed.
    (Also used by migration 0004 with the historical models.)"""
    from konzeptk.sensing import models as m

    datastream_model = datastream_model or m.Datastream
    observation_model = observation_model or m.Observation
    feature_model = feature_model or m.FeatureOfInterest
    pairs = (
        observation_model._default_manager.exclude(feature_of_interest__isnull=True)
        .order_by()
        .values_list("datastream_id", "feature_of_interest_id")
        .distinct()
    )
    per_ds: dict[int, set[int]] = {}
    for ds, foi in pairs:
        per_ds.setdefault(ds, set()).add(foi)
    features = dict(
        feature_model._default_manager.filter(
            pk__in={f for fois in per_ds.values() for f in fois}
        ).values_list("pk", "feature")
    )
    changed = 0
    for ds, fois in per_ds.items():
        box: Box | None = None
        for foi in fois:
            box = union(box, bounds(features.get(foi)))
        if box is not None:
            changed += datastream_model._default_manager.filter(pk=ds).update(observed_area=as_geojson(box))
    return changed
