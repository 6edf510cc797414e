from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.city.models import CityProfile, PointOfInterest
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import PointOfInterestFactory, split_city
from konzeptk.servicedesk.models import Category, Report
from konzeptk.servicedesk.services import report_create, report_publish
from konzeptk.servicedesk.tests.factories import CategoryAttributeFactory, CategoryFactory

# A small rectangular test city (around Krefeld) with a west and an east district.
WEST, EAST, SOUTH, NORTH, MID = 6.50, 6.62, 51.30, 51.38, 6.56
INSIDE = (51.33, 6.53)  # in the west district
INSIDE_EAST = (51.34, 6.60)
OUTSIDE = (51.50, 6.80)


@pytest.fixture
def city(db: Any) -> Iterator[CityProfile]:
    profile, west, _east = split_city(bounds=(WEST, SOUTH, EAST, NORTH), split=MID, center=(51.34, 6.56))
    west.anchor_lat, west.anchor_lon = 51.34, 6.53
    west.save(update_fields=["anchor_lat", "anchor_lon"])
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
    abfall = CategoryFactory(service_code="abfall", name="Abfall", organisation=kbk, expected_days=5, order=1)
    muell = CategoryFactory(service_code="wilder-muell", name="Wilder Müll", parent=abfall, order=1)
    strasse = CategoryFactory(service_code="strasse", name="Straße", organisation=kbk, order=2)
    schlagloch = CategoryFactory(
        service_code="schlagloch", name="Schlagloch", parent=strasse, expected_days=20
    )
    licht = CategoryFactory(
        service_code="strassenbeleuchtung",
        name="Straßenbeleuchtung",
        parent=strasse,
        organisation=swk,
        expected_days=10,
    )
    CategoryAttributeFactory(
        category=licht, code="lampennummer", description="Nummer am Mast", required=True, order=1
    )
    CategoryAttributeFactory(
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
    school = PointOfInterestFactory(
        profile=city,
        category="school",
        name="Testschule",
        address="Ostwall 20 47798 Krefeld",
        lat=51.335,
        lon=6.54,
    )
    bath = PointOfInterestFactory(
        profile=city,
        category="swimming",
        name="Testbad",
        address="Badstraße 3 47800 Krefeld",
        lat=51.35,
        lon=6.60,
    )
    far = PointOfInterestFactory(
        profile=city,
        category="school",
        name="Nachbarschule",
        address="Ostwall 90 47798 Krefeld",
        lat=51.37,
        lon=6.51,
    )
    forget_active_profile()
    return {"school": school, "bath": bath, "far": far}
