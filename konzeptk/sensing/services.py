"""Writes of the urban data platform: SensorThings create/update/delete, bulk observations, tokens.

Every function is keyword-only and runs in one transaction: a request either stores everything it
reports as stored, or nothing. Only ``observations_create_bulk`` reports per row, as the
dataArray extension demands: bad rows are answered with an error, good rows are stored.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation
from konzeptk.sensing import ingest_hook_registry, observed_area, partitions, rollups, writecache
from konzeptk.sensing import models as m
from konzeptk.sensing.errors import StaError
from konzeptk.sensing.mqtt_publish import Change
from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.sta.schema import ENTITY_TYPES, PUT_MANDATORY, EntityType, Nav, Prop
from konzeptk.sensing.sta.serialize import serialize_plain
from konzeptk.sensing.storage import Row, _sqlite_datetime
from konzeptk.sensing.timeutil import check_storable, parse_time_value

REQUIRED_NAVS = {
    "Datastream": ("Thing", "Sensor", "ObservedProperty"),
    "Observation": ("Datastream",),
    "HistoricalLocation": ("Thing",),
}
IGNORED_SUFFIXES = ("@iot.navigationLink", "@iot.selfLink")
MAX_DEEP_INSERT = 10_000  # entities per request
MAX_ACTIVE_TOKENS = 50  # valid API tokens per organisation


@dataclass
class Writer:
    """Who writes: the organisation of the API token, or anybody in open-write (conformance) mode."""

    organisation: Organisation | None
    open_write: bool = False

    def check_orgs(self, org_ids: Iterable[int | None]) -> None:
        if self.open_write:
            return
        own = self.organisation.pk if self.organisation else None
        for org_id in org_ids:
            if org_id != own:
                raise StaError(
                    403, "Dieser API-Schlüssel darf Entitäten einer anderen Organisation nicht ändern."
                )


@dataclass
class _Context:
    writer: Writer
    count: int = 0
    observations: list[m.Observation] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    def tick(self) -> None:
        self.count += 1
        if self.count > MAX_DEEP_INSERT:
            raise StaError(400, f"Zu viele Entitäten in einer Anfrage (höchstens {MAX_DEEP_INSERT}).")


# --- ownership ------------------------------------------------------------------------------
def owner_org_ids(entity: EntityType, obj: models.Model) -> set[int | None]:
    """Organisations of the Things an entity belongs to or is used by."""
    things = m.Thing.objects.none()
    name = entity.name
    if name == "Thing":
        return {obj.organisation_id}  # type: ignore[attr-defined]
    if name in ("Datastream", "HistoricalLocation"):
        things = m.Thing.objects.filter(pk=obj.thing_id)  # type: ignore[attr-defined]
    elif name == "Observation":
        things = m.Thing.objects.filter(datastreams=obj.datastream_id)  # type: ignore[attr-defined]
    elif name == "Location":
        things = m.Thing.objects.filter(locations=obj.pk)
    elif name == "Sensor":
        things = m.Thing.objects.filter(datastreams__sensor=obj.pk)
    elif name == "ObservedProperty":
        things = m.Thing.objects.filter(datastreams__observed_property=obj.pk)
    elif name == "FeatureOfInterest":
        things = m.Thing.objects.filter(datastreams__observations__feature_of_interest=obj.pk)
    return set(things.values_list("organisation_id", flat=True).distinct()[:50])


# --- values ---------------------------------------------------------------------------------
def _convert(entity: EntityType, name: str, prop: Prop, value: Any) -> dict[str, Any]:
    """The model attributes for one STA property value."""
    what = f"{entity.name}.{name}"
    if prop.kind == "string":
        if value is None and not prop.required:
            return {prop.field: ""}
        if name == "metadata" and not isinstance(value, str):
            value = json.dumps(value)
        if not isinstance(value, str):
            raise ParseError(f"{what} muss eine Zeichenkette sein")
        max_length = getattr(entity.model._meta.get_field(prop.field), "max_length", None)
        if max_length and len(value) > max_length:
            raise ParseError(f"{what} ist zu lang (höchstens {max_length} Zeichen)")
        return {prop.field: value}
    if prop.kind == "json":
        if (
            value is not None
            and name in ("properties", "unitOfMeasurement", "parameters")
            and not isinstance(value, dict)
        ):
            raise ParseError(f"{what} muss ein JSON-Objekt sein")
        if name == "unitOfMeasurement" and value is None:
            raise ParseError(f"{what} fehlt")
        return {prop.field: value}
    if prop.kind == "geo":
        if value is None and not prop.required:
            return {prop.field: None}
        if not isinstance(value, dict) or not isinstance(value.get("type"), str):
            raise ParseError(f"{what} muss ein GeoJSON-Objekt mit 'type' sein")
        return {prop.field: value}
    if prop.kind == "datetime":
        if value is None and not prop.required:
            result = {prop.field: None}
            if prop.end_field:
                result[prop.end_field] = None
            return result
        start, end = parse_time_value(value, what)
        if entity.name == "Observation" and name == "phenomenonTime":
            check_storable(start, what)
        if prop.end_field:
            return {prop.field: start, prop.end_field: end}
        if end is not None:
            raise ParseError(f"{what} muss ein Zeitpunkt sein, kein Intervall")
        return {prop.field: start}
    if prop.kind == "result":
        return _result_fields(value)
    return {}


def _result_fields(value: Any) -> dict[str, Any]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            raise ParseError("result ist zu groß") from None
        if not math.isfinite(number):
            raise ParseError("result muss eine endliche Zahl sein (NaN und Unendlich sind kein JSON)")
        return {"result_number": number, "result_json": None}
    return {"result_number": None, "result_json": value}


def _split_payload(entity: EntityType, data: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    if not isinstance(data, dict):
        raise ParseError(f"{entity.name} muss als JSON-Objekt übergeben werden")
    props: dict[str, Any] = {}
    navs: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("@iot.id", "id") or key.endswith(IGNORED_SUFFIXES):
            continue
        if key in entity.navs:
            navs[key] = value
        elif key in entity.props:
            props[key] = value
        else:
            raise ParseError(f"{entity.name} hat keine Eigenschaft {key!r}")
    return props, navs


def _linked_id(data: dict[str, Any]) -> int | None:
    if "@iot.id" not in data:
        return None
    raw = data["@iot.id"]
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise ParseError("@iot.id muss eine ganze Zahl sein")
    return int(raw)


def _update_link(nav_name: str, value: Any) -> int:
    linked = _linked_id(value) if isinstance(value, dict) else None
    if linked is None:
        raise ParseError(f"{nav_name}: beim Ändern nur Verknüpfungen mit @iot.id, keine neuen Entitäten")
    return linked


def _get(entity: EntityType, pk: int) -> models.Model:
    try:
        return entity.model._default_manager.get(pk=pk)
    except entity.model.DoesNotExist:  # type: ignore[attr-defined]
        raise StaError(400, f"{entity.name} mit @iot.id {pk} gibt es nicht.") from None


def _child_nav(entity: EntityType, nav: Nav) -> tuple[EntityType, str, Nav]:
    child = ENTITY_TYPES[nav.target]
    for name, candidate in child.navs.items():
        if candidate.field == nav.reverse:
            return child, name, candidate
    raise StaError(500, "Schema inconsistent")  # pragma: no cover


# --- create ---------------------------------------------------------------------------------
def _create_or_link(
    entity: EntityType, data: Any, ctx: _Context, forced: dict[str, models.Model]
) -> models.Model:
    ctx.tick()
    if isinstance(data, dict):
        linked = _linked_id(data)
        if linked is not None:
            return _get(entity, linked)
    props, navs = _split_payload(entity, data)
    attrs: dict[str, Any] = {}
    for name, prop in entity.props.items():
        if prop.kind == "id":
            continue
        if name in props:
            attrs.update(_convert(entity, name, prop, props[name]))
        elif prop.required:
            raise ParseError(f"{entity.name}: Pflichtangabe {name!r} fehlt")
    if entity.name == "Observation" and "phenomenon_time_start" not in attrs:
        attrs["phenomenon_time_start"] = timezone.now()
    # to-one navigation properties: from the URL (forced) or from the payload
    for nav_name, nav in entity.navs.items():
        if nav.many:
            continue
        target = ENTITY_TYPES[nav.target]
        if nav_name in forced:
            attrs[nav.field] = forced[nav_name]
            if nav_name in navs:
                raise ParseError(f"{nav_name} ist schon durch den Pfad festgelegt")
        elif nav_name == "Datastream" and entity.name == "Observation" and _is_link(navs[nav_name]):
            ctx.tick()
            attrs[nav.field] = _datastream_ref(_linked_id(navs[nav_name]))  # type: ignore[arg-type]
        elif nav_name in navs:
            attrs[nav.field] = _create_or_link(target, navs[nav_name], ctx, {})
        elif nav_name in REQUIRED_NAVS.get(entity.name, ()):
            raise ParseError(f"{entity.name}: {nav_name} fehlt")
    if entity.name == "Thing":
        attrs["organisation"] = ctx.writer.organisation
    if entity.name in ("Datastream", "HistoricalLocation"):
        ctx.writer.check_orgs([attrs["thing"].organisation_id])
    if entity.name == "Observation":
        info = getattr(attrs["datastream"], "_write_info", None) or _stream_info(attrs["datastream"].pk)
        ctx.writer.check_orgs([info.organisation_id])
        if attrs.get("feature_of_interest") is None:
            attrs.pop("feature_of_interest", None)
            attrs["feature_of_interest_id"] = feature_id_for(info.thing_id)
    obj = entity.model(**attrs)
    obj.save()
    ctx.changed.append((entity.name, obj))
    if isinstance(obj, m.Observation):
        ctx.observations.append(obj)
    # to-many navigation properties
    for nav_name, value in navs.items():
        nav = entity.navs[nav_name]
        if not nav.many:
            continue
        if not isinstance(value, list):
            raise ParseError(f"{entity.name}.{nav_name} muss eine Liste sein")
        child_entity, back_name, back = _child_nav(entity, nav)
        children = []
        for item in value:
            if back.many:
                children.append(_create_or_link(child_entity, item, ctx, {}))
            else:
                if isinstance(item, dict) and _linked_id(item) is not None:
                    raise ParseError(f"{nav_name}: vorhandene Entitäten lassen sich hier nicht verknüpfen")
                children.append(_create_or_link(child_entity, item, ctx, {back_name: obj}))
        if back.many:
            getattr(obj, nav.field).add(*children)
            if entity.name == "Thing" and nav_name == "Locations" and children:
                _historical_location(obj, children, ctx)  # type: ignore[arg-type]
            if entity.name == "Location" and nav_name == "Things":
                for thing in children:
                    ctx.writer.check_orgs([thing.organisation_id])  # type: ignore[attr-defined]
                    _historical_location(thing, [obj], ctx)  # type: ignore[arg-type, list-item]
    return obj


def _historical_location(thing: m.Thing, locations: list[m.Location], ctx: _Context) -> None:
    historical = m.HistoricalLocation.objects.create(thing=thing, time=timezone.now())
    historical.locations.add(*locations)
    ctx.changed.append(("HistoricalLocation", historical))


def _feature_for(datastream: m.Datastream) -> m.FeatureOfInterest:
    """The FeatureOfInterest generated from the Thing's Location (STA 1.1 §8.2.7.1)."""
    return m.FeatureOfInterest.objects.get(pk=feature_id_for(datastream.thing_id))


