from __future__ import annotations

import io
import math
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from konzeptk.servicedesk.geo import EARTH_RADIUS_M, bounding_box, haversine_m
from konzeptk.servicedesk.models import ApiKey
from konzeptk.servicedesk.photos import PhotoError, clean_photo
from konzeptk.servicedesk.services import api_key_check

from .conftest import jpeg_with_gps


def test_haversine_known_distance() -> None:
    # Krefeld Hauptbahnhof to Uerdingen station: roughly 5.6 km
    assert 5000 < haversine_m(51.3265, 6.5690, 51.3550, 6.6390) < 6000
    assert haversine_m(51.33, 6.53, 51.33, 6.53) == 0


def _destination(lat: float, lon: float, bearing: float, distance: float) -> tuple[float, float]:
    d = distance / EARTH_RADIUS_M
    phi1, lmb1, theta = math.radians(lat), math.radians(lon), math.radians(bearing)
    phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta))
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(d) * math.cos(phi1), math.cos(d) - math.sin(phi1) * math.sin(phi2)
    )
    return math.degrees(phi2), math.degrees(lmb2)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lat=st.floats(min_value=-80, max_value=80),
    lon=st.floats(min_value=-170, max_value=170),
    bearing=st.floats(min_value=0, max_value=360),
    fraction=st.floats(min_value=0, max_value=0.999),
    radius=st.floats(min_value=1, max_value=5000),
)
def test_every_point_within_radius_is_inside_the_box(
    lat: float, lon: float, bearing: float, fraction: float, radius: float
) -> None:
    plat, plon = _destination(lat, lon, bearing, radius * fraction)
    assert haversine_m(lat, lon, plat, plon) == pytest.approx(radius * fraction, abs=1e-3)
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
    assert min_lat <= plat <= max_lat
    assert min_lon <= plon <= max_lon


def test_photo_is_reencoded_without_exif_and_gps() -> None:
    upload = SimpleUploadedFile("x.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif()  # the input does carry EXIF
    cleaned = clean_photo(upload)
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info


def test_text_file_is_not_a_photo() -> None:
    with pytest.raises(PhotoError, match="kein Foto"):
        clean_photo(SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"))


def test_svg_is_not_a_photo() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(PhotoError):
        clean_photo(SimpleUploadedFile("x.svg", svg, content_type="image/svg+xml"))


def test_huge_pixel_count_is_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 MP, but tiny as a file
    with pytest.raises(PhotoError, match="Bildpunkte"):
        clean_photo(SimpleUploadedFile("big.png", out.getvalue(), content_type="image/png"))


def test_too_many_bytes_is_refused() -> None:
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (11 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(PhotoError, match="MB"):
        clean_photo(upload)


def test_open311_key_command_prints_key_last(db: Any, capsys: Any) -> None:
    call_command("open311_key", "create", "Bürger-App")
    lines = capsys.readouterr().out.strip().splitlines()
    raw = lines[-1]
    key = ApiKey.objects.get()
    assert key.name == "Bürger-App"
    assert raw not in (key.key_hash, key.prefix)  # only the hash is stored
    assert api_key_check(raw=raw) == key
    assert api_key_check(raw=raw + "x") is None
    key.active = False
    key.save()
    assert api_key_check(raw=raw) is None


@pytest.mark.parametrize("value", [None, "", "2", ["2"], "<x>"])
def test_select_widget_renders_what_djangos_select_renders(value: Any) -> None:
    import re

    from django import forms

    from konzeptk.servicedesk.forms import SelectWidget

    choices = [
        ("", "alle"),
        ("Gruppe <A> & B", [(1, "Eins"), (2, 'Zwei "2"')]),
        ("<x>", "Müll & <Glas>"),
    ]
    attrs = {"id": "id_f", "class": "kern-form-input__select", "aria-describedby": "h"}
    ours = SelectWidget(choices=choices).render("f", value, attrs=attrs)
    django = forms.Select(choices=choices).render("f", value, attrs=attrs)

    attribute = re.compile(r'[\w-]+(?:="[^"]*")?')

    def tag(match: re.Match[str]) -> str:
        # attribute order is free in HTML: compare each tag's attributes sorted
        return "<" + " ".join([match[1], *sorted(attribute.findall(match[2]))]) + ">"

    def normal(html: str) -> str:
        return re.sub(r"<(\w+)([^>]*)>", tag, re.sub(r">\s+<", "><", html.strip()))

    assert normal(ours) == normal(django)
    assert "&lt;x&gt;" in ours
    assert "<x>" not in ours


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("St. Töniser Straße 270 47804 Krefeld", ("sttöniserstrasse", 270)),
        ("st. töniser str. 270", ("sttöniserstrasse", 270)),
        ("St. Töniser Strasse 270a, Hinterhof", ("sttöniserstrasse", 270)),
        ("Ostwall", ("ostwall", None)),
        ("Ostwall 12", ("ostwall", 12)),
    ],
)
def test_street_key_ignores_spelling_of_strasse_and_case(
    typed: str, expected: tuple[str, int | None]
) -> None:
    from konzeptk.servicedesk.places import street_key

    assert street_key(typed) == expected
