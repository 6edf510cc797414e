"""Writing the register: owners, units, photos, status and the vacancy count.

Every function is keyword-only and runs in one transaction; views, the command and the demo call the
same functions. A refusal is a :class:`~konzeptk.core.errors.DomainError` with the form field it is about.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.city.selectors import district_for
from konzeptk.core.errors import DomainError
from konzeptk.core.images import ImageRejected, NotAnImageError, reencode_as_jpeg
from konzeptk.innercity.models import (
    Owner,
    Unit,
    UnitPhoto,
    Use,
    UseKey,
    VacancyCount,
    VacancyCountRow,
)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDE = 2000
MAX_PHOTOS_PER_UNIT = 12

#: what an owner may set on a unit (the staff may set these and :data:`STAFF_FIELDS`)
OWNER_FIELDS = (
    "title_de",
    "description_de",
    "street",
    "house_number",
    "postcode",
    "lat",
    "lon",
    "area_m2",
    "shop_window_m",
    "floor",
    "step_free",
    "rent_per_month",
    "available_from",
    "owner_consent_public",
)
TRANSLATED_FIELDS = tuple(
    f"{field}_{lang}" for field in ("title", "description") for lang in ("en", "tr", "ar", "pl", "uk")
)
STAFF_FIELDS = ("status", "vacant_since", "reason", "notes", "simulated", *TRANSLATED_FIELDS)


def _uses(keys: Iterable[str]) -> list[Use]:
    """The rows of the wanted keys of the controlled list; a missing row (e.g. after a test flushed the
    table the migration filled) is created, unknown keys are ignored."""
    wanted = [key for key in dict.fromkeys(keys) if key in UseKey.values]
    found = list(Use.objects.filter(key__in=wanted))
    if len(found) < len(wanted):
        present = {use.key for use in found}
        Use.objects.bulk_create([Use(key=k) for k in wanted if k not in present], ignore_conflicts=True)
        found = list(Use.objects.filter(key__in=wanted))
    return found


# --- owners -------------------------------------------------------------------------------------
@transaction.atomic
def owner_register(
    *, user: User, contact_name: str, role: str = Owner.Role.OWNER, organisation: str = "", phone: str = ""
) -> Owner:
    """The person offers units as owner or agent; staff verify them before their units go public."""
    owner, _created = Owner.objects.update_or_create(
        user=user,
        defaults={"contact_name": contact_name, "role": role, "organisation": organisation, "phone": phone},
    )
    return owner


@transaction.atomic
def owner_verify(*, owner: Owner, by: User | None) -> Owner:
    owner.verified_at = timezone.now()
    owner.verified_by = by
    owner.save(update_fields=["verified_at", "verified_by"])
    return owner


@transaction.atomic
def owner_unverify(*, owner: Owner) -> Owner:
    owner.verified_at = None
    owner.verified_by = None
    owner.save(update_fields=["verified_at", "verified_by"])
    return owner


# --- units --------------------------------------------------------------------------------------
def _place(unit: Unit) -> None:
    """The district of the unit's point, from the city profile; a point outside the city is refused."""
    answer = district_for(unit.lat, unit.lon)
    if not answer.inside_city:
        raise DomainError(
            "outside_city",
            _("Der Ort liegt außerhalb des Stadtgebiets. Bitte wählen Sie einen Ort in der Stadt."),
            fields=[("lat", _("Der Ort liegt außerhalb des Stadtgebiets."))],
        )
    unit.district = answer.district


def _assign(unit: Unit, values: Mapping[str, Any], allowed: Iterable[str]) -> None:
    for name in allowed:
        if name in values:
            setattr(unit, name, values[name])


def _check(unit: Unit) -> None:
    if unit.area_m2 is None or unit.area_m2 <= 0:
        raise DomainError("invalid_area", fields=[("area_m2", _("Die Fläche muss größer als 0 m² sein."))])
    if unit.rent_per_month is not None and unit.rent_per_month < 0:
        raise DomainError(
            "invalid_rent", fields=[("rent_per_month", _("Die Miete kann nicht negativ sein."))]
        )