def feature_id_for(thing_id: int) -> int:
    """Id of the FeatureOfInterest generated from the Thing's (first) Location; cached (``writecache``).

    Writers that race for it meet on the unique ``generated_from``: ``get_or_create`` inserts in a savepoint,
    and the loser of the race reads the winner's row after the unique violation.
    """
    cached = writecache.feature_id(thing_id)
    if cached is not None:
        return cached
    location = m.Location.objects.filter(things=thing_id).order_by("pk").first()
    if location is None:
        raise ParseError("Observation ohne FeatureOfInterest, und das Thing hat keine Location")
    feature, _created = m.FeatureOfInterest.objects.get_or_create(
        generated_from=location,
        defaults={
            "name": location.name,
            "description": location.description,
            "encoding_type": location.encoding_type,
            "feature": location.location,
        },
    )
    writecache.remember_feature(thing_id, feature.pk)
    return feature.pk


def _is_link(data: Any) -> bool:
    return isinstance(data, dict) and _linked_id(data) is not None


def _stream_info(datastream_id: int) -> writecache.StreamInfo:
    info = writecache.stream(datastream_id)
    if info is None:
        raise StaError(400, f"Datastream mit @iot.id {datastream_id} gibt es nicht.")
    return info


def _datastream_ref(datastream_id: int) -> m.Datastream:
    """A Datastream to link to, from the cache: only its id and Thing are set (no query on a cache hit)."""
    info = _stream_info(datastream_id)
    datastream = m.Datastream(pk=datastream_id, thing_id=info.thing_id)
    datastream._state.adding = False
    datastream._state.db = "default"
    datastream._write_info = info  # type: ignore[attr-defined]  # read once per request, not again
    return datastream


