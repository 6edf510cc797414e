from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from konzeptk.accounts.models import Organisation
from konzeptk.accounts.tests.factories import OrganisationFactory
from konzeptk.city.models import CityProfile
from konzeptk.city.tests.factories import split_city
from konzeptk.core import catalogue
from konzeptk.opendata.models import Dataset
from konzeptk.opendata.services import DistributionData, dataset_write


@pytest.fixture
def city(db: Any) -> CityProfile:
    profile, _west, _east = split_city(name="Krefeld", regional_key="051140000000", official_key="05114000")
    return profile


@pytest.fixture
def city_org(db: Any) -> Organisation:
    return OrganisationFactory(
        slug="stadt", name="Stadt Krefeld", kind=Organisation.Kind.CITY, is_core_team=True
    )


@pytest.fixture
def only_providers() -> Iterator[Callable[..., None]]:
    """Replace the catalogue registry's providers for one test (the apps' own come back afterwards)."""
    saved = catalogue.providers()
    catalogue._providers.clear()

    def use(**providers: catalogue.Provider) -> None:
        catalogue._providers.clear()
        catalogue._providers.update(providers)

    yield use
    catalogue._providers.clear()
    catalogue._providers.update(saved)


def make_dataset(
    name: str,
    title: str,
    *,
    description: str = "",
    publisher: Organisation | None = None,
    themes: tuple[str, ...] = ("ENVI",),
    keywords: tuple[str, ...] = (),
    licence: str = "dl-by-de/2.0",
    formats: tuple[str, ...] = ("CSV",),
    district_codes: tuple[str, ...] = (),
    modified: dt.datetime | None = None,
) -> Dataset:
    dataset = Dataset(
        name=name,
        title=title,
        description=description or f"Beschreibung von {title}",
        publisher=publisher,
        themes=list(themes),
        keywords=list(keywords),
        licence=licence,
        origin=Dataset.Origin.STAFF,
        contact_email="opendata@example.org",
        district_codes=list(district_codes),
        temporal_start=dt.date(2020, 1, 1),
    )
    media = {
        "CSV": "text/csv",
        "JSON": "application/json",
        "GEOJSON": "application/geo+json",
        "PDF": "application/pdf",
    }
    distributions = [
        DistributionData(
            key=f"{fmt.lower()}-{n}",
            title=f"{title} ({fmt})",
            access_url=f"https://daten.example.org/{name}.{fmt.lower()}",
            download_url=f"https://daten.example.org/{name}.{fmt.lower()}",
            file_format=fmt,
            media_type=media.get(fmt, ""),
        )
        for n, fmt in enumerate(formats)
    ]
    return dataset_write(dataset=dataset, distributions=distributions, modified=modified)
