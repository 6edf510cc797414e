"""The eight SensorThings entity types: properties, navigation properties and their Django mapping."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from konzeptk.sensing import models as m
from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.sta.compile import Resolved


@dataclass(frozen=True)
class Prop:
    field: str
    kind: str  # string number datetime json result geo id
    end_field: str | None = None  # intervals
    required: bool = False


@dataclass(frozen=True)
class Nav:
    target: str  # entity type name
    field: str  # accessor on this model (lookup path segment)
    reverse: str  # lookup on the target model back to this one
    many: bool


@dataclass
class EntityType:
    name: str
    set_name: str
    model: type[models.Model]
    props: dict[str, Prop]
    navs: dict[str, Nav] = field(default_factory=dict)

    def resolver(self) -> EntityResolver:
        return EntityResolver(self)


_COMMON = {"id": Prop("pk", "id"), "@iot.id": Prop("pk", "id")}

THING = EntityType(
    "Thing",
    "Things",
    m.Thing,
    {
        **_COMMON,
        "name": Prop("name", "string", required=True),
        "description": Prop("description", "string"),
        "properties": Prop("properties", "json"),
    },
    {
        "Datastreams": Nav("Datastream", "datastreams", "thing", True),
        "Locations": Nav("Location", "locations", "things", True),
        "HistoricalLocations": Nav("HistoricalLocation", "historical_locations", "thing", True),
    },
)
LOCATION = EntityType(
    "Location",
    "Locations",
    m.Location,
    {
        **_COMMON,
        "name": Prop("name", "string", required=True),
        "description": Prop("description", "string"),
        "encodingType": Prop("encoding_type", "string", required=True),
        "location": Prop("location", "geo", required=True),
        "properties": Prop("properties", "json"),
    },
    {
        "Things": Nav("Thing", "things", "locations", True),
        "HistoricalLocations": Nav("HistoricalLocation", "historical_locations", "locations", True),
    },
)
HISTORICAL_LOCATION = EntityType(
    "HistoricalLocation",
    "HistoricalLocations",
    m.HistoricalLocation,
    {**_COMMON, "time": Prop("time", "datetime", required=True)},
    {
        "Thing": Nav("Thing", "thing", "historical_locations", False),
        "Locations": Nav("Location", "locations", "historical_locations", True),
    },
)
SENSOR = EntityType(
    "Sensor",
    "Sensors",
    m.Sensor,
    {
        **_COMMON,
        "name": Prop("name", "string", required=True),
        "description": Prop("description", "string"),
        "encodingType": Prop("encoding_type", "string", required=True),
        "metadata": Prop("metadata", "string"),
        "properties": Prop("properties", "json"),
    },
    {"Datastreams": Nav("Datastream", "datastreams", "sensor", True)},
)
OBSERVED_PROPERTY = EntityType(
    "ObservedProperty",
    "ObservedProperties",
    m.ObservedProperty,
    {
        **_COMMON,
        "name": Prop("name", "string", required=True),
        "definition": Prop("definition", "string"),
        "description": Prop("description", "string"),
        "properties": Prop("properties", "json"),
    },
    {"Datastreams": Nav("Datastream", "datastreams", "observed_property", True)},
)
DATASTREAM = EntityType(
    "Datastream",
    "Datastreams",
    m.Datastream,
    {
        **_COMMON,
        "name": Prop("name", "string", required=True),
        "description": Prop("description", "string"),
        "unitOfMeasurement": Prop("unit_of_measurement", "json", required=True),
        "observationType": Prop("observation_type", "string"),
        "observedArea": Prop("observed_area", "geo"),
        "phenomenonTime": Prop("phenomenon_time_start", "datetime", end_field="phenomenon_time_end"),
        "resultTime": Prop("result_time_start", "datetime", end_field="result_time_end"),
        "properties": Prop("properties", "json"),
    },
    {
        "Thing": Nav("Thing", "thing", "datastreams", False),
        "Sensor": Nav("Sensor", "sensor", "datastreams", False),
        "ObservedProperty": Nav("ObservedProperty", "observed_property", "datastreams", False),
        "Observations": Nav("Observation", "observations", "datastream", True),
    },
)
OBSERVATION = EntityType(
    "Observation",
    "Observations",
    m.Observation,
    {
        **_COMMON,
        "phenomenonTime": Prop("phenomenon_time_start", "datetime", end_field="phenomenon_time_end"),
        "resultTime": Prop("result_time", "datetime"),
        "result": Prop("result_number", "result", required=True),
        "resultQuality": Prop("result_quality", "json"),
        "validTime": Prop("valid_time_start", "datetime", end_field="valid_time_end"),
        "parameters": Prop("parameters", "json"),
    },
    {
        "Datastream": Nav("Datastream", "datastream", "observations", False),
        "FeatureOfInterest": Nav("FeatureOfInterest", "feature_of_interest", "observations", False),
    },
)
FEATURE_OF_INTEREST = EntityType(
    "FeatureOfInterest",
    "FeaturesOfInterest",
    m.FeatureOfInterest,
    {
        **_COMMON,
        "name": Prop("name", "string", required=True),
        "description": Prop("description", "string"),
        "encodingType": Prop("encoding_type", "string", required=True),
        "feature": Prop("feature", "geo", required=True),
        "properties": Prop("properties", "json"),
    },
    {"Observations": Nav("Observation", "observations", "feature_of_interest", True)},
)

ENTITY_TYPES: dict[str, EntityType] = {
    e.name: e
    for e in (
        THING,
        LOCATION,
        HISTORICAL_LOCATION,
        DATASTREAM,
        SENSOR,
        OBSERVED_PROPERTY,
        OBSERVATION,
        FEATURE_OF_INTEREST,
    )
}
ENTITY_SETS: dict[str, EntityType] = {e.set_name: e for e in ENTITY_TYPES.values()}

# Mandatory in 18-088 §8.2 besides the ``required`` ones: a PUT replaces the whole entity, so it must carry
# them (a POST without them leaves them empty).
PUT_MANDATORY = {
    "Thing": ("description",),
    "Location": ("description",),
    "Datastream": ("description", "observationType"),
    "Sensor": ("description", "metadata"),
    "ObservedProperty": ("description", "definition"),
    "Observation": ("phenomenonTime",),
    "FeatureOfInterest": ("description",),
}


class EntityResolver:
    """Resolves filter paths such as ``Datastream/Thing/properties/owner`` for one entity type."""

    def __init__(self, entity: EntityType) -> None:
        self.entity = entity

    def resolve(self, parts: tuple[str, ...]) -> Resolved:
        entity = self.entity
        prefix: list[str] = []
        many = False
        for index, part in enumerate(parts):
            if part in entity.navs:
                nav = entity.navs[part]
                prefix.append(nav.field)
                many = many or nav.many
                entity = ENTITY_TYPES[nav.target]
                continue
            prop = entity.props.get(part)
            if prop is None:
                raise ParseError(f"{entity.name} hat keine Eigenschaft {part!r}")
            rest = parts[index + 1 :]
            base = "__".join(prefix)
            path = "__".join([*prefix, prop.field])
            if prop.kind == "json":
                if not rest:
                    raise ParseError(f"{part} ist ein Objekt; vergleichen lässt sich nur {part}/<Schlüssel>")
                return Resolved("__".join([path, *rest]), "json", many)
            if rest:
                raise ParseError(f"{part} hat keine Untereigenschaften")
            if prop.kind == "result" and prefix:
                raise ParseError("result lässt sich nur direkt an Observations filtern")
            if prop.kind == "geo":
                return Resolved(path, "geo", many, geo_model=entity.model, geo_prefix=base)
            end = "__".join([*prefix, prop.end_field]) if prop.end_field else None
            return Resolved(path, prop.kind, many, end_field=end)
        raise ParseError(f"{'/'.join(parts)} ist eine Entität, keine Eigenschaft")
