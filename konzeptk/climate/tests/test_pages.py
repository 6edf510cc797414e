"""The dashboard, the CSV files, the staff forms, the strategy sources and the catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from konzeptk.accounts.models import User
from konzeptk.city.models import CityProfile
from konzeptk.climate import selectors, services
from konzeptk.climate.charging_import import charging_import
from konzeptk.climate.models import EmissionYear, ModalShare, SolarUnit
from konzeptk.climate.solar_import import mastr_import
from konzeptk.climate.tests.conftest import DATA
from konzeptk.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _figures(total: float) -> dict[str, float]:
    return {
        "households": total * 0.25,
        "industry": total * 0.45,
        "commerce": total * 0.1,
        "transport": total * 0.2,
    }


def _content(path: str = "2035") -> None:
    services.path_point_save(year=2017, per_capita=9.0, source="KrKN35")
    services.path_point_save(year=int(path), per_capita=2.0, source="KrKN35")
    for year, per_capita in ((2020, 8.3), (2022, 7.8)):
        services.emission_year_save(
            data=services.BalanceData(
                year=year,
                population=200_000,
                figures=_figures(per_capita * 200_000),
                source="Test",
                simulated=True,
            )
        )
    services.modal_split_save(
        year=2017,
        shares={"walking": 15, "cycling": 21, "public_transport": 13, "car": 51},
        source="Haushaltsbefragung 2017",
    )
    services.budget_basis_save(
        label="1,5 °C",
        start_year=2022,
        national_budget_t=3.1e9,
        national_population=84_000_000,
        city_population=200_000,
        population_date=dt.date(2022, 12, 31),
        source="SRU 2022",
    )


def test_dashboard_shows_every_figure(client: Client, city: CityProfile) -> None:
    _content()
    mastr_import(path=DATA / "EinheitenSolar_1.xml")
    charging_import(path=DATA / "Ladesaeulenregister.csv")
    response = client.get("/klima/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Klimaneutralität 2035" in html
    assert 'class="kk-chart__plan"' in html  # emissions against the path
    assert "kk-table-wrap kk-chart-scroll" in html
    assert "8,3" in html
    assert "7,8" in html
    assert "simuliert" in html
    assert "DL-DE-BY-2.0" in html
    assert "CC BY 4.0" in html
    assert "Ost" in html  # PV and charging per district
    assert "0,26 MWp" in html
    assert "Haushaltsbefragung 2017" in html
    assert "49 %" in html
    assert "So wird gerechnet" in html


def test_german_sources_are_marked_on_an_arabic_page(client: Client, city: CityProfile) -> None:
    _content()
    html = client.get("/ar/klima/").content.decode()
    assert '<bdi lang="de" dir="ltr">KrKN35</bdi>' in html  # path
    assert '<bdi lang="de" dir="ltr">Test</bdi>' in html  # balance table
    assert '<bdi lang="de" dir="ltr">Haushaltsbefragung 2017</bdi>' in html  # modal split
    assert '<bdi lang="de" dir="ltr">SRU 2022</bdi>' in html  # budget


def test_dashboard_empty(client: Client, db: None) -> None:
    response = client.get("/klima/")
    assert response.status_code == 200
    assert "Es ist noch keine Treibhausgasbilanz eingetragen." in response.content.decode()


@pytest.mark.parametrize("units", [10, 200])
def test_dashboard_queries_do_not_grow(
    client: Client, city: CityProfile, django_assert_max_num_queries: Any, units: int
) -> None:
    _content()
    SolarUnit.objects.bulk_create(
        SolarUnit(mastr_number=f"SEE{i:012d}", capacity_kw=10, commissioned_on=dt.date(2010 + i % 15, 5, 1))
        for i in range(units)
    )
    with django_assert_max_num_queries(22):
        assert client.get("/klima/").status_code == 200


def test_path_and_budget(city: CityProfile) -> None:
    _content()
    rows = selectors.balances()
    assert [r.year for r in rows] == [2020, 2022]
    assert rows[0].per_capita == pytest.approx(8.3)
    assert rows[0].path_per_capita == pytest.approx(9.0 - 3 * 7 / 18, abs=1e-3)
    budget = selectors.budget(rows)
    assert budget is not None
    assert budget.city_budget_t == pytest.approx(3.1e9 * 200_000 / 84_000_000)
    last_year = timezone.localdate().year - 1
    assert budget.measured_years == [2022]
    assert budget.estimated_years == list(range(2023, last_year + 1))
    used = 7.8 * 200_000 * (1 + len(budget.estimated_years))
    assert budget.used_t == pytest.approx(used)
    assert budget.remaining_t == pytest.approx(budget.city_budget_t - used)
    assert budget.simulated


def test_csv_downloads(client: Client, city: CityProfile) -> None:
    _content()
    mastr_import(path=DATA / "EinheitenSolar_1.xml")
    charging_import(path=DATA / "Ladesaeulenregister.csv")
    for url, needle in (
        ("/klima/treibhausgase.csv", "2020,200000"),
        ("/klima/photovoltaik.csv", "DL-DE-BY-2.0"),
        ("/klima/photovoltaik-bezirke.csv", "Ost"),
        ("/klima/ladepunkte.csv", "Testbetreiber Schnell AG"),
        ("/klima/modal-split.csv", "2017,15.0,21.0,13.0,51.0,49.0"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert needle in b"".join(response.streaming_content).decode("utf-8-sig"), url  # type: ignore[attr-defined]


def test_staff_only(client: Client, db: None) -> None:
    assert client.get("/klima/verwaltung/").status_code == 302
    resident = User.objects.create_user(email="r@example.org", password="x-geheim-12345")
    client.force_login(resident)
    assert client.get("/klima/verwaltung/").status_code == 403
    assert client.post("/klima/verwaltung/bilanz/", {}).status_code == 403


def test_staff_enters_a_balance(client: Client, staff: User, city: CityProfile) -> None:
    client.force_login(staff)
    assert client.get("/klima/verwaltung/").status_code == 200
    data = {
        "year": "2023",
        "population": "228550",
        "households": "400.000,5",
        "industry": "800000",
        "transport": "",
        "source": "Bilanz der Stadt",
        "licence": "DL-DE-BY-2.0",
    }
    response = client.post("/klima/verwaltung/bilanz/", data)
    assert response.status_code == 302
    balance = EmissionYear.objects.get(year=2023)
    assert {f.sector: f.tonnes for f in balance.figures.all()} == {
        "households": 400000.5,
        "industry": 800000.0,
    }
    # editing the year again replaces it; the form shows the stored figures
    assert "228550" in client.get("/klima/verwaltung/bilanz/?year=2023").content.decode()
    client.post("/klima/verwaltung/bilanz/", {**data, "households": "", "commerce": "5"})
    assert {f.sector for f in EmissionYear.objects.get(year=2023).figures.all()} == {"industry", "commerce"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"households": "-5"}, "größer oder gleich 0"),
        ({"households": "viel"}, "Bitte geben Sie eine Zahl ein"),
        ({"households": "", "industry": ""}, "mindestens eines Sektors"),
        ({"year": "1800"}, "größer oder gleich 1990"),
        ({"population": "0"}, "größer oder gleich 1"),
        ({"source": ""}, "Pflichtfeld"),
    ],
)
def test_balance_form_errors(client: Client, staff: User, change: dict[str, str], message: str) -> None:
    client.force_login(staff)
    data = {
        "year": "2023",
        "population": "228550",
        "households": "1",
        "industry": "2",
        "source": "Q",
        **change,
    }
    response = client.post("/klima/verwaltung/bilanz/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EmissionYear.objects.exists()


def test_balance_in_the_future_is_refused(client: Client, staff: User) -> None:
    client.force_login(staff)
    year = str(timezone.localdate().year + 1)
    response = client.post(
        "/klima/verwaltung/bilanz/", {"year": year, "population": "1", "households": "1", "source": "Q"}
    )
    assert response.status_code == 400


def test_balance_csv_upload(client: Client, staff: User) -> None:
    client.force_login(staff)
    text = (
        "jahr;einwohner;households;industry;commerce;transport;municipal;quelle;lizenz;simuliert\n"
        "2021;227.000;450.000,5;900000;;;;Bilanz 2021;DL-DE-BY-2.0;nein\n"
        "2022;228.426;-3;;;;;Bilanz 2022;;nein\n"
        "zweitausend;1;1;;;;;X;;nein\n"
        "2023;228.550;1;;;;;Bilanz 2023;;vielleicht\n"
    )
    upload = SimpleUploadedFile("bilanz.csv", text.encode(), content_type="text/csv")
    response = client.post("/klima/verwaltung/bilanz/csv/", {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "4 Zeilen gelesen, 1 gespeichert, 3 Fehler." in html
    assert "Zeile 3" in html
    assert "Zeile 4" in html
    assert "Zeile 5" in html
    assert list(EmissionYear.objects.values_list("year", flat=True)) == [2021]
    bad = SimpleUploadedFile("x.csv", b"a,b,c\n1,2,3\n", content_type="text/csv")
    response = client.post("/klima/verwaltung/bilanz/csv/", {"file": bad})
    assert response.status_code == 400
    assert "fehlen Spalten" in response.content.decode()
    binary = SimpleUploadedFile("x.csv", b"\xff\xfe\x00jahr", content_type="text/csv")
    assert client.post("/klima/verwaltung/bilanz/csv/", {"file": binary}).status_code == 400


def test_modal_split_form(client: Client, staff: User) -> None:
    client.force_login(staff)
    data = {
        "year": "2017",
        "walking": "15",
        "cycling": "21",
        "public_transport": "13",
        "car": "51",
        "source": "WZ 2017",
    }
    assert client.post("/klima/verwaltung/modal-split/", data).status_code == 302
    assert ModalShare.objects.count() == 4
    response = client.post("/klima/verwaltung/modal-split/", {**data, "car": "70"})
    assert response.status_code == 400
    assert "119 % statt 100 %" in response.content.decode()
    response = client.post("/klima/verwaltung/modal-split/", {**data, "car": "abc"})
    assert response.status_code == 400


def test_service_refusals(db: None) -> None:
    with pytest.raises(DomainError):
        services.emission_year_save(
            data=services.BalanceData(year=2020, population=1, figures={"kohle": 5}, source="Q")
        )
    with pytest.raises(DomainError):
        services.modal_split_save(year=2020, shares={"car": 100}, source="Q")
    with pytest.raises(DomainError):
        services.budget_basis_save(
            label="x",
            start_year=2022,
            national_budget_t=1,
            national_population=1,
            city_population=5,
            population_date=dt.date(2022, 1, 1),
            source="Q",
        )


def test_catalogue_entries_are_registered() -> None:
    from konzeptk.core import catalogue

    names = {entry.name for source, entry in catalogue.entries() if source == "climate"}
    assert names == {
        "treibhausgasbilanz",
        "photovoltaik-ausbau",
        "ladepunkte-elektromobilitaet",
        "modal-split",
    }
