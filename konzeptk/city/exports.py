"""The city profile holds nothing about a person (declared for the personal-data coverage test)."""

from __future__ import annotations

from konzeptk.accounts.export_registry import declare_no_personal_data

declare_no_personal_data(
    "city.CityProfile",
    "city.DistrictLayer",
    "city.District",
    "city.PopulationStat",
    "city.PointOfInterest",
    reason="The city profile from official and open sources: boundary, districts, population counts "
    "by group and public places. No row describes a person.",
)
