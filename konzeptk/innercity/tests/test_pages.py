"""The public pages, the owners' pages and the coordination's pages over HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.innercity.models import Owner, Unit, UnitPhoto, VacancyCount
from konzeptk.innercity.selectors import units_for_matching, use_keys

from .conftest import INSIDE_EAST, OUTSIDE, jpeg_with_gps

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title_de": "Ladenlokal am Neumarkt",
        "description_de": "Mit Lager.",
        "street": "Neumarkt",
        "house_number": "7",
        "postcode": "47798",
        "lat": "51.333",
        "lon": "6.555",
        "area_m2": "72.5",
        "shop_window_m": "5",
        "floor": "0",
        "step_free": "on",
        "rent_per_month": "980",
        "available_from": "2027-01-01",
        "owner_consent_public": "on",
        "uses": ["retail", "popup"],
    }
    data.update(overrides)
    return data


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- public -------------------------------------------------------------------------------------
def test_only_consented_verified_offered_units_are_public(
    make_unit: Callable[..., Unit], verified_owner: User, owner_user: User
) -> None:
    shown = make_unit(owner=verified_owner, house_number="1")
    make_unit(owner=verified_owner, house_number="2", owner_consent_public=False)
    make_unit(house_number="3", staff=True, owner_consent_public=True, status=Unit.Status.VACANT)
    no_owner = make_unit(house_number="4", staff=True, owner_consent_public=True, status=Unit.Status.OFFERED)
    let = make_unit(owner=verified_owner, house_number="5")
    let.status = Unit.Status.LET
    let.save()
    assert set(Unit.objects.public()) == {shown, no_owner}
    Owner.objects.filter(user=verified_owner).update(verified_at=None)
    assert set(Unit.objects.public()) == {no_owner}


def test_unverified_owner_units_are_not_public(make_unit: Callable[..., Unit], owner_user: User) -> None:
    unit = make_unit(owner=owner_user)
    assert unit.status == Unit.Status.OFFERED
    assert not Unit.objects.public().exists()
    assert Client().get(f"/innenstadt/flaechen/{unit.pk}/").status_code == 404
    assert signed_in(owner_user).get(f"/innenstadt/flaechen/{unit.pk}/").status_code == 200


def test_list_filters_by_area_location_and_use(make_unit: Callable[..., Unit], verified_owner: User) -> None:
    small = make_unit(owner=verified_owner, area_m2=Decimal("40"), uses=("retail",))
    big = make_unit(
        owner=verified_owner,
        area_m2=Decimal("200"),
        street="Königstraße",
        lat=INSIDE_EAST[0],
        lon=INSIDE_EAST[1],
        uses=("gastronomy", "popup"),
    )
    client = Client()
    page = client.get("/innenstadt/flaechen/")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 2
    assert [c["unit"] for c in client.get("/innenstadt/flaechen/?min_area=100").context["cards"]] == [big]
    assert [c["unit"] for c in client.get("/innenstadt/flaechen/?max_area=50").context["cards"]] == [small]
    assert [c["unit"] for c in client.get("/innenstadt/flaechen/?use=popup").context["cards"]] == [big]
    assert [c["unit"] for c in client.get("/innenstadt/flaechen/?street=Hochstraße").context["cards"]] == [
        small
    ]
    district = big.district
    assert district is not None
    assert district != small.district
    cards = client.get(f"/innenstadt/flaechen/?district={district.pk}").context["cards"]
    assert [c["unit"] for c in cards] == [big]


@pytest.mark.parametrize(
    "query",
    [
        "min_area=abc",
        "max_area=-5",
        "min_area=100&max_area=10",
        "min_area=1e400",
        "use=nonsense",
        "district=999999",
        "street=%3Cscript%3E",
        "page=-1",
        "page=abc",
        "min_area=" + "9" * 500,
    ],
)
def test_hostile_filters_are_form_errors_not_500(
    make_unit: Callable[..., Unit], verified_owner: User, query: str
) -> None:
    make_unit(owner=verified_owner)
    response = Client().get(f"/innenstadt/flaechen/?{query}")
    assert response.status_code in (200, 400)
    assert b"<script>" not in response.content


def test_unit_page_shows_facts_but_never_notes_or_owner(
    make_unit: Callable[..., Unit], verified_owner: User
) -> None:
    unit = make_unit(
        owner=verified_owner, staff=True, status=Unit.Status.OFFERED, notes="Geheime Notiz der Koordination"
    )
    text = Client().get(f"/innenstadt/flaechen/{unit.pk}/").content.decode()
    assert "Hochstraße 42" in text
    assert "85,0 m²" in text
    assert "Geheime Notiz" not in text
    assert "Erika Eigen" not in text
    assert "02151" not in text
    csv = b"".join(Client().get("/innenstadt/flaechen.csv").streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "Hochstraße" in csv
    assert "Geheime" not in csv
    assert "Erika" not in csv


def test_landing_page_links_the_neighbouring_rooms(db: Any) -> None:
    text = Client().get("/innenstadt/").content.decode()
    for path in (
        "/innenstadt/flaechen/",
        "/innenstadt/zwischennutzung/",
        "/innenstadt/geschaefte/",
        "/veranstaltungen/",
    ):
        assert f'href="{path}' in text


def test_list_query_count_is_bounded(
    make_unit: Callable[..., Unit], verified_owner: User, django_assert_max_num_queries: Any
) -> None:
    def queries_for(n: int) -> int:
        for i in range(n):
            make_unit(owner=verified_owner, house_number=str(100 + i + Unit.objects.count()))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert Client().get("/innenstadt/flaechen/").status_code == 200
        return len(captured)

    Client().get("/innenstadt/flaechen/")  # the base map of the city is cached after the first page
    few = queries_for(3)
    many = queries_for(40)
    assert many == few
    with django_assert_max_num_queries(14):
        Client().get("/innenstadt/flaechen/?use=retail&min_area=10")


# --- owners -------------------------------------------------------------------------------------
def test_anonymous_is_sent_to_login(db: Any) -> None:
    for path in ("/innenstadt/anbieten/", "/innenstadt/anbieten/neu/", "/innenstadt/verwaltung/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert "/konto/login/" in response["Location"]
    assert Client().post("/innenstadt/anbieten/neu/", form_data()).status_code == 302
    assert not Unit.objects.exists()


def test_owner_registers_offers_a_unit_and_staff_verify(city: Any, coordinator: User) -> None:
    user: User = UserFactory()
    client = signed_in(user)
    assert client.get("/innenstadt/anbieten/neu/")["Location"].endswith("/innenstadt/anbieten/")
    response = client.post(
        "/innenstadt/anbieten/",
        {"role": "agent", "contact_name": "Max Makler", "organisation": "", "phone": ""},
    )
    assert response.status_code == 302
    response = client.post("/innenstadt/anbieten/neu/", form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get()
    assert unit.owner == user
    assert unit.status == Unit.Status.OFFERED
    assert unit.district is not None
    assert use_keys(unit) == {"retail", "popup"}
    assert unit.vacant_since == dt.date.today() or unit.vacant_since is not None
    assert not Unit.objects.public().exists()
    owner = Owner.objects.get(user=user)
    staff = signed_in(coordinator)
    assert staff.get("/innenstadt/verwaltung/anbietende/").status_code == 200
    assert (
        staff.post(f"/innenstadt/verwaltung/anbietende/{owner.pk}/pruefen/", {"action": "verify"}).status_code
        == 302
    )
    assert list(Unit.objects.public()) == [unit]
    assert list(units_for_matching()) == [unit]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("area_m2", "-3"),
        ("area_m2", "0"),
        ("area_m2", "abc"),
        ("area_m2", "1e9"),
        ("rent_per_month", "-1"),
        ("rent_per_month", "NaN"),
        ("lat", "999"),
        ("lat", str(OUTSIDE[0])),
        ("postcode", "4779"),
        ("floor", "99"),
        ("uses", "no-such-use"),
        ("title_de", ""),
        ("street", "x" * 500),
    ],
)
def test_bad_unit_input_is_a_form_error(
    make_unit: Callable[..., Unit], owner_user: User, field: str, value: str
) -> None:
    data = form_data(**{field: value})
    if field == "lat" and value == str(OUTSIDE[0]):
        data["lon"] = str(OUTSIDE[1])
    response = signed_in(owner_user).post("/innenstadt/anbieten/neu/", data)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode() or "kern-error" in response.content.decode()
    assert not Unit.objects.exists()


def test_owner_cannot_edit_someone_elses_unit(make_unit: Callable[..., Unit], verified_owner: User) -> None:
    unit = make_unit(owner=verified_owner)
    stranger: User = UserFactory()
    client = signed_in(stranger)
    assert client.get(f"/innenstadt/flaechen/{unit.pk}/bearbeiten/").status_code == 403
    assert client.post(f"/innenstadt/flaechen/{unit.pk}/bearbeiten/", form_data()).status_code == 403
    assert client.post(f"/innenstadt/flaechen/{unit.pk}/fotos/", {}).status_code == 403
    assert client.get("/innenstadt/verwaltung/").status_code == 403
    assert client.post("/innenstadt/verwaltung/zaehlungen/", {}).status_code == 403
    assert not VacancyCount.objects.exists()


def test_owner_cannot_set_staff_fields(make_unit: Callable[..., Unit], verified_owner: User) -> None:
    unit = make_unit(owner=verified_owner)
    response = signed_in(verified_owner).post(
        f"/innenstadt/flaechen/{unit.pk}/bearbeiten/",
        form_data(status="let", notes="von außen", area_m2="90"),
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.area_m2 == Decimal("90")
    assert unit.status == Unit.Status.OFFERED
    assert unit.notes == ""


# --- photos -------------------------------------------------------------------------------------
def test_photo_upload_strips_exif_and_is_served_for_public_units(
    make_unit: Callable[..., Unit], verified_owner: User
) -> None:
    unit = make_unit(owner=verified_owner)
    raw = jpeg_with_gps()
    assert Image.open(__import__("io").BytesIO(raw)).getexif()
    response = signed_in(verified_owner).post(
        f"/innenstadt/flaechen/{unit.pk}/fotos/",
        {
            "photo": SimpleUploadedFile("laden.jpg", raw, content_type="image/jpeg"),
            "alt_text": "Schaufenster",
        },
    )
    assert response.status_code == 302
    photo = UnitPhoto.objects.get()
    with photo.image.open("rb") as handle:
        stored = handle.read()
    image = Image.open(__import__("io").BytesIO(stored))
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"Kamera GmbH" not in stored
    served = Client().get(f"/innenstadt/fotos/{photo.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"Kamera GmbH" not in served.content


def test_photo_of_non_public_unit_is_hidden(make_unit: Callable[..., Unit], owner_user: User) -> None:
    unit = make_unit(owner=owner_user)  # owner not verified
    signed_in(owner_user).post(
        f"/innenstadt/flaechen/{unit.pk}/fotos/",
        {"photo": SimpleUploadedFile("laden.jpg", jpeg_with_gps(), content_type="image/jpeg")},
    )
    photo = UnitPhoto.objects.get()
    assert Client().get(f"/innenstadt/fotos/{photo.pk}/").status_code == 404
    assert signed_in(owner_user).get(f"/innenstadt/fotos/{photo.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kein-bild.jpg", b"%PDF-1.4 not an image", "kein Foto"),
        ("leer.png", b"", "kein Foto"),
        ("riesig.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 10), "größer als 10 MB"),
    ],
)
def test_bad_photos_are_form_errors(
    make_unit: Callable[..., Unit], verified_owner: User, name: str, content: bytes, message: str
) -> None:
    unit = make_unit(owner=verified_owner)
    response = signed_in(verified_owner).post(
        f"/innenstadt/flaechen/{unit.pk}/fotos/", {"photo": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode() or "leer" in response.content.decode()
    assert not UnitPhoto.objects.exists()


def test_decompression_bomb_is_refused(make_unit: Callable[..., Unit], verified_owner: User) -> None:
    import io

    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 megapixels, a small file
    unit = make_unit(owner=verified_owner)
    response = signed_in(verified_owner).post(
        f"/innenstadt/flaechen/{unit.pk}/fotos/",
        {"photo": SimpleUploadedFile("bombe.png", out.getvalue(), content_type="image/png")},
    )
    assert response.status_code == 400
    assert "Bildpunkte" in response.content.decode()
    assert not UnitPhoto.objects.exists()


# --- the coordination ---------------------------------------------------------------------------
def test_coordination_registers_a_unit_no_owner_offered(city: Any, coordinator: User) -> None:
    client = signed_in(coordinator)
    data = form_data(
        status="vacant", vacant_since="2024-02-01", reason="insolvency", notes="Eigentümer unbekannt"
    )
    data.pop("owner_consent_public")
    assert client.post("/innenstadt/verwaltung/neu/", data).status_code == 302
    unit = Unit.objects.get()
    assert unit.owner is None
    assert unit.status == "vacant"
    assert unit.notes == "Eigentümer unbekannt"
    assert not Unit.objects.public().exists()
    page = client.get("/innenstadt/verwaltung/?status=vacant")
    assert page.status_code == 200
    assert "Neumarkt 7" in page.content.decode()
    assert Client().get(f"/innenstadt/flaechen/{unit.pk}/").status_code == 404


def test_platform_staff_is_coordination(db: Any) -> None:
    staff: User = UserFactory(staff=True)
    assert staff.has_perm("innercity.coordinate")
    assert not UserFactory().has_perm("innercity.coordinate")


def test_count_button_and_statistics(
    make_unit: Callable[..., Unit], coordinator: User, verified_owner: User
) -> None:
    make_unit(owner=verified_owner, staff=True, status="offered", vacant_since=dt.date(2026, 1, 1))
    make_unit(staff=True, status="vacant", vacant_since=dt.date(2025, 7, 1), house_number="9")
    make_unit(staff=True, status="let", street="Rheinstraße", house_number="1")
    client = signed_in(coordinator)
    assert client.post("/innenstadt/verwaltung/zaehlungen/", {"count_date": "2026-04-01"}).status_code == 302
    count = VacancyCount.objects.get()
    assert (count.units, count.vacant, count.median_days) == (3, 2, (90 + 274) // 2)
    streets = {r.label: (r.units, r.vacant) for r in count.rows.filter(scope="street")}
    assert streets == {"Hochstraße": (2, 2), "Rheinstraße": (1, 0)}
    page = Client().get("/innenstadt/leerstand/")
    assert page.status_code == 200
    assert "Hochstraße" in page.content.decode()
    csv = b"".join(Client().get("/innenstadt/leerstand.csv").streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "2026-04-01,gesamt,,Innenstadt,3,2,0.6667" in csv


def test_count_command(make_unit: Callable[..., Unit]) -> None:
    from django.core.management import call_command

    make_unit(staff=True, status="vacant")
    call_command("count_vacancy", "--date", "2026-10-01", stdout=__import__("io").StringIO())
    assert VacancyCount.objects.get().count_date == dt.date(2026, 10, 1)
    with pytest.raises(Exception, match="JJJJ-MM-TT"):
        call_command("count_vacancy", "--date", "gestern")


def test_strategy_source_and_catalogue_are_registered(make_unit: Callable[..., Unit]) -> None:
    from konzeptk.core import catalogue
    from konzeptk.innercity.services import vacancy_count_take
    from konzeptk.strategy.source_registry import get_source

    source = get_source("innercity.vacancy_share")
    assert source is not None
    assert source.value() is None
    make_unit(staff=True, status="vacant")
    make_unit(staff=True, status="let", house_number="2")
    vacancy_count_take()
    assert source.value() == 50.0
    names = {entry.name for src, entry in catalogue.entries() if src == "innercity"}
    assert names == {"leerstand-innenstadt", "freie-ladenlokale-innenstadt"}