def _add_to_rollups(observations: Sequence[m.Observation]) -> None:
    """Roll-ups of observations saved as models (storage.insert_rows adds its rows itself): one upsert."""
    rollups.add_rows((o.datastream_id, o.phenomenon_time_start, o.result_number) for o in observations)


def _extend_datastream_times(observations: Sequence[m.Observation | Row]) -> None:
    """Widen the Datastreams' phenomenon and result times (roll-ups are the caller's: ``_add_to_rollups``,
    ``storage.insert_rows`` or ``rollups.refresh``; always before this, so every writer takes the roll-up
    lock before the Datastream row)."""
    observed_area.note(  # rows: storage.insert_rows did it; no query for pairs this process knows
        {(o.datastream_id, o.feature_of_interest_id) for o in observations if isinstance(o, m.Observation)}
    )
    groups: dict[int, list[m.Observation | Row]] = {}
    for obs in observations:
        groups.setdefault(obs.datastream_id, []).append(obs)
    spans: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    result_spans: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    results: dict[int, tuple[float, float]] = {}
    for ds_id, group in groups.items():
        spans[ds_id] = (
            min(o.phenomenon_time_start for o in group),
            max(o.phenomenon_time_end or o.phenomenon_time_start for o in group),
        )
        result_times = [o.result_time for o in group if o.result_time is not None]
        if result_times:
            result_spans[ds_id] = (min(result_times), max(result_times))
        numbers = [o.result_number for o in group if o.result_number is not None]
        if numbers:
            results[ds_id] = (float(min(numbers)), float(max(numbers)))
    ingest_hook_registry.observations_written(spans, results)  # once per request or batch, after the commit
    # plain SQL: building the ORM expressions cost about a millisecond per single write
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    value = (lambda t: t) if connection.vendor == "postgresql" else _sqlite_datetime
    with connection.cursor() as cursor:
        for ds_id, (start, end) in sorted(spans.items()):  # in id order: concurrent writers lock rows alike
            bounds = [("phenomenon_time_start", least, start), ("phenomenon_time_end", greatest, end)]
            if ds_id in result_spans:
                r_start, r_end = result_spans[ds_id]
                bounds += [("result_time_start", least, r_start), ("result_time_end", greatest, r_end)]
            assignments = ", ".join(
                f"{column} = {fn}(COALESCE({column}, %s), %s)" for column, fn, _t in bounds
            )
            cursor.execute(
                f"UPDATE {m.Datastream._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608 – constant names
                [v for _column, _fn, t in bounds for v in (value(t), value(t))] + [ds_id],
            )


