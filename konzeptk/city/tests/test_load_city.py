"""Loading city profile packs: Krefeld, a made-up second city, official boundaries, broken packs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import box, mapping, shape

from konzeptk.city.models import CityProfile, District, DistrictLayer, PointOfInterest, PopulationStat
from konzeptk.city.selectors import district_for, forget_active_profile
from konzeptk.city.services import ProfileError, city_profile_load

MUSTERSTADT = Path(__file__).parent / "profiles" / "musterstadt"
BEFORE = dt.date(2020, 6, 1)  # the nine Stadtbezirke
AFTER = dt.date(2026, 1, 15)  # the five Stadtbezirke


def _counts() -> dict[str, int]:
    return {
        "profiles": CityProfile.objects.count(),
        "layers": DistrictLayer.objects.count(),
        "districts": District.objects.count(),
        "population": PopulationStat.objects.count(),
        "points": PointOfInterest.objects.count(),
    }


def test_load_city_krefeld_counts(db: None) -> None:
    out = StringIO()
    call_command("load_city", "krefeld", stdout=out)
    profile = CityProfile.objects.get(slug="krefeld")
    layers = {layer.slug: layer for layer in profile.layers.all()}
    assert layers["stadtbezirke-1975"].districts.count() == 9
    assert layers["stadtbezirke-2025"].districts.count() == 5
    assert layers["stadtteile"].districts.count() == 19
    assert layers["stadtbezirke-2025"].provisional
    assert all(layer.schematic for layer in layers.values())
    assert layers["stadtbezirke-1975"].valid_until == dt.date(2025, 10, 31)
    assert layers["stadtbezirke-2025"].valid_from == dt.date(2025, 11, 1)
    assert PointOfInterest.objects.filter(profile=profile).count() == 260
    assert PointOfInterest.objects.filter(profile=profile, category="administration").exists()
    assert PopulationStat.objects.filter(district__layer__profile=profile).count() == 108
    mitte = layers["stadtbezirke-1975"].districts.get(code="4")
    assert (mitte.name, mitte.population, mitte.population_year) == ("Mitte", 43948, 2020)
    # the five new districts add up the old populations (Süd = Süd + Fischeln)
    assert layers["stadtbezirke-2025"].districts.get(code="5").population == 17148 + 25799
    assert "9 Gebiete" in out.getvalue()


def test_every_krefeld_district_is_one_contiguous_area(db: None) -> None:
    """Composed districts (the five new Stadtbezirke) must not fall apart into pieces."""
    call_command("load_city", "krefeld", stdout=StringIO())
    split = [
        f"{d.layer.slug}/{d.name}"
        for d in District.objects.select_related("layer")
        if shape(d.geometry).geom_type != "Polygon"
    ]
    assert not split


def test_load_city_is_idempotent(db: None) -> None:
    call_command("load_city", "krefeld", stdout=StringIO())
    first = _counts()
    ids = set(District.objects.values_list("id", flat=True))
    call_command("load_city", "krefeld", stdout=StringIO())
    assert _counts() == first
    assert set(District.objects.values_list("id", flat=True)) == ids  # updated in place, not recreated


def test_official_boundaries_replace_the_schematic_cells(db: None, tmp_path: Path) -> None:
    """An official GeoJSON (here: the outline cut into nine strips) replaces the schematic layer."""
    krefeld = city_profile_load(source="krefeld").profile
    outline = shape(krefeld.boundary)
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    step = (max_lon - min_lon) / 9
    names = ["West", "Nord", "Hüls", "Mitte", "Süd", "Fischeln", "Oppum-Linn", "Ost", "Uerdingen"]
    features = []
    for i, name in enumerate(names):
        strip = box(min_lon + i * step, min_lat, min_lon + (i + 1) * step, max_lat).intersection(outline)
        features.append(
            {"type": "Feature", "properties": {"code": str(i + 1), "name": name}, "geometry": mapping(strip)}
        )
    official = tmp_path / "bezirke.geojson"
    official.write_text(json.dumps({"type": "FeatureCollection", "features": features}))

    call_command("load_city", "krefeld", "--boundaries", f"stadtbezirke-1975={official}", stdout=StringIO())
    forget_active_profile()
    layer = DistrictLayer.objects.get(profile__slug="krefeld", slug="stadtbezirke-1975")
    assert layer.schematic is False
    assert layer.districts.count() == 9
    assert DistrictLayer.objects.get(slug="stadtteile").schematic is True
    # the westmost strip is district 1, whatever the schematic cells said
    point_in_strip_1 = shape(features[0]["geometry"]).representative_point()
    answer = district_for(point_in_strip_1.y, point_in_strip_1.x, on=BEFORE)
    assert answer.district is not None
    assert answer.district.code == "1"
    # population still comes from the pack, matched by code
    assert layer.districts.get(code="4").population == 43948


def test_boundaries_for_an_unknown_layer_are_refused(db: None, tmp_path: Path) -> None:
    file = tmp_path / "x.geojson"
    file.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(CommandError, match="Unbekannte Gebietsebene"):
        call_command("load_city", "krefeld", "--boundaries", f"gibtsnicht={file}", stdout=StringIO())
    with pytest.raises(CommandError, match="EBENE=DATEI"):
        call_command(
            "load_city", "krefeld", "--boundaries", "stadtteile=/nicht/da.geojson", stdout=StringIO()
        )


def _broken_copy(tmp_path: Path, change) -> Path:
    pack = tmp_path / "musterstadt"
    shutil.copytree(MUSTERSTADT, pack)
    spec = json.loads((pack / "profile.json").read_text())
    change(spec, pack)
    (pack / "profile.json").write_text(json.dumps(spec))
    return pack


def _unknown_part(spec: dict, pack: Path) -> None:
    spec["name"] = "Geänderte Stadt"
    spec["layers"][1]["compose"]["districts"][0]["parts"] = ["A", "Z"]


def _bad_date(spec: dict, pack: Path) -> None:
    spec["layers"][0]["valid_until"] = "31.12.2019"


def _missing_key(spec: dict, pack: Path) -> None:
    del spec["boundary"]


def _missing_file(spec: dict, pack: Path) -> None:
    spec["points_of_interest"][0]["file"] = "fehlt.geojson"


def _bad_population(spec: dict, pack: Path) -> None:
    (pack / "einwohner.csv").write_text("nr,einwohner\nA,fünftausend\n")


def _seed_outside(spec: dict, pack: Path) -> None:
    spec["layers"][0]["seeds"][2]["lat"] = 52.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_unknown_part, "fehlen in"),
        (_bad_date, "kein Datum"),
        (_missing_key, "„boundary“ fehlt"),
        (_missing_file, "Datei fehlt"),
        (_bad_population, "keine ganze Zahl"),
        (_seed_outside, "außerhalb der Stadtgrenze"),
    ],
)
def test_broken_profile_raises_and_leaves_the_database_unchanged(
    db: None, tmp_path: Path, change, message: str
) -> None:
    city_profile_load(source=str(MUSTERSTADT))
    before = _counts()
    names = sorted(District.objects.values_list("layer__slug", "code", "name", "population"))
    pack = _broken_copy(tmp_path, change)
    with pytest.raises(ProfileError, match=message):
        city_profile_load(source=str(pack))
    assert _counts() == before
    assert sorted(District.objects.values_list("layer__slug", "code", "name", "population")) == names
    assert CityProfile.objects.get(slug="musterstadt").name == "Musterstadt"


def test_broken_profile_via_command_gives_a_clear_error(db: None, tmp_path: Path) -> None:
    pack = _broken_copy(tmp_path, _bad_date)
    with pytest.raises(CommandError, match="kein Datum"):
        call_command("load_city", str(pack), stdout=StringIO())
    assert _counts()["profiles"] == 0
    with pytest.raises(CommandError, match="Kein Stadtprofil „atlantis“"):
        call_command("load_city", "atlantis", stdout=StringIO())


def test_a_second_city_loads_and_answers(db: None) -> None:
    """Musterstadt is made up: nothing Krefeld-specific may be needed to load and query it."""
    forget_active_profile()
    report = city_profile_load(source=str(MUSTERSTADT))
    forget_active_profile()
    assert report.layers == {"ortsteile-alt": 3, "bezirke-neu": 2}
    assert report.points_of_interest == 2
    profile = report.profile
    assert profile.name == "Musterstadt"
    altstadt = district_for(50.05, 10.02, on=dt.date(2018, 5, 1), profile=profile)
    assert altstadt.district is not None
    assert altstadt.district.name == "Altstadt"
    assert altstadt.district.population == 5000
    west = district_for(50.05, 10.02, on=dt.date(2024, 5, 1), profile=profile)
    assert west.district is not None
    assert west.district.name == "West"
    assert west.district.population == 8000  # Altstadt + Am Berg
    ost = district_for(50.05, 10.08, on=dt.date(2024, 5, 1), profile=profile)
    assert ost.district is not None
    assert ost.district.name == "Ost"
    outside = district_for(50.2, 10.05, on=dt.date(2024, 5, 1), profile=profile)
    assert outside.inside_city is False
    # Krefeld next to it does not change Musterstadt's answers
    city_profile_load(source="krefeld")
    forget_active_profile()
    again = district_for(50.05, 10.08, on=dt.date(2024, 5, 1), profile=profile)
    assert again.district is not None
    assert again.district.name == "Ost"
