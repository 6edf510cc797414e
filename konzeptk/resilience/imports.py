"""Importing official warnings (DWD, NINA): fetch, read, keep the city's, follow updates, report.

Every run leaves an :class:`ImportRun` with its counts: messages read, new alerts (``created``),
updates (``updated``), cancellations (``cancelled``), messages already stored (``unchanged``),
messages for other regions (``other_region``, ignored), copies of an event already stored from the other
source (``duplicates``) and errors per message. A document that cannot be fetched or is not CAP 1.2 (or
NINA JSON) gives a failed run with the reason and stores no warning.

CAP's life cycle: an ``Update`` replaces the warnings it references (``replaced_by``), a ``Cancel`` ends
them (``ended_at``). References are matched by the event's ``dedupe_key`` (the CAP identifier without
NINA's ``dwdmap.`` prefix and DWD's language suffix), so a DWD update also replaces the NINA copy of the
original and the same event from both sources is shown once (``duplicate_of``).
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import active_profile, warn_cells
from konzeptk.resilience.cap import Alert, CapError, Info
from konzeptk.resilience.importers import Batch, Fetch, dwd, nina
from konzeptk.resilience.models import ImportRun, Severity, Source, Warning

TIMEOUT = 20
MAX_DOWNLOAD = 50 * 1024 * 1024
MAX_ERRORS_STORED = 200
IMPORTABLE = (Source.DWD, Source.NINA)
_PREFIX = re.compile(r"^(dwdmap|dwd)\.", re.IGNORECASE)
_LANGUAGE_SUFFIX = re.compile(r"\.(MUL|DEU|ENG|SPA|FRA)$", re.IGNORECASE)


def fetch_location(location: str) -> bytes:
    """The bytes of an http(s) address or a local file (at most ``MAX_DOWNLOAD`` bytes)."""
    if location.startswith(("https://", "http://")):
        request = urllib.request.Request(location, headers={"User-Agent": "KonzeptK-Warnungen/1.0"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 – scheme checked
            data: bytes = response.read(MAX_DOWNLOAD + 1)
    elif "://" in location:
        raise OSError("Nur Adressen mit http:// oder https:// oder Dateipfade werden gelesen.")
    else:
        with Path(location).open("rb") as handle:
            data = handle.read(MAX_DOWNLOAD + 1)
    if len(data) > MAX_DOWNLOAD:
        raise OSError(f"Die Datei ist größer als {MAX_DOWNLOAD // (1024 * 1024)} MB.")
    return data


def dedupe_key(identifier: str) -> str:
    """The event behind a message, the same whether it came from DWD directly or through NINA."""
    return _LANGUAGE_SUFFIX.sub("", _PREFIX.sub("", identifier))[:200]


def area_codes(alert: Alert) -> list[str]:
    return sorted({v for info in alert.infos for area in info.areas for _name, v in area.geocodes if v})


def in_region(codes: Iterable[str], *, cells: list[str], ars: str) -> bool:
    """Whether a message concerns the city: one of its DWD warn cells, or a regional key (ARS) that
    contains the city's or lies within it (``050000000000`` all of NRW, ``000000000000`` Germany)."""
    city = ars.rstrip("0")
    for code in codes:
        if code in cells:
            return True
        if ars and len(code) == 12 and code.isdigit():
            prefix = code.rstrip("0")
            if city.startswith(prefix) or prefix.startswith(city):
                return True
    return False


def _polygon(text: str) -> list[list[float]] | None:
    ring = []
    for pair in text.split():
        try:
            lat, lon = (float(v) for v in pair.split(","))
        except ValueError:
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        ring.append([lon, lat])
    if len(ring) < 4:
        return None
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def geometry_of(info: Info) -> dict[str, Any] | None:
    """The CAP polygons of an info block as GeoJSON (None when there are none or they are invalid)."""
    rings = [r for r in (_polygon(p) for area in info.areas for p in area.polygons) if r]
    if not rings:
        return None
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": [rings[0]]}
    return {"type": "MultiPolygon", "coordinates": [[r] for r in rings]}


def _main_info(alert: Alert) -> Info | None:
    return next((i for i in alert.infos if i.language.lower().startswith("de")), None) or (
        alert.infos[0] if alert.infos else None
    )


def _warning_from(alert: Alert, raw: str, source: str) -> Warning:
    main = _main_info(alert)
    if main is None:
        raise CapError("Die Meldung enthält keinen Abschnitt „info“.")
    warning = Warning(
        source=source,
        identifier=alert.identifier[:300],
        sender=alert.sender[:300],
        sent=alert.sent,
        msg_type=alert.msg_type,
        references=" ".join(str(r) for r in alert.references),
        event=main.event[:200],
        event_code=(main.event_code("II") or main.event_code("profile:DE-BBK-EVENTCODE:01.00"))[:60],
        category=(main.categories[0] if main.categories else "")[:20],
        severity=main.severity if main.severity in Severity.values else Severity.UNKNOWN,
        urgency=main.urgency[:12],
        certainty=main.certainty[:12],
        language=main.language[:10],
        onset=main.onset or main.effective,
        expires=main.expires,
        area_desc=", ".join(dict.fromkeys(a.desc for i in [main] for a in i.areas if a.desc))[:500],
        area_codes=("|" + "|".join(area_codes(alert)) + "|")[:500] if area_codes(alert) else "",
        geometry=geometry_of(main),
        dedupe_key=dedupe_key(alert.identifier),
        raw=raw,
    )
    languages = {code for code, _name in settings.LANGUAGES}
    for info in alert.infos:
        lang = info.language[:2].lower()
        if info is main or lang not in languages:
            continue
        for name in ("headline", "description", "instruction"):
            setattr(warning, f"{name}_{lang}", getattr(info, name))
    for name in ("headline", "description", "instruction"):
        value = getattr(main, name) or (main.event if name == "headline" else "")
        warning.__dict__[name] = value[:300] if name == "headline" else value  # the German base column
        setattr(warning, f"{name}_de", value[:300] if name == "headline" else value)
    return warning


