"""Indicators: definitions, targets and values entered by people."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError
from konzeptk.strategy.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Project,
)

INDICATOR_FIELDS = frozenset(
    {
        "slug",
        "name",
        "description",
        "unit",
        "direction",
        "source",
        "method",
        "baseline_value",
        "baseline_year",
        "goal_key",
        "series_source",
        "published",
        "is_demo_content",
    }
)


def parse_number(raw: Any) -> float:
    """A number as people type it: "9", "9.5", "9,5", "1.234,5" (German) – else a clear refusal."""
    if isinstance(raw, bool):
        raise DomainError("not_a_number", _("Bitte geben Sie eine Zahl ein."))
    if isinstance(raw, int | float | Decimal):
        number = float(raw)
    else:
        text = str(raw).strip().replace("\u202f", "").replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise DomainError(
                "not_a_number",
                _("„%(value)s“ ist keine Zahl. Bitte geben Sie eine Zahl ein, z. B. 12,5.") % {"value": raw},
            ) from None
    if not math.isfinite(number):
        raise DomainError("not_a_number", _("Bitte geben Sie eine endliche Zahl ein."))
    return number


@transaction.atomic
def indicator_value_add(
    *,
    indicator: Indicator,
    value: Any,
    on: dt.date,
    by: User | None,
    source: str = IndicatorValue.Source.MANUAL,
    source_ref: str = "",
    is_demo_content: bool = False,
) -> IndicatorValue:
    number = parse_number(value)
    if on.year < indicator.baseline_year:
        raise DomainError(
            "before_baseline",
            _("Der Stichtag liegt vor dem Ausgangsjahr %(year)s.") % {"year": indicator.baseline_year},
        )
    if on > timezone.localdate():
        raise DomainError("in_future", _("Messwerte können nicht in der Zukunft liegen."))
    if source not in IndicatorValue.Source.values:
        raise DomainError("source_unknown", _("Unbekannte Herkunft des Wertes."))
    if IndicatorValue.objects.filter(indicator=indicator, date=on, source=source).exists():
        raise DomainError(
            "duplicate",
            _("Für den %(date)s gibt es schon einen Wert dieser Herkunft.")
            % {"date": on.strftime("%d.%m.%Y")},
        )
    return IndicatorValue.objects.create(
        indicator=indicator,
        value=number,
        date=on,
        source=source,
        source_ref=source_ref.strip(),
        created_by=by,
        is_demo_content=is_demo_content,
    )


@transaction.atomic
def indicator_target_set(
    *,
    indicator: Indicator,
    value: Any,
    year: Any,
    by: User | None,
    note: str = "",
    is_demo_content: bool = False,
) -> IndicatorTarget:
    number = parse_number(value)
    try:
        target_year = int(str(year).strip())
    except ValueError:
        raise DomainError("year_invalid", _("Bitte geben Sie das Zieljahr als Jahreszahl an.")) from None
    if target_year <= indicator.baseline_year:
        raise DomainError(
            "target_before_baseline",
            _("Das Zieljahr %(target)s muss nach dem Ausgangsjahr %(baseline)s liegen.")
            % {"target": target_year, "baseline": indicator.baseline_year},
        )
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator,
        year=target_year,
        defaults={"value": number, "note": note.strip(), "is_demo_content": is_demo_content},
    )
    return target


@transaction.atomic
def indicator_save(
    *,
    indicator: Indicator | None,
    by: User | None,
    data: dict[str, Any],
    projects: Iterable[Project] | None = None,
) -> Indicator:
    """Create or update an indicator's definition; ``projects`` None leaves its projects as they are."""
    unknown = set(data) - INDICATOR_FIELDS
    if unknown:
        raise DomainError(
            "field_unknown", _("Unbekannte Angaben: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if "direction" in data and data["direction"] not in Indicator.Direction.values:
        raise DomainError("direction_unknown", _("Bitte wählen Sie, ob höher oder niedriger besser ist."))
    if "baseline_value" in data:
        data = {**data, "baseline_value": parse_number(data["baseline_value"])}
    if indicator is None:
        indicator = Indicator()
    for name, value in data.items():
        setattr(indicator, name, value)
    if not str(indicator.name).strip() or not indicator.slug:
        raise DomainError("name_missing", _("Bitte geben Sie einen Namen und eine Kennung an."))
    indicator.save()
    if projects is not None:
        indicator.projects.set(list(projects))
    return indicator
