"""Loading a city profile pack (see docs/city-profile.md) into the database.

Loading is idempotent: running it again updates what is there and never duplicates it. The
whole pack loads in one transaction, so a broken pack leaves the previous state untouched.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union, voronoi_diagram

from konzeptk.city.models import CityProfile, District, DistrictLayer, PointOfInterest, PopulationStat
from konzeptk.city.selectors import forget_active_profile

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"


class ProfileError(ValueError):
    """The profile pack is incomplete or inconsistent; the message says what and where."""


@dataclass
class LoadReport:
    profile: CityProfile
    layers: dict[str, int] = field(default_factory=dict)
    population_cells: int = 0
    points_of_interest: int = 0


def resolve_profile_dir(name_or_path: str) -> Path:
    """A shipped profile by name (``krefeld``) or a directory containing ``profile.json``."""
    candidate = Path(name_or_path)
    if candidate.is_dir() and (candidate / "profile.json").exists():
        return candidate
    shipped = PROFILES_DIR / name_or_path
    if (shipped / "profile.json").exists():
        return shipped
    available = ", ".join(sorted(p.name for p in PROFILES_DIR.iterdir() if (p / "profile.json").exists()))
    raise ProfileError(f"Kein Stadtprofil „{name_or_path}“ gefunden. Verfügbar: {available}.")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(f"Datei fehlt: {path}") from exc
    except json.JSONDecodeError as exc:
        raise ProfileError(f"{path} ist kein gültiges JSON: {exc}") from exc


def _geometry_of(geojson: dict[str, Any], path: Path) -> BaseGeometry:
    if geojson.get("type") == "FeatureCollection":
        geoms = [shape(f["geometry"]) for f in geojson.get("features", []) if f.get("geometry")]
        if not geoms:
            raise ProfileError(f"{path} enthält keine Fläche.")
        return unary_union(geoms)
    if geojson.get("type") == "Feature":
        return shape(geojson["geometry"])
    return shape(geojson)


def _date(value: str | None, where: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ProfileError(f"{where}: „{value}“ ist kein Datum (JJJJ-MM-TT).") from exc


def _integer(value: str, where: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ProfileError(f"{where}: „{value}“ ist keine ganze Zahl.") from None
    if number < 0:
        raise ProfileError(f"{where}: „{value}“ ist negativ.")
    return number


def schematic_cells(outline: BaseGeometry, seeds: list[tuple[str, float, float]]) -> dict[str, BaseGeometry]:
    """Voronoi cells around the seed points (code, lat, lon), clipped to the outline."""
    if len(seeds) < 2:
        return {code: outline for code, _lat, _lon in seeds}
    points = MultiPoint([Point(lon, lat) for _code, lat, lon in seeds])
    regions = voronoi_diagram(points, envelope=outline.envelope.buffer(0.1))
    cells: dict[str, BaseGeometry] = {}
    for code, lat, lon in seeds:
        seed = Point(lon, lat)
        region = next(r for r in regions.geoms if r.covers(seed))
        cell = region.intersection(outline)
        if cell.is_empty:
            raise ProfileError(f"Der Ankerpunkt von Gebiet {code} liegt außerhalb der Stadtgrenze.")
        cells[code] = cell.buffer(0)
    return _merge_stray_pieces(cells, {code: Point(lon, lat) for code, lat, lon in seeds})


def _merge_stray_pieces(cells: dict[str, BaseGeometry], seeds: dict[str, Point]) -> dict[str, BaseGeometry]:
    """Clipping a cell at a bend of the outline can cut off pieces without the seed point.

    Such a piece joins the neighbouring cell it shares the longest border with, so every
    schematic district is one contiguous area.
    """
    for code, cell in list(cells.items()):
        if cell.geom_type != "MultiPolygon":
            continue
        for piece in cell.geoms:
            if piece.covers(seeds[code]):
                continue
            neighbours = [
                (piece.boundary.intersection(other.boundary).length, other_code)
                for other_code, other in cells.items()
                if other_code != code
            ]
            length, target = max(neighbours, default=(0.0, code))
            if length > 0:
                cells[code] = cells[code].difference(piece).buffer(0)
                cells[target] = unary_union([cells[target], piece]).buffer(0)
    return cells


def _features_by_code(path: Path) -> dict[str, tuple[str, BaseGeometry]]:
    data = _read_json(path)
    result = {}
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        code = str(props.get("code", "")).strip()
        if not code:
            raise ProfileError(f"{path}: jede Fläche braucht die Eigenschaft „code“.")
        result[code] = (str(props.get("name", code)), shape(feature["geometry"]).buffer(0))
    return result


def _population_by_code(pack: Path, spec: dict[str, Any]) -> dict[str, tuple[int, int | None]]:
    file = spec.get("population_file")
    if not file:
        return {}
    cols = spec.get("population_columns", {})
    result = {}
    try:
        with (pack / file).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = row[cols.get("code", "code")].strip()
                value = row[cols.get("population", "population")].strip()
                if code and value:
                    result[code] = (_integer(value, f"{file}, Gebiet {code}"), cols.get("year"))
    except FileNotFoundError as exc:
        raise ProfileError(f"Datei fehlt: {pack / file}") from exc
    except (KeyError, AttributeError) as exc:
        raise ProfileError(f"{file}: Spalte {exc} fehlt.") from exc
    return result


def _upsert_district(
    layer: DistrictLayer,
    code: str,
    name: str,
    geom: BaseGeometry,
    *,
    anchor: tuple[float, float, str] | None = None,
    population: tuple[int, int | None] | None = None,
    note: str = "",
) -> District:
    lat, lon, anchor_name = anchor if anchor else (None, None, "")
    district, _created = District.objects.update_or_create(
        layer=layer,
        code=code,
        defaults={
            "name": name,
            "geometry": mapping(geom.simplify(0.00002, preserve_topology=True)),
            "anchor_lat": lat,
            "anchor_lon": lon,
            "anchor_name": anchor_name,
            "population": population[0] if population else None,
            "population_year": population[1] if population else None,
            "note": note,
        },
    )
    return district


@transaction.atomic
def city_profile_load(*, source: str, boundaries: dict[str, Path] | None = None) -> LoadReport:
    """Load (or update) the profile pack ``source``; ``boundaries`` maps layer slugs to official GeoJSON."""
    pack = resolve_profile_dir(source)
    spec = _read_json(pack / "profile.json")
    boundaries = boundaries or {}
    for required in ("slug", "name", "boundary", "center", "layers"):
        if required not in spec:
            raise ProfileError(f"profile.json: Angabe „{required}“ fehlt.")
    unknown = set(boundaries) - {layer["slug"] for layer in spec["layers"]}
    if unknown:
        raise ProfileError(f"Unbekannte Gebietsebene(n): {', '.join(sorted(unknown))}.")

    outline = _geometry_of(_read_json(pack / spec["boundary"]), pack / spec["boundary"])
    profile, _created = CityProfile.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "official_key": spec.get("official_key", ""),
            "regional_key": spec.get("regional_key", ""),
            "boundary": mapping(outline),
            "center_lat": spec["center"]["lat"],
            "center_lon": spec["center"]["lon"],
            "population_total": spec.get("population_total"),
            "population_source": spec.get("population_source", ""),
            "postcodes": spec.get("postcodes", []),
            "warn_cells": [str(cell) for cell in spec.get("warn_cells", [])],
            "sources": (pack / "SOURCES.md").read_text(encoding="utf-8")
            if (pack / "SOURCES.md").exists()
            else "",
        },
    )
    report = LoadReport(profile=profile)

    geoms_by_layer: dict[str, dict[str, BaseGeometry]] = {}
    for layer_spec in spec["layers"]:
        slug = layer_spec["slug"]
        official = boundaries.get(slug) or (
            pack / layer_spec["geojson"] if layer_spec.get("geojson") else None
        )
        layer, _ = DistrictLayer.objects.update_or_create(
            profile=profile,
            slug=slug,
            defaults={
                "name": layer_spec["name"],
                "kind": layer_spec.get("kind", DistrictLayer.Kind.ADMINISTRATIVE),
                "valid_from": _date(layer_spec.get("valid_from"), slug),
                "valid_until": _date(layer_spec.get("valid_until"), slug),
                "provisional": bool(layer_spec.get("provisional", False)),
                "schematic": official is None,
                "description": layer_spec.get("description", ""),
                "source": layer_spec.get("source", ""),
            },
        )
        population = _population_by_code(pack, layer_spec)
        geoms: dict[str, BaseGeometry] = {}
        if official is not None:
            for code, (name, geom) in _features_by_code(Path(official)).items():
                geoms[code] = geom
                _upsert_district(layer, code, name, geom, population=population.get(code))
        elif "seeds" in layer_spec:
            seeds = [(str(s["code"]), float(s["lat"]), float(s["lon"])) for s in layer_spec["seeds"]]
            cells = schematic_cells(outline, seeds)
            for seed in layer_spec["seeds"]:
                code = str(seed["code"])
                geoms[code] = cells[code]
                _upsert_district(
                    layer,
                    code,
                    seed["name"],
                    cells[code],
                    anchor=(float(seed["lat"]), float(seed["lon"]), seed.get("anchor", "")),
                    population=population.get(code),
                )
        elif "compose" in layer_spec:
            base_slug = layer_spec["compose"]["from"]
            if base_slug not in geoms_by_layer:
                raise ProfileError(f"{slug}: Ebene „{base_slug}“ muss vorher definiert sein.")
            base = geoms_by_layer[base_slug]
            base_population = dict(
                District.objects.filter(layer__profile=profile, layer__slug=base_slug).values_list(
                    "code", "population"
                )
            )
            for part in layer_spec["compose"]["districts"]:
                codes = [str(c) for c in part["parts"]]
                missing = [c for c in codes if c not in base]
                if missing:
                    raise ProfileError(f"{slug}: Gebiet(e) {', '.join(missing)} fehlen in „{base_slug}“.")
                geom = unary_union([base[c] for c in codes]).buffer(0)
                counts = [base_population.get(c) for c in codes]
                pop = (sum(c for c in counts if c), None) if all(counts) else None
                geoms[str(part["code"])] = geom
                _upsert_district(
                    layer,
                    str(part["code"]),
                    part["name"],
                    geom,
                    population=pop,
                    note=f"zusammengesetzt aus {base_slug}: {', '.join(codes)}",
                )
        else:
            raise ProfileError(f"{slug}: Es fehlt „geojson“, „seeds“ oder „compose“.")
        layer.districts.exclude(code__in=list(geoms)).delete()
        geoms_by_layer[slug] = geoms
        report.layers[slug] = len(geoms)

    if spec.get("population"):
        report.population_cells = _load_population(profile, pack / spec["population"])
    report.points_of_interest = _load_points(profile, pack, spec.get("points_of_interest", []), outline)
    # Bump loaded_at so every cached geometry is rebuilt.
    profile.save(update_fields=["loaded_at"])
    transaction.on_commit(forget_active_profile)
    return report


def _load_population(profile: CityProfile, path: Path) -> int:
    districts = {
        (d.layer.slug, d.code): d
        for d in District.objects.filter(layer__profile=profile).select_related("layer")
    }
    count = 0
    with path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            key = (row["layer"], row["code"])
            if key not in districts:
                raise ProfileError(
                    f"{path.name}, Zeile {line}: Gebiet {key[1]} der Ebene {key[0]} unbekannt."
                )
            PopulationStat.objects.update_or_create(
                district=districts[key],
                year=_integer(row["year"], f"{path.name}, Zeile {line}"),
                age_band=row["age_band"],
                sex=row.get("sex") or PopulationStat.Sex.ALL,
                defaults={
                    "count": _integer(row["count"], f"{path.name}, Zeile {line}"),
                    "estimated": row.get("estimated") in ("1", "true"),
                },
            )
            count += 1
    return count


def _load_points(profile: CityProfile, pack: Path, specs: list[dict[str, str]], outline: BaseGeometry) -> int:
    PointOfInterest.objects.filter(profile=profile).delete()
    points = []
    for spec in specs:
        data = _read_json(pack / spec["file"])
        for feature in data.get("features", []):
            props = feature.get("properties") or {}
            lon, lat = feature["geometry"]["coordinates"][:2]
            address = " ".join(
                str(props.get(k, "")).strip() for k in ("street", "zip", "city") if props.get(k)
            )
            points.append(
                PointOfInterest(
                    profile=profile,
                    category=spec["category"],
                    name=str(props.get("title") or props.get("name") or "")[:200],
                    address=address[:200],
                    lat=float(lat),
                    lon=float(lon),
                    properties={
                        k: v for k, v in props.items() if k in ("description", "tel", "mail", "web") and v
                    },
                )
            )
    PointOfInterest.objects.bulk_create(points, batch_size=500)
    return len(points)