def _store(alert: Alert, raw: str, source: str, run: ImportRun) -> None:
    if Warning.objects.filter(source=source, identifier=alert.identifier[:300]).exists():
        run.unchanged += 1
        return
    warning = _warning_from(alert, raw, source)
    warning.duplicate_of = (
        Warning.objects.filter(dedupe_key=warning.dedupe_key, duplicate_of__isnull=True)
        .exclude(source=source)
        .order_by("pk")
        .first()
    )
    if alert.msg_type == Warning.MsgType.CANCEL:
        warning.ended_at = alert.sent
    try:
        with transaction.atomic():
            warning.save()
    except IntegrityError:  # a concurrent run stored it a moment ago
        run.unchanged += 1
        return
    if warning.duplicate_of is not None:
        run.duplicates += 1
    earlier = (
        Warning.objects.filter(dedupe_key__in={dedupe_key(r.identifier) for r in alert.references})
        .exclude(pk=warning.pk)
        .filter(ended_at__isnull=True)
    )
    if alert.msg_type == Warning.MsgType.UPDATE:
        earlier.filter(replaced_by__isnull=True).update(replaced_by=warning.duplicate_of or warning)
        run.updated += 1
    elif alert.msg_type == Warning.MsgType.CANCEL:
        earlier.update(ended_at=alert.sent)
        run.cancelled += 1
    else:
        run.created += 1


def _read(source: str, data: bytes, location: str, fetch: Fetch | None, region: str) -> Batch:
    if source == Source.DWD:
        return dwd.read(data)
    return nina.read(data, location=location, region=region, fetch=fetch)


def warnings_import(
    *, source: str, location: str, content: bytes | None = None, fetch: Fetch | None = None
) -> ImportRun:
    """Import the document at ``location`` (or ``content``) from ``source`` now; the run is always stored.

    ``fetch`` reads addresses (default: http(s) and local files); NINA dashboards use it for the messages.
    """
    if source not in IMPORTABLE:
        raise ValueError(f"unknown source {source!r}")
    reader = fetch or fetch_location
    run = ImportRun.objects.create(source=source, location=location[:500], started_at=timezone.now())
    profile: CityProfile | None = active_profile()
    try:
        if profile is None:
            raise CapError(
                "Es ist kein Stadtprofil geladen; für welches Gebiet Warnungen gelten, ist unbekannt."
            )
        data = content if content is not None else reader(location)
        batch = _read(source, data, location, reader, profile.regional_key)
    except (CapError, OSError) as exc:
        run.status = ImportRun.Status.FAILED
        run.message = str(exc)[:1000]
        run.finished_at = timezone.now()
        run.save()
        return run
    cells = warn_cells(profile)
    run.read = batch.read
    errors = list(batch.errors)
    skipped = 0
    with transaction.atomic():
        # One import at a time (beat, the command, DWD and NINA at once): the second waits here and then
        # finds the first one's warnings, so an event from both sources is still stored once as original.
        CityProfile.objects.select_for_update().filter(pk=profile.pk).first()
        for alert, raw in sorted(batch.alerts, key=lambda pair: pair[0].sent):
            if alert.status != "Actual":
                skipped += 1
                continue
            if not in_region(area_codes(alert), cells=cells, ars=profile.regional_key):
                run.other_region += 1
                continue
            try:
                _store(alert, raw, source, run)
            except CapError as exc:
                errors.append({"identifier": alert.identifier[:120], "message": str(exc)})
    run.errors = errors[:MAX_ERRORS_STORED]
    run.error_count = len(errors)
    if skipped:
        run.message = f"{skipped} Meldung(en) mit Status Übung, Test oder Entwurf nicht übernommen."
    run.status = ImportRun.Status.PARTIAL if errors else ImportRun.Status.OK
    run.finished_at = timezone.now()
    run.save()
    return run


def scheduled_import(*, feeds: dict[str, list[str]] | None = None) -> list[ImportRun]:
    """Every configured address (``RESILIENCE_WARNING_FEEDS``: source → addresses, ``{ars}`` replaced by
    the city's regional key), one after the other; one failing does not stop the others."""
    configured = feeds if feeds is not None else getattr(settings, "RESILIENCE_WARNING_FEEDS", {})
    profile = active_profile()
    ars = profile.regional_key if profile is not None else ""
    return [
        warnings_import(source=source, location=location.replace("{ars}", ars))
        for source, locations in configured.items()
        for location in locations
        if source in IMPORTABLE
    ]
