"""Running an import: one source (a provider's feed, or an uploaded file) → one :class:`ImportRun`.

Every record of the feed becomes :class:`~konzeptk.education.types.OfferData` (``importers/``) and is
saved with :func:`konzeptk.education.services.offer_save`, keyed by ``(import_source, external_id)``.
A record whose data did not change since the last run (same fingerprint) is left alone. A broken
record is reported (record id, field, German message) and the others are stored; a source that cannot
be fetched or read at all gives a failed run with its message and changes nothing. Two runs of the same
source (schedule and "import now") never store at the same time: the second waits for the first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.client
import json
import logging
import urllib.request
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError
from konzeptk.education import services
from konzeptk.education.importers import Fetch, Record, RecordError, SourceError, reader_for
from konzeptk.education.importers.base import MAX_BYTES
from konzeptk.education.models import ImportRun, ImportSource, Offer, Provider
from konzeptk.education.selectors import can_manage_provider
from konzeptk.education.types import OfferData

logger = logging.getLogger(__name__)

TIMEOUT = 20
MAX_ERRORS_STORED = 200
UPLOAD_PREFIX = "upload:"


def fetch_url(url: str) -> bytes:
    """The feed's bytes over http(s), at most 10 MB plus one byte (so the reader can refuse it)."""
    if not url.startswith(("https://", "http://")):
        raise SourceError("Nur Adressen mit http:// oder https:// werden abgerufen.")
    request = urllib.request.Request(url, headers={"User-Agent": "KonzeptK-Bildungsimport/1.0"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 – schemes checked above
            data: bytes = response.read(MAX_BYTES + 1)
            return data
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise SourceError(f"Die Adresse konnte nicht abgerufen werden: {str(exc)[:300]}") from exc


def fingerprint(data: OfferData) -> str:
    """A hash of everything the record says: equal for an unchanged record."""
    values = dataclasses.asdict(data)
    return hashlib.sha256(
        json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _field_errors(record: str, error: DomainError) -> list[RecordError]:
    return [RecordError(record, name, message) for name, message in error.errors]


def _store(source: ImportSource, run: ImportRun, records: list[Record]) -> list[RecordError]:
    errors: list[RecordError] = []
    # one run of a source at a time: the second waits here, then finds the first one's offers unchanged
    ImportSource.objects.select_for_update().filter(pk=source.pk).first()
    existing = {
        o.external_id: o for o in Offer.objects.filter(import_source=source).select_related("provider")
    }
    seen: set[str] = set()
    for record in records:
        errors.extend(record.errors)
        if not record.is_offer:
            continue
        run.read += 1
        if record.data is None:
            continue
        if record.external_id in seen:
            errors.append(
                RecordError(
                    record.external_id,
                    "id",
                    "Diese Kennung kommt in der Quelle mehrfach vor; nur der erste Eintrag wurde übernommen.",
                )
            )
            continue
        seen.add(record.external_id)
        record.data.external_id = record.external_id
        print_ = fingerprint(record.data)
        offer = existing.get(record.external_id)
        if offer is not None and offer.fingerprint == print_:
            run.unchanged += 1
            continue
        try:
            result = services.offer_save(
                provider=source.provider, data=record.data, offer=offer, import_source=source
            )
        except DomainError as error:
            errors.extend(_field_errors(record.external_id, error))
            continue
        except IntegrityError:
            errors.append(
                RecordError(record.external_id, "", "Das Angebot widerspricht einem gespeicherten Angebot.")
            )
            continue
        Offer.objects.filter(pk=result.offer.pk).update(fingerprint=print_)
        if result.created:
            run.created += 1
        else:
            run.updated += 1
    return errors


def _finish(run: ImportRun, status: str, message: str = "") -> ImportRun:
    run.status = status
    run.message = message[:1000]
    run.finished_at = timezone.now()
    run.save()
    return run


def source_import(
    *, source: ImportSource, content: bytes | None = None, fetch: Fetch | None = None
) -> ImportRun:
    """Import ``source`` now (its address, or ``content`` for an uploaded file); the run is stored
    whatever happens. ``fetch`` replaces the download (tests, the MOOChub pages)."""
    run = ImportRun.objects.create(source=source, started_at=timezone.now())
    getter = fetch or fetch_url
    try:
        if content is None:
            if source.url.startswith(UPLOAD_PREFIX):
                raise SourceError(
                    "Diese Quelle ist für hochgeladene Dateien; laden Sie die Datei erneut hoch."
                )
            content = getter(source.url)
        reader = reader_for(source.format)
        records = list(reader(content, url=source.url, fetch=getter))
    except SourceError as exc:
        return _finish(run, ImportRun.Status.FAILED, str(exc))
    except Exception:  # a reader's bug must not leave the run unfinished; the log has the details
        logger.exception("education import of source %s failed", source.pk)
        return _finish(
            run,
            ImportRun.Status.FAILED,
            "Die Quelle konnte wegen eines internen Fehlers nicht gelesen werden.",
        )
    with transaction.atomic():
        errors = _store(source, run, records)
    run.error_count = len(errors)
    run.errors = [e.as_dict() for e in errors[:MAX_ERRORS_STORED]]
    return _finish(run, ImportRun.Status.PARTIAL if errors else ImportRun.Status.OK)


def sources_import(
    *, sources: Iterable[ImportSource] | None = None, fetch: Fetch | None = None
) -> list[ImportRun]:
    """Import every active source with a web address (or the given ones), one after the other."""
    chosen = (
        list(sources)
        if sources is not None
        else list(
            ImportSource.objects.filter(active=True)
            .exclude(url__startswith=UPLOAD_PREFIX)
            .select_related("provider")
            .order_by("pk")
        )
    )
    return [source_import(source=source, fetch=fetch) for source in chosen]


def _check_may(actor: User | None, provider: Provider) -> None:
    if actor is not None and not can_manage_provider(actor, provider):
        raise DomainError("not_allowed", _("Sie dürfen die Importe dieses Anbieters nicht verwalten."), 403)


def source_create(
    *, provider: Provider, title: str, fmt: str, url: str, actor: User | None = None
) -> ImportSource:
    """A new feed of ``provider``, imported on schedule from now on."""
    _check_may(actor, provider)
    if fmt not in ImportSource.Format.values:
        raise DomainError(
            "invalid_format",
            _("Bitte wählen Sie ein Format aus der Liste."),
            fields=[("format", _("Bitte wählen Sie ein Format aus der Liste."))],
        )
    if not url.startswith(("https://", "http://")):
        message = _("Die Adresse muss mit http:// oder https:// beginnen.")
        raise DomainError("invalid_url", message, fields=[("url", message)])
    return ImportSource.objects.create(
        provider=provider, title=title.strip()[:200], format=fmt, url=url.strip()[:500]
    )


def source_set_active(*, source: ImportSource, active: bool, actor: User | None = None) -> ImportSource:
    _check_may(actor, source.provider)
    ImportSource.objects.filter(pk=source.pk).update(active=active)
    source.active = active
    return source


def upload_source(*, provider: Provider, fmt: str) -> ImportSource:
    """The provider's source for uploaded files of one format (never imported on schedule)."""
    source, _created = ImportSource.objects.get_or_create(
        provider=provider,
        url=f"{UPLOAD_PREFIX}{fmt}",
        defaults={
            "title": f"Hochgeladene Dateien ({ImportSource.Format(fmt).label})",
            "format": fmt,
            "active": False,
        },
    )
    return source


def file_import(*, provider: Provider, fmt: str, content: bytes, actor: User | None = None) -> ImportRun:
    """A one-off import of an uploaded file."""
    _check_may(actor, provider)
    if fmt not in ImportSource.Format.values:
        raise DomainError(
            "invalid_format",
            _("Bitte wählen Sie ein Format aus der Liste."),
            fields=[("format", _("Bitte wählen Sie ein Format aus der Liste."))],
        )
    return source_import(source=upload_source(provider=provider, fmt=fmt), content=content)


def source_run_now(
    *, source: ImportSource, actor: User | None = None, fetch: Fetch | None = None
) -> ImportRun:
    """ "Import now" on the staff page."""
    _check_may(actor, source.provider)
    return source_import(source=source, fetch=fetch)