def _after_commit(changed: list[Change]) -> None:
    if not changed:
        return
    from konzeptk.sensing import mqtt_publish

    transaction.on_commit(lambda: mqtt_publish.publish_changes(changed))


def entity_create(
    *,
    entity: EntityType,
    data: Any,
    writer: Writer,
    parent: tuple[EntityType, models.Model, str] | None = None,
) -> models.Model:
    """Create an entity with deep insert; ``parent`` is (type, object, nav name) from a nested URL."""
    ctx = _Context(writer)
    partitions.ensure_for_payload(data)
    with transaction.atomic():
        forced: dict[str, models.Model] = {}
        m2m_parent = None
        if parent is not None:
            parent_entity, parent_obj, nav_name = parent
            nav = parent_entity.navs[nav_name]
            child, back_name, back = _child_nav(parent_entity, nav)
            if child is not entity:
                raise StaError(400, "Pfad und Entitätstyp passen nicht zusammen.")
            if back.many:
                m2m_parent = (parent_obj, nav)
            else:
                forced[back_name] = parent_obj
        obj = _create_or_link(entity, data, ctx, forced)
        if m2m_parent is not None:
            parent_obj, nav = m2m_parent
            writer.check_orgs(owner_org_ids(parent[0], parent_obj) if parent else [])
            getattr(parent_obj, nav.field).add(obj)
            if isinstance(parent_obj, m.Thing) and isinstance(obj, m.Location):
                _historical_location(parent_obj, [obj], ctx)
        _add_to_rollups(ctx.observations)
        _extend_datastream_times(ctx.observations)
        _after_commit(ctx.changed)
    return obj


