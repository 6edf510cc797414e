"""Registry of personal-data export sections (DSGVO Art. 15 and 20).

Every app that stores something about a person registers a section, best in its own
``konzeptk/<app>/exports.py`` (found automatically), and names the models the section covers::

    from konzeptk.accounts.export_registry import register_export_section

    def ideas_of(user):
        return [{"id": idea.pk, "title": idea.title, ...} for idea in user.ideas.all()]

    register_export_section(
        "participation.ideas", ideas_of, models=[Idea],
        title=_("Ideen"), purpose=_("…"), retention=_("…"), recipients=_("…"),
    )

A section is a callable ``(user) -> JSON-serialisable value``. ``collect_export(user)`` runs all
of them and returns one document. Uploaded files of the person (photos) come from file
collectors (``register_export_files``); they go into the ZIP next to the JSON (``export_archive``).

Models that hold nothing about a person are declared with a reason
(``declare_no_personal_data``); ``accounts/tests/test_personal_data_coverage.py`` walks every
installed model and fails when one that looks personal (a link to a person, an e-mail address, a
free text, an upload) is neither exported and erased nor declared.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

ExportSection = Callable[[Any], Any]
ModelRef = type[models.Model] | str


@dataclass(frozen=True)
class ExportFile:
    """One stored file of the person: ``name`` in ``storage``, written to ``path`` inside the ZIP."""

    path: str
    storage: Storage
    name: str


FileCollector = Callable[[Any], Iterable[ExportFile]]


@dataclass(frozen=True)
class Section:
    """A registered export section and what the readable page says about it (Art. 15 (1) DSGVO)."""

    name: str
    collect: ExportSection
    models: tuple[str, ...] = ()
    title: Any = ""
    purpose: Any = ""
    retention: Any = ""
    recipients: Any = ""
    files: FileCollector | None = field(default=None)


_sections: dict[str, Section] = {}
_file_collectors: dict[str, tuple[FileCollector, tuple[str, ...]]] = {}
_without_personal_data: dict[str, str] = {}
_discovered = False

FORMAT_VERSION = 2


def model_label(model: ModelRef) -> str:
    """``"app_label.ModelName"`` of a model class or of such a string (checked later by the coverage test)."""
    return model if isinstance(model, str) else model._meta.label


def register_export_section(
    name: str,
    section: ExportSection,
    *,
    models: Iterable[ModelRef] = (),
    title: Any = "",
    purpose: Any = "",
    retention: Any = "",
    recipients: Any = "",
) -> ExportSection:
    """Register (or replace) the section ``name`` covering ``models``; returns the callable."""
    _sections[name] = Section(
        name=name,
        collect=section,
        models=tuple(model_label(m) for m in models),
        title=title,
        purpose=purpose,
        retention=retention,
        recipients=recipients,
    )
    return section


def export_section(name: str, **options: Any) -> Callable[[ExportSection], ExportSection]:
    """Decorator form of :func:`register_export_section`."""

    def decorate(section: ExportSection) -> ExportSection:
        return register_export_section(name, section, **options)

    return decorate


def register_export_files(
    name: str, collector: FileCollector, *, models: Iterable[ModelRef] = ()
) -> FileCollector:
    """Register a collector of the person's stored files (``(user) -> iterable of ExportFile``)."""
    _file_collectors[name] = (collector, tuple(model_label(m) for m in models))
    return collector


def declare_no_personal_data(*models_: ModelRef, reason: str) -> None:
    """Say that ``models_`` hold nothing about a person, and why (the reason is shown in test failures)."""
    if not reason.strip():
        raise ValueError("A declaration without personal data needs a reason.")
    for model in models_:
        _without_personal_data[model_label(model)] = reason


def discover(module_name: str = "exports") -> None:
    """Import ``<app>.<module_name>`` for every installed Konzept K app that has one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("konzeptk."):
            continue
        candidate = f"{config.name}.{module_name}"
        if importlib.util.find_spec(candidate) is not None:
            importlib.import_module(candidate)


def _ensure_discovered() -> None:
    global _discovered
    if not _discovered:
        discover("exports")
        _discovered = True


def registered_section_specs() -> dict[str, Section]:
    _ensure_discovered()
    return dict(sorted(_sections.items()))


def registered_sections() -> dict[str, ExportSection]:
    return {name: spec.collect for name, spec in registered_section_specs().items()}


def registered_file_collectors() -> dict[str, FileCollector]:
    _ensure_discovered()
    return {name: collector for name, (collector, _models) in sorted(_file_collectors.items())}


def exported_models() -> set[str]:
    """Labels of every model some section or file collector covers."""
    _ensure_discovered()
    labels = {label for spec in _sections.values() for label in spec.models}
    labels.update(label for _collector, covered in _file_collectors.values() for label in covered)
    return labels


def models_without_personal_data() -> dict[str, str]:
    _ensure_discovered()
    return dict(_without_personal_data)


def verified_emails(user: Any) -> list[str]:
    """Every verified e-mail address of the account, lower-cased (cached on the user object).

    Data stored under an address without an account (Mängelmelder reports and follows, feedback) is
    the person's when the address is verified for their account; an unverified address proves nothing.
    """
    cached: list[str] | None = getattr(user, "_konzeptk_verified_emails", None)
    if cached is None:
        from allauth.account.models import EmailAddress

        cached = sorted(
            {
                address.casefold()
                for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                    "email", flat=True
                )
            }
        )
        user._konzeptk_verified_emails = cached
    return cached


def email_q(field_name: str, addresses: Iterable[str]) -> models.Q:
    """A filter matching ``field_name`` case-insensitively against any of ``addresses``; never all rows."""
    query = models.Q(pk__in=[])
    for address in addresses:
        query |= models.Q(**{f"{field_name}__iexact": address})
    return query


def collect_export(user: Any) -> dict[str, Any]:
    """Everything stored about ``user``, as one JSON-serialisable document."""
    return {
        "format": "konzeptk-personal-data",
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "sections": {name: spec.collect(user) for name, spec in registered_section_specs().items()},
    }


def collect_files(user: Any) -> list[ExportFile]:
    """The person's stored files from every registered collector."""
    files: list[ExportFile] = []
    for collector in registered_file_collectors().values():
        files.extend(collector(user))
    return files
