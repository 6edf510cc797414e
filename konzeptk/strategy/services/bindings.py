"""Indicators fed by the urban data platform: a binding to a datastream, or to a value source another
room registered (:mod:`konzeptk.strategy.source_registry`), and its yearly refresh."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError
from konzeptk.sensing import selectors as sensing
from konzeptk.sensing.models import Datastream
from konzeptk.strategy import source_registry
from konzeptk.strategy.models import (
    Indicator,
    IndicatorBinding,
    IndicatorValue,
)

AUTO_SOURCE_REF = "Stadtdaten (automatisch)"
#: cache key while a ``strategy.refresh_indicator`` task for the indicator waits (see strategy/background.py)
REFRESH_DISPATCHED_KEY = "strategy:refresh:dispatched:{}"


@transaction.atomic
def indicator_bind(
    *,
    indicator: Indicator,
    datastream_name: str = "",
    statistic: str = "",
    source: str = "",
    scale: float = 1.0,
    is_simulated: bool = False,
) -> IndicatorBinding:
    """Feed the indicator's yearly values from the datastream of this name (found at refresh time, so
    the binding may be declared before the data exists), or from the registered value source ``source``
    (its current value becomes this year's value). Changing a binding lets the next refresh recompute."""
    source = source.strip()
    if source:
        if datastream_name.strip():
            raise DomainError(
                "binding_ambiguous",
                _("Eine Kennzahl wird entweder aus einer Datenreihe oder aus einer Wertquelle gespeist."),
            )
        if source_registry.get_source(source) is None:
            raise DomainError(
                "source_unknown",
                _("Die Wertquelle „%(source)s“ ist nicht bekannt.") % {"source": source[:100]},
            )
        defaults = {"source": source, "datastream_name": "", "datastream": None, "statistic": ""}
    else:
        if statistic not in IndicatorBinding.Statistic.values:
            raise DomainError("statistic_unknown", _("Diese Kennzahl gibt es nicht."))
        if not datastream_name.strip():
            raise DomainError("datastream_missing", _("Bitte geben Sie den Namen der Datenreihe an."))
        defaults = {"source": "", "datastream_name": datastream_name.strip(), "statistic": statistic}
    binding, _created = IndicatorBinding.objects.update_or_create(
        indicator=indicator,
        defaults={**defaults, "scale": scale, "is_simulated": is_simulated, "signature": ""},
    )
    return binding


def _source_signature(*, binding: IndicatorBinding, value: float | None) -> str:
    """This year's value of the source: a new year or a changed value lets the refresh write again."""
    year = timezone.now().year
    return f"source:{binding.source}:{year}:{value}:{binding.scale}"[:120]


def _source_value(binding: IndicatorBinding) -> tuple[bool, float | None]:
    """(registered, current value) of the binding's value source."""
    registered = source_registry.get_source(binding.source)
    if registered is None:
        return False, None
    return True, registered.value()


def _binding_datastream(binding: IndicatorBinding) -> Datastream | None:
    if binding.datastream_id is not None:
        return Datastream.objects.filter(pk=binding.datastream_id).first()
    if binding.datastream_name:
        return Datastream.objects.filter(name=binding.datastream_name).order_by("pk").first()
    return None


def binding_signature(*, binding: IndicatorBinding, datastream: Datastream) -> str:
    """Cheap change check: one indexed look-up of the datastream's newest observation."""
    latest = (
        datastream.observations.order_by("-phenomenon_time_start", "-pk")
        .values_list("pk", "phenomenon_time_start")
        .first()
    )
    newest = f"{latest[0]}@{latest[1].isoformat()}" if latest else "leer"
    return f"{datastream.pk}:{newest}:{binding.statistic}:{binding.scale}"[:120]


def indicator_binding_is_stale(
    *, binding: IndicatorBinding, min_interval: dt.timedelta | None = None
) -> bool:
    """Read-only: would :func:`indicator_refresh_from_data` change anything? True when the binding was
    never computed, its datastream appeared or disappeared, or the datastream has new observations since
    the last refresh. A refresh younger than ``min_interval`` counts as current (the indicator page asks
    with one hour, so live data arriving every minute does not start a recomputation per visit). At most
    two indexed look-ups; never writes."""
    if (
        min_interval is not None
        and binding.refreshed_at is not None
        and timezone.now() - binding.refreshed_at < min_interval
    ):
        return False
    if binding.source:
        registered, value = _source_value(binding)
        if not registered:
            return binding.state != IndicatorBinding.State.MISSING
        return not (
            binding.state == IndicatorBinding.State.OK
            and binding.signature == _source_signature(binding=binding, value=value)
        )
    datastream = _binding_datastream(binding)
    if datastream is None:
        return binding.state != IndicatorBinding.State.MISSING
    return not (
        binding.state == IndicatorBinding.State.OK
        and binding.signature == binding_signature(binding=binding, datastream=datastream)
    )


def indicator_refresh_from_data(
    *, indicator: Indicator, force: bool = False, min_interval: dt.timedelta | None = None
) -> IndicatorBinding | None:
    """Writes one value per calendar year (UTC) from the bound datastream; idempotent. Runs as a job
    (:mod:`konzeptk.strategy.background`, the Celery task ``strategy.refresh_indicators`` on the beat
    schedule, ``konzeptk refresh_indicators``), never in a page request.

    Returns the binding (with its state) or None when the indicator is not bound. Skips the work when the
    datastream's newest observation is unchanged since the last refresh (unless ``force``), or when the
    last refresh is younger than ``min_interval``.
    """
    binding = IndicatorBinding.objects.filter(indicator=indicator).first()
    if binding is None:
        return None
    if (
        not force
        and min_interval is not None
        and binding.refreshed_at is not None
        and timezone.now() - binding.refreshed_at < min_interval
    ):
        return binding  # page requests: at most one recomputation per interval, the command does the rest
    if binding.source:
        return _refresh_from_source(indicator=indicator, binding=binding, force=force)
    datastream = _binding_datastream(binding)
    with transaction.atomic():
        binding = IndicatorBinding.objects.select_for_update().get(pk=binding.pk)
        if datastream is None:
            if binding.state != IndicatorBinding.State.MISSING:
                binding.state = IndicatorBinding.State.MISSING
                binding.signature = ""
                binding.save(update_fields=["state", "signature"])
            return binding
        signature = binding_signature(binding=binding, datastream=datastream)
        if not force and binding.state == IndicatorBinding.State.OK and binding.signature == signature:
            return binding
        span = datastream.observations.aggregate(
            first=Min("phenomenon_time_start"), last=Max("phenomenon_time_start")
        )
        years: list[int] = []
        if span["first"] is not None:
            years = list(range(span["first"].year, span["last"].year + 1))
        for year in years:
            start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
            end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
            value = sensing.aggregate_value(
                datastream=datastream, statistic=binding.statistic, start=start, end=end
            )
            if value is None:
                continue
            ref = f"{AUTO_SOURCE_REF}: {datastream.name}"
            first_day = max(start, span["first"]).date()
            last_day = min(end - dt.timedelta(microseconds=1), span["last"]).date()
            if first_day > dt.date(year, 1, 1) or last_day < dt.date(year, 12, 31):
                ref += f" – Teiljahr, Daten vom {first_day:%d.%m.%Y} bis {last_day:%d.%m.%Y}"
            IndicatorValue.objects.update_or_create(
                indicator=indicator,
                date=dt.date(year, 1, 1),
                source=IndicatorValue.Source.SERIES,
                defaults={
                    "value": round(value * binding.scale, 6),
                    "source_ref": ref[:300],
                    "is_demo_content": binding.is_simulated,
                },
            )
        IndicatorValue.objects.filter(indicator=indicator, source=IndicatorValue.Source.SERIES).exclude(
            date__in=[dt.date(y, 1, 1) for y in years]
        ).delete()
        binding.datastream = datastream
        binding.signature = signature
        binding.state = IndicatorBinding.State.OK
        binding.refreshed_at = timezone.now()
        binding.save(update_fields=["datastream", "signature", "state", "refreshed_at"])
    return binding


@transaction.atomic
def _refresh_from_source(*, indicator: Indicator, binding: IndicatorBinding, force: bool) -> IndicatorBinding:
    """Writes the registered source's current value as this year's value (idempotent per year); earlier
    years keep the value their last refresh wrote. A source no room registers any more marks the binding
    missing; a source without a value now (None) writes nothing."""
    binding = IndicatorBinding.objects.select_for_update().get(pk=binding.pk)
    registered, value = _source_value(binding)
    if not registered:
        if binding.state != IndicatorBinding.State.MISSING:
            binding.state = IndicatorBinding.State.MISSING
            binding.signature = ""
            binding.save(update_fields=["state", "signature"])
        return binding
    signature = _source_signature(binding=binding, value=value)
    if not force and binding.state == IndicatorBinding.State.OK and binding.signature == signature:
        return binding
    if value is not None:
        now = timezone.now()
        label = binding.source_label
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            date=dt.date(now.year, 1, 1),
            source=IndicatorValue.Source.SERIES,
            defaults={
                "value": round(value * binding.scale, 6),
                "source_ref": f"{AUTO_SOURCE_REF}: {label} – Stand {now:%d.%m.%Y}"[:300],
                "is_demo_content": binding.is_simulated,
            },
        )
    binding.signature = signature
    binding.state = IndicatorBinding.State.OK
    binding.refreshed_at = timezone.now()
    binding.save(update_fields=["signature", "state", "refreshed_at"])
    return binding


def indicators_refresh_all(*, force: bool = False) -> list[IndicatorBinding]:
    return [
        b
        for b in (
            indicator_refresh_from_data(indicator=i, force=force)
            for i in Indicator.objects.filter(binding__isnull=False).order_by("pk")
        )
        if b is not None
    ]


def indicators_refresh(*, indicator_ids: list[int]) -> int:
    """Refresh the given indicators now (the background thread and the Celery task do this); returns how
    many of them are bound to a data series."""
    done = 0
    for indicator in Indicator.objects.filter(pk__in=indicator_ids, binding__isnull=False).order_by("pk"):
        if indicator_refresh_from_data(indicator=indicator) is not None:
            done += 1
    return done
