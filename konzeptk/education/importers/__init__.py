"""Readers of providers' feeds: each turns one format into records of :class:`~konzeptk.education.types.OfferData`.

The readers register themselves in :mod:`konzeptk.education.importers.base` by
:class:`~konzeptk.education.models.ImportSource.Format`; :mod:`konzeptk.education.imports` runs a source.
"""

from konzeptk.education.importers import csv, ical, jsonld, moochub  # noqa: F401 – registers the readers
from konzeptk.education.importers.base import (
    Fetch,
    Record,
    RecordError,
    SourceError,
    reader_for,
    register_reader,
)

__all__ = ["Fetch", "Record", "RecordError", "SourceError", "reader_for", "register_reader"]
