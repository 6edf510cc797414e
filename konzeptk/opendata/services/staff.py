"""Datasets registered by staff of an organisation: a file upload or an outside address, with metadata."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation, User
from konzeptk.core.errors import DomainError
from konzeptk.opendata import rules, vocab
from konzeptk.opendata.models import Dataset, Distribution
from konzeptk.opendata.services.datasets import DistributionData, dataset_write, free_name, refresh

UPLOAD_MAX_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class Metadata:
    title: str
    description: str
    publisher: Organisation
    themes: tuple[str, ...]
    keywords: tuple[str, ...]
    licence: str
    frequency: str
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None
    contact_email: str = ""
    contact_url: str = ""
    landing_page: str = ""


def _check(by: User, metadata: Metadata) -> None:
    if not rules.may_publish_for(by, metadata.publisher):
        raise DomainError(
            "not_allowed",
            _(
                "Sie dürfen für diese Organisation keine Datensätze eintragen. Bitten Sie deren Redaktion darum."
            ),
            403,
        )
    if metadata.licence and metadata.licence not in vocab.LICENCES:
        raise DomainError(
            "licence",
            _("Bitte wählen Sie eine Lizenz aus der Liste."),
            fields=[("licence", _("Bitte wählen Sie eine Lizenz aus der Liste."))],
        )
    if metadata.temporal_start and metadata.temporal_end and metadata.temporal_end < metadata.temporal_start:
        message = _("Das Ende des Zeitraums liegt vor seinem Anfang.")
        raise DomainError("temporal", message, fields=[("temporal_end", message)])


def _apply(dataset: Dataset, metadata: Metadata) -> None:
    dataset.title = metadata.title.strip()[:300]
    dataset.description = metadata.description.strip()
    dataset.publisher = metadata.publisher
    dataset.themes = [t for t in metadata.themes if t in vocab.THEMES]
    dataset.keywords = list(dict.fromkeys(k.strip()[:200] for k in metadata.keywords if k.strip()))
    dataset.licence = metadata.licence
    dataset.frequency = metadata.frequency if metadata.frequency in vocab.FREQUENCIES else "UNKNOWN"
    dataset.temporal_start = metadata.temporal_start
    dataset.temporal_end = metadata.temporal_end
    dataset.contact_email = metadata.contact_email
    dataset.contact_url = metadata.contact_url
    dataset.landing_page = metadata.landing_page


def _distribution(upload: UploadedFile[bytes] | None, url: str, file_format: str) -> DistributionData | None:
    if upload is None and not url:
        return None
    if upload is not None:
        if (upload.size or 0) > UPLOAD_MAX_BYTES:
            message = _(
                "Die Datei ist größer als %(mb)d MB. Geben Sie für große Dateien eine Adresse an."
            ) % {"mb": UPLOAD_MAX_BYTES // (1024 * 1024)}
            raise DomainError("too_large", message, 413, fields=[("file", message)])
        name = upload.name or "datei"
        code = file_format or vocab.file_type_for(name)
        return DistributionData(
            key="file",
            title=name,
            access_url="",
            file_format=code,
            media_type=vocab.FILE_TYPES.get(code, ("", False))[0],
            byte_size=upload.size,
        )
    if not url.startswith(("https://", "http://")):
        message = _("Die Adresse muss mit https:// oder http:// beginnen.")
        raise DomainError("url", message, fields=[("url", message)])
    code = file_format or vocab.file_type_for(url)
    return DistributionData(
        key="url",
        title=url.rsplit("/", 1)[-1][:300] or url,
        access_url=url,
        download_url=url,
        file_format=code,
        media_type=vocab.FILE_TYPES.get(code, ("", False))[0],
    )


@transaction.atomic
def dataset_register(
    *,
    by: User,
    metadata: Metadata,
    upload: UploadedFile[bytes] | None = None,
    url: str = "",
    file_format: str = "",
) -> Dataset:
    _check(by, metadata)
    distribution = _distribution(upload, url.strip(), file_format)
    if distribution is None:
        message = _("Bitte laden Sie eine Datei hoch oder geben Sie eine Adresse an.")
        raise DomainError("no_data", message, fields=[("file", message)])
    dataset = Dataset(origin=Dataset.Origin.STAFF, created_by=by)
    _apply(dataset, metadata)
    dataset.name = free_name(slugify(metadata.title))
    dataset = dataset_write(dataset=dataset, distributions=[distribution])
    if upload is not None:
        _store_file(dataset, upload)
    return dataset


@transaction.atomic
def dataset_update(
    *,
    by: User,
    dataset: Dataset,
    metadata: Metadata,
    upload: UploadedFile[bytes] | None = None,
    url: str = "",
    file_format: str = "",
) -> Dataset:
    if not rules.may_edit(by, dataset):
        raise DomainError("not_allowed", _("Diesen Datensatz dürfen Sie nicht ändern."), 403)
    _check(by, metadata)
    _apply(dataset, metadata)
    distribution = _distribution(upload, url.strip(), file_format)
    dataset = dataset_write(
        dataset=dataset,
        distributions=[distribution] if distribution else [],
        keep_other_distributions=distribution is None,
    )
    if upload is not None:
        _store_file(dataset, upload)
    return dataset


def _store_file(dataset: Dataset, upload: UploadedFile[bytes]) -> None:
    item: Distribution = dataset.distributions.get(key="file")
    item.file.save(f"{dataset.name}/{upload.name}", upload, save=False)
    item.access_url = item.download_url = item.file.url
    item.save(update_fields=["file", "access_url", "download_url"])
    refresh(dataset)