# --- update ---------------------------------------------------------------------------------
def entity_update(
    *, entity: EntityType, obj: models.Model, data: Any, writer: Writer, replace: bool = False
) -> models.Model:
    """PATCH (or PUT with ``replace``): change properties and relink to-one navigation properties."""
    ctx = _Context(writer)
    partitions.ensure_for_payload(data)
    with transaction.atomic():
        writer.check_orgs(owner_org_ids(entity, obj))
        before = (obj.datastream_id, obj.phenomenon_time_start) if isinstance(obj, m.Observation) else None
        old_json = serialize_plain(entity.name, obj) if settings.MQTT_URL else {}
        props, navs = _split_payload(entity, data)
        for name, prop in entity.props.items():
            if prop.kind == "id":
                continue
            if name in props:
                attrs = _convert(entity, name, prop, props[name])
            elif replace:
                if prop.required or name in PUT_MANDATORY.get(entity.name, ()):
                    raise ParseError(f"PUT braucht alle Pflichtangaben; {name!r} fehlt")
                attrs = _convert(entity, name, prop, None) if prop.kind != "json" else {prop.field: None}
            else:
                continue
            for key, value in attrs.items():
                setattr(obj, key, value)
        for nav_name, value in navs.items():  # links only (18-088 §10.3): {"@iot.id": …}, other keys ignored
            nav = entity.navs[nav_name]
            target = ENTITY_TYPES[nav.target]
            if not nav.many:
                linked = _get(target, _update_link(nav_name, value))
                if nav_name == "Thing":
                    writer.check_orgs([linked.organisation_id])  # type: ignore[attr-defined]
                setattr(obj, nav.field, linked)
                continue
            if not isinstance(value, list):
                raise ParseError(f"{entity.name}.{nav_name} muss eine Liste sein")
            _child, _back_name, back = _child_nav(entity, nav)
            ids = [_update_link(nav_name, item) for item in value]
            related = getattr(obj, nav.field)
            if not back.many:  # e.g. a Thing's Datastreams as an $expand showed them (frost-sta-client)
                if len(set(ids)) != related.filter(pk__in=ids).count():  # others are not relinked here
                    raise ParseError(f"{nav_name}: nur die schon verknüpften Entitäten dürfen hier stehen")
                continue
            children = [_get(target, pk) for pk in ids]
            if set(related.values_list("pk", flat=True)) == set(ids):
                continue  # unchanged: no new HistoricalLocation
            for child in children if isinstance(obj, m.Location) else []:
                writer.check_orgs([child.organisation_id])  # type: ignore[attr-defined]
            related.set(children)
            if isinstance(obj, m.Thing) and nav_name == "Locations" and children:
                _historical_location(obj, children, ctx)  # type: ignore[arg-type]
        if isinstance(obj, m.Observation):
            writer.check_orgs([obj.datastream.thing.organisation_id])
        obj.save()
        if settings.MQTT_URL:  # property notifications name what really changed
            new_json = serialize_plain(entity.name, obj)
            names = frozenset(k for k, v in new_json.items() if "@" not in k and old_json.get(k) != v)
            ctx.changed.append((entity.name, obj, names))
        if isinstance(obj, m.Observation) and before is not None:
            # the hour the observation left (its datastream or time may have changed) and the one it is in now
            rollups.refresh([before, (obj.datastream_id, obj.phenomenon_time_start)])
            _extend_datastream_times([obj])
        _after_commit(ctx.changed)
    return obj