@transaction.atomic
def unit_create(
    *,
    values: Mapping[str, Any],
    uses: Iterable[str] = (),
    owner: User | None = None,
    by_staff: bool = False,
) -> Unit:
    """A unit in the register; an owner's unit starts as offered, a unit staff enter as vacant."""
    unit = Unit(owner=owner, status=Unit.Status.OFFERED if owner and not by_staff else Unit.Status.VACANT)
    _assign(unit, values, OWNER_FIELDS + (STAFF_FIELDS if by_staff else ()))
    if not by_staff and unit.vacant_since is None:
        unit.vacant_since = timezone.localdate()
    _check(unit)
    _place(unit)
    unit.save()
    unit.uses.set(_uses(uses))
    return unit


@transaction.atomic
def unit_update(
    *, unit: Unit, values: Mapping[str, Any], uses: Iterable[str] | None = None, by_staff: bool = False
) -> Unit:
    moved = any(name in values and values[name] != getattr(unit, name) for name in ("lat", "lon"))
    _assign(unit, values, OWNER_FIELDS + (STAFF_FIELDS if by_staff else ()))
    if by_staff and "owner" in values:
        unit.owner = values["owner"]
    _check(unit)
    if moved or unit.district_id is None:
        _place(unit)
    unit.save()
    if uses is not None:
        unit.uses.set(_uses(uses))
    return unit


@transaction.atomic
def unit_set_status(*, unit: Unit, status: str, by: User | None = None) -> Unit:
    """Set the status (e.g. ``in_interim_use`` when an interim-use contract starts). Becoming
    vacant again starts a new vacancy today; leaving vacancy keeps ``vacant_since`` for the record."""
    if status not in Unit.Status.values:
        raise DomainError("invalid_status", _("Diesen Status gibt es nicht."))
    was_vacant = unit.is_vacant
    unit.status = status
    if unit.is_vacant and not was_vacant:
        unit.vacant_since = timezone.localdate()
    unit.save(update_fields=["status", "vacant_since", "updated_at"])
    return unit


