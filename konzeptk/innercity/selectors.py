"""Reading the register: what pages, other rooms (interimuse's matching, opendata, strategy) may call."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, QuerySet

from konzeptk.accounts.models import User
from konzeptk.innercity.models import (
    Owner,
    Unit,
    UnitPhoto,
    Use,
    UseKey,
    VacancyCount,
    VacancyCountRow,
)

#: how many counts the history chart and table show at most (twice a year: 25 years)
HISTORY_LIMIT = 50


def _with_uses(units: QuerySet[Unit]) -> QuerySet[Unit]:
    # the district's outline (GeoJSON, many kB) is never needed beside a unit: parsing it per row
    # cost about 1.7 ms per unit
    return (
        units.select_related("district")
        .defer("district__geometry")
        .prefetch_related(Prefetch("uses", queryset=Use.objects.order_by("key")))
    )


def units_for_matching() -> QuerySet[Unit]:
    """Units an interim use can be matched with: offered or reserved, owner agreed, owner verified.

    District and uses come along (``select_related``/``prefetch_related``): iterate and read
    ``unit.district``, ``unit.uses.all()`` (or :func:`use_keys`) without further queries.
    """
    return _with_uses(Unit.objects.public()).order_by("pk")


def use_keys(unit: Unit) -> set[str]:
    """The keys of the uses a unit allows (from the prefetched uses when present)."""
    return {use.key for use in unit.uses.all()}


def use_choices() -> list[tuple[str, str]]:
    """The controlled list of uses as (key, label) in the active language."""
    return [(str(key), str(label)) for key, label in UseKey.choices]


def uses_by_key(keys: list[str] | set[str]) -> QuerySet[Use]:
    return Use.objects.filter(key__in=list(keys))


# --- the public list ----------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitFilter:
    min_area: Decimal | None = None
    max_area: Decimal | None = None
    district_id: int | None = None
    street: str = ""
    use: str = ""


def public_units(flt: UnitFilter | None = None) -> QuerySet[Unit]:
    """Public units matching the filter, with district, uses and the first photo's id, in a stable order."""
    flt = flt or UnitFilter()
    units = Unit.objects.public()
    if flt.min_area is not None:
        units = units.filter(area_m2__gte=flt.min_area)
    if flt.max_area is not None:
        units = units.filter(area_m2__lte=flt.max_area)
    if flt.district_id is not None:
        units = units.filter(district_id=flt.district_id)
    if flt.street:
        units = units.filter(street=flt.street)
    if flt.use:
        units = units.filter(uses__key=flt.use)
    return (
        _with_uses(units)
        .prefetch_related(
            Prefetch("photos", queryset=UnitPhoto.objects.order_by("pk").only("pk", "unit_id", "alt_text"))
        )
        .order_by("street", "house_number", "pk")
    )


def public_filter_choices() -> tuple[list[tuple[str, str]], list[str]]:
    """The districts (id, name) and streets that public units lie in, for the filter form (two queries)."""
    public = Unit.objects.public()
    districts = [
        (str(pk), name)
        for pk, name in public.filter(district__isnull=False)
        .values_list("district_id", "district__name")
        .distinct()
        .order_by("district__name")
    ]
    streets = list(public.values_list("street", flat=True).distinct().order_by("street"))
    return districts, streets


def public_unit(pk: int) -> Unit | None:
    return _with_uses(Unit.objects.public()).prefetch_related("photos").filter(pk=pk).first()


def unit_by_pk(pk: int) -> Unit | None:
    return (
        _with_uses(Unit.objects.all())
        .select_related("owner")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )


def photo_by_pk(pk: int) -> UnitPhoto | None:
    return UnitPhoto.objects.select_related("unit").filter(pk=pk).first()


def photo_is_public(photo: UnitPhoto) -> bool:
    return bool(Unit.objects.public().filter(pk=photo.unit_id).exists())


# --- owners -------------------------------------------------------------------------------------
def owner_of(user: User) -> Owner | None:
    return Owner.objects.filter(user=user).first()


def units_of(user: User) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(owner=user)
        .select_related("district")
        .annotate(photo_count=Count("photos"))
        .order_by("-created_at", "pk")
    )


# --- the coordination ---------------------------------------------------------------------------
def register_units(*, status: str = "", street: str = "") -> QuerySet[Unit]:
    units = Unit.objects.select_related("district", "owner", "owner__innercity_owner")
    if status:
        units = units.filter(status=status)
    if street:
        units = units.filter(street__icontains=street)
    return units.order_by("street", "house_number", "pk")


def owners_for_review() -> QuerySet[Owner]:
    """Owners, unverified first, with the number of units each offers."""
    return (
        Owner.objects.select_related("user")
        .annotate(unit_count=Count("user__innercity_units"))
        .order_by(F("verified_at").asc(nulls_first=True), "-created_at", "pk")
    )


def owner_by_pk(pk: int) -> Owner | None:
    return Owner.objects.filter(pk=pk).first()


# --- counts -------------------------------------------------------------------------------------
def count_history() -> list[VacancyCount]:
    """The last HISTORY_LIMIT counts, oldest first."""
    newest = list(VacancyCount.objects.order_by("-count_date")[:HISTORY_LIMIT])
    return newest[::-1]


def latest_count() -> VacancyCount | None:
    return VacancyCount.objects.order_by("-count_date").first()


def count_rows(count: VacancyCount, scope: str) -> QuerySet[VacancyCountRow]:
    return count.rows.filter(scope=scope).order_by("-vacant", "label")


def all_count_rows() -> QuerySet[VacancyCountRow]:
    """Every row of every count, for the open-data CSV (iterate lazily)."""
    return VacancyCountRow.objects.select_related("count").order_by(
        "count__count_date", "scope", "label", "pk"
    )


def vacancy_share_percent() -> float | None:
    """The latest count's share of vacant units in percent (the strategy indicator "Leerstand Innenstadt")."""
    count = latest_count()
    share = count.share if count is not None else None
    return None if share is None else round(share * 100, 1)


def at_a_glance() -> dict[str, int | None]:
    """Figures of the landing page: public offers now and the latest count."""
    count = latest_count()
    return {
        "offered": Unit.objects.public().count(),
        "vacant": count.vacant if count else None,
        "units": count.units if count else None,
    }