# --- delete ---------------------------------------------------------------------------------
def entity_delete(*, entity: EntityType, obj: models.Model, writer: Writer) -> None:
    """Delete with the cascade rules of STA 1.1 §10.4 (database cascades, plus Location → HistoricalLocations)."""
    with transaction.atomic():
        writer.check_orgs(owner_org_ids(entity, obj))
        if isinstance(obj, m.Location):
            m.HistoricalLocation.objects.filter(locations=obj.pk).delete()
        if isinstance(obj, m.Thing | m.Datastream | m.FeatureOfInterest | m.Sensor | m.ObservedProperty):
            # Observations are deleted with one statement each, not row by row.
            observations = m.Observation.objects.all()
            if isinstance(obj, m.Thing):
                observations = observations.filter(datastream__thing=obj)
            elif isinstance(obj, m.Datastream):
                observations = observations.filter(datastream=obj)
            elif isinstance(obj, m.FeatureOfInterest):
                observations = observations.filter(feature_of_interest=obj)
            elif isinstance(obj, m.Sensor):
                observations = observations.filter(datastream__sensor=obj)
            else:
                observations = observations.filter(datastream__observed_property=obj)
            touched = (
                list(observations.values_list("datastream_id", "phenomenon_time_start"))
                if isinstance(obj, m.FeatureOfInterest)
                else []  # the other owners take their datastreams (and roll-ups) with them
            )
            observations._raw_delete(observations.db)
            rollups.refresh(touched)
        touched_obs = (
            (obj.datastream_id, obj.phenomenon_time_start) if isinstance(obj, m.Observation) else None
        )
        obj.delete()
        if touched_obs is not None:
            rollups.refresh([touched_obs])


def observation_ingest(
    *, datastream: m.Datastream, result: Any, phenomenon_time: dt.datetime, result_time: dt.datetime | None = None,
    parameters: dict[str, Any] | None = None,
) -> m.Observation:  # fmt: skip
    """Store one observation from an ingestion adapter (LoRaWAN, MQTT, CSV)."""
    partitions.ensure_for([phenomenon_time])
    with transaction.atomic():
        obs = m.Observation(
            datastream=datastream,
            feature_of_interest_id=feature_id_for(datastream.thing_id),
            phenomenon_time_start=phenomenon_time,
            result_time=result_time,
            parameters=parameters,
            **_result_fields(result),
        )
        obs.save()
        _add_to_rollups([obs])
        _extend_datastream_times([obs])
        _after_commit([("Observation", obs)])
    return obs


# --- API tokens -----------------------------------------------------------------------------
def api_token_create(*, organisation: Organisation, name: str) -> tuple[m.ApiToken, str]:
    """Create a token; the raw secret is returned once and only its hash is stored."""
    from django.core.exceptions import ValidationError

    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Bitte geben Sie eine Bezeichnung an.")})
    active = m.ApiToken.objects.filter(organisation=organisation, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _(
                "Eine Organisation hat höchstens %(count)d gültige Schlüssel. Bitte widerrufen Sie zuerst einen."
            )
            % {"count": MAX_ACTIVE_TOKENS}
        )
    raw = m.ApiToken.generate()
    with transaction.atomic():
        token = m.ApiToken.objects.create(
            organisation=organisation, name=name[:100], prefix=raw[:10], token_hash=m.ApiToken.hash(raw)
        )
    return token, raw


def api_token_revoke(*, token: m.ApiToken) -> None:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])


def datastream_time_bounds(datastream: m.Datastream) -> tuple[dt.datetime | None, dt.datetime | None]:
    agg = datastream.observations.aggregate(
        start=Min("phenomenon_time_start"), end=Max("phenomenon_time_start")
    )
    return agg["start"], agg["end"]