# --- photos -------------------------------------------------------------------------------------
def clean_photo(upload: UploadedFile[bytes]) -> ContentFile[bytes]:
    """The photo as a JPEG without metadata (EXIF, GPS, XMP), at most MAX_PHOTO_SIDE pixels long."""
    name = upload.name or "foto"
    too_big = DomainError(
        "photo_too_large",
        fields=[
            (
                "photo",
                _("Das Foto „%(name)s“ ist größer als %(mb)d MB. Bitte wählen Sie ein kleineres Foto.")
                % {"name": name, "mb": MAX_PHOTO_BYTES // (1024 * 1024)},
            )
        ],
    )
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise too_big
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise too_big
    try:
        jpeg = reencode_as_jpeg(data, max_side=MAX_PHOTO_SIDE)
    except NotAnImageError as exc:
        raise DomainError(
            "not_an_image",
            fields=[
                (
                    "photo",
                    _("„%(name)s“ ist kein Foto. Erlaubt sind JPEG, PNG, WebP und GIF.") % {"name": name},
                )
            ],
        ) from exc
    except ImageRejected as exc:
        raise DomainError("image_rejected", fields=[("photo", exc.message)]) from exc
    return ContentFile(jpeg, name="foto.jpg")


@transaction.atomic
def unit_photo_add(*, unit: Unit, upload: UploadedFile[bytes], alt_text: str = "") -> UnitPhoto:
    if unit.photos.count() >= MAX_PHOTOS_PER_UNIT:
        raise DomainError(
            "too_many_photos",
            fields=[("photo", _("Ein Ladenlokal hat höchstens %(n)d Fotos.") % {"n": MAX_PHOTOS_PER_UNIT})],
        )
    content = clean_photo(upload)
    photo = UnitPhoto(unit=unit, alt_text_de=alt_text)
    photo.image.save(content.name or "foto.jpg", content, save=False)
    photo.save()
    return photo


def unit_photo_delete(*, photo: UnitPhoto) -> None:
    storage, name = photo.image.storage, photo.image.name or ""
    with transaction.atomic():
        photo.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


# --- the vacancy count --------------------------------------------------------------------------
def _median_days(days: list[int]) -> int | None:
    return round(statistics.median(days)) if days else None


@transaction.atomic
def vacancy_count_take(
    *, on: dt.date | None = None, by: User | None = None, simulated: bool = False, source: str = ""
) -> VacancyCount:
    """Count the register as it stands now, dated ``on`` (default today): per street, per district and
    in total the units, the vacant ones (vacant, offered, reserved) and the median days since
    ``vacant_since``. A second count on the same date replaces the first."""
    day = on or timezone.localdate()
    rows = list(Unit.objects.values_list("street", "district_id", "district__name", "status", "vacant_since"))
    streets: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    districts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    district_names: dict[str, str] = {}
    street_days: dict[str, list[int]] = defaultdict(list)
    district_days: dict[str, list[int]] = defaultdict(list)
    all_days: list[int] = []
    vacant_total = 0
    for street, district_id, district_name, status, since in rows:
        dkey = str(district_id or "")
        district_names[dkey] = district_name or _("ohne Stadtbezirk")
        streets[street][0] += 1
        districts[dkey][0] += 1
        if status in Unit.VACANT_STATUSES:
            vacant_total += 1
            streets[street][1] += 1
            districts[dkey][1] += 1
            if since is not None and since <= day:
                days = (day - since).days
                street_days[street].append(days)
                district_days[dkey].append(days)
                all_days.append(days)
    VacancyCount.objects.filter(count_date=day).delete()
    count = VacancyCount.objects.create(
        count_date=day,
        taken_by=by,
        units=len(rows),
        vacant=vacant_total,
        median_days=_median_days(all_days),
        simulated=simulated,
        source=source,
    )
    VacancyCountRow.objects.bulk_create(
        [
            VacancyCountRow(
                count=count,
                scope=VacancyCountRow.Scope.STREET,
                key=street,
                label=street,
                units=units,
                vacant=vacant,
                median_days=_median_days(street_days[street]),
            )
            for street, (units, vacant) in sorted(streets.items())
        ]
        + [
            VacancyCountRow(
                count=count,
                scope=VacancyCountRow.Scope.DISTRICT,
                key=dkey or "-",
                label=district_names[dkey],
                units=units,
                vacant=vacant,
                median_days=_median_days(district_days[dkey]),
            )
            for dkey, (units, vacant) in sorted(districts.items())
        ]
    )
    return count


@transaction.atomic
def vacancy_count_record(
    *,
    on: dt.date,
    units: int,
    vacant: int,
    median_days: int | None = None,
    rows: Iterable[Mapping[str, Any]] = (),
    simulated: bool = False,
    source: str = "",
) -> VacancyCount:
    """A count made elsewhere (an earlier manual count, the demo's history), stored as given."""
    if vacant > units or units < 0 or vacant < 0:
        raise DomainError("invalid_count", _("Die Zahl der leeren Ladenlokale passt nicht zur Gesamtzahl."))
    VacancyCount.objects.filter(count_date=on).delete()
    count = VacancyCount.objects.create(
        count_date=on, units=units, vacant=vacant, median_days=median_days, simulated=simulated, source=source
    )
    VacancyCountRow.objects.bulk_create(
        [
            VacancyCountRow(
                count=count,
                scope=row["scope"],
                key=row["key"],
                label=row.get("label", row["key"]),
                units=row["units"],
                vacant=row["vacant"],
                median_days=row.get("median_days"),
            )
            for row in rows
        ]
    )
    return count
