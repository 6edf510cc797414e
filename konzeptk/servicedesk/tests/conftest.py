from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.city.models import CityProfile, District, DistrictLayer, PointOfInterest
from konzeptk.city.selectors import forget_active_profile
from konzeptk.servicedesk.models import Category, CategoryAttribute, Report
from konzeptk.servicedesk.services import report_create, report_publish

# A small rectangular test city (around Krefeld) with a west and an east district.
WEST, EAST, SOUTH, NORTH, MID = 6.50, 6.62, 51.30, 51.38, 6.56
INSIDE = (51.33, 6.53)  # in the west district
INSIDE_EAST = (51.34, 6.60)
OUTSIDE = (51.50, 6.80)


def _box(w: float, s: float, e: float, n: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


@pytest.fixture
def city(db: Any) -> Iterator[CityProfile]:
    forget_active_profile()
    profile = CityProfile.objects.create(
        slug="krefeld",
        name="Teststadt",
        boundary=_box(WEST, SOUTH, EAST, NORTH),
        center_lat=51.34,
        center_lon=6.56,
    )
    layer = DistrictLayer.objects.create(
        profile=profile, slug="bezirke", name="Stadtbezirke", kind="administrative"
    )
    District.objects.create(
        layer=layer,
        code="1",
        name="West",
        geometry=_box(WEST, SOUTH, MID, NORTH),
        anchor_lat=51.34,
        anchor_lon=6.53,
    )
    District.objects.create(layer=layer, code="2", name="Ost", geometry=_box(MID, SOUTH, EAST, NORTH))
    yield profile
    forget_active_profile()


@pytest.fixture
def kbk(db: Any) -> Any:
    return OrganisationFactory(slug="kommunalbetrieb", name="Kommunalbetrieb Krefeld AöR", short_name="KBK")


@pytest.fixture
def swk(db: Any) -> Any:
    return OrganisationFactory(slug="swk", name="Stadtwerke Krefeld AG", short_name="SWK")


@pytest.fixture
def categories(kbk: Any, swk: Any) -> dict[str, Category]:
    abfall = Category.objects.create(
        service_code="abfall", name="Abfall", organisation=kbk, expected_days=5, order=1
    )
    muell = Category.objects.create(service_code="wilder-muell", name="Wilder Müll", parent=abfall, order=1)
    strasse = Category.objects.create(service_code="strasse", name="Straße", organisation=kbk, order=2)
    schlagloch = Category.objects.create(
        service_code="schlagloch", name="Schlagloch", parent=strasse, expected_days=20
    )
    licht = Category.objects.create(
        service_code="strassenbeleuchtung",
        name="Straßenbeleuchtung",
        parent=strasse,
        organisation=swk,
        expected_days=10,
    )
    CategoryAttribute.objects.create(
        category=licht, code="lampennummer", description="Nummer am Mast", required=True, order=1
    )
    CategoryAttribute.objects.create(
        category=licht,
        code="art",
        description="Was ist defekt?",
        datatype="singlevaluelist",
        values=[{"key": "aus", "name": "Lampe aus"}, {"key": "flackert", "name": "Lampe flackert"}],
        order=2,
    )
    return {"abfall": abfall, "muell": muell, "strasse": strasse, "schlagloch": schlagloch, "licht": licht}


@pytest.fixture
def make_report(city: Any, categories: dict[str, Category]) -> Any:
    counter = iter(range(1, 10_000))

    def make(
        category: str = "muell",
        *,
        lat: float = INSIDE[0],
        lon: float = INSIDE[1],
        publish: bool = True,
        **extra: Any,
    ) -> Report:
        n = next(counter)
        attributes = extra.pop("attributes", {"lampennummer": "L-1"} if category == "licht" else {})
        result = report_create(
            category=categories[category],
            description=extra.pop("description", f"Problem Nummer {n}"),
            lat=lat,
            lon=lon,
            attributes=attributes,
            **extra,
        )
        report = result.report
        if publish:
            staff = UserFactory(staff=True)
            report_publish(report=report, by=staff, photo_ids=[p.pk for p in report.photos.all()])
        return report

    return make


@pytest.fixture
def kbk_member(kbk: Any) -> Any:
    return MembershipFactory(organisation=kbk).user


def jpeg_with_gps(size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    gps = {1: "N", 2: (51.0, 20.0, 0.0), 3: "E", 4: (6.0, 33.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")


@pytest.fixture
def known_places(city: CityProfile) -> dict[str, PointOfInterest]:
    """Two places of the city profile: a school in the west district, a bath in the east."""
    school = PointOfInterest.objects.create(
        profile=city,
        category="school",
        name="Testschule",
        address="Ostwall 20 47798 Krefeld",
        lat=51.335,
        lon=6.54,
    )
    bath = PointOfInterest.objects.create(
        profile=city,
        category="swimming",
        name="Testbad",
        address="Badstraße 3 47800 Krefeld",
        lat=51.35,
        lon=6.60,
    )
    far = PointOfInterest.objects.create(
        profile=city,
        category="school",
        name="Nachbarschule",
        address="Ostwall 90 47798 Krefeld",
        lat=51.37,
        lon=6.51,
    )
    forget_active_profile()
    return {"school": school, "bath": bath, "far": far}
