"""The personal-data export as one ZIP file (DSGVO Art. 15 and 20).

- ``daten.json``: every registered section, machine-readable (``collect_export``);
- ``daten.html``: the same as a readable, self-contained page (no external files) with what Art. 15
  requires: what is stored, why, how long, who receives it, where it comes from, and the rights;
- ``bilder/…``: the person's uploaded images, read through each file's storage (``storage.open``).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from konzeptk.accounts.export_registry import (
    ExportFile,
    collect_export,
    collect_files,
    registered_section_specs,
)

JSON_NAME = "daten.json"
HTML_NAME = "daten.html"
IMAGE_PREFIX = "bilder/"


def _labels() -> dict[str, str]:
    """German headings for the keys that occur in many sections (others are shown as they are)."""
    return {
        "id": _("Nr."),
        "title": _("Titel"),
        "text": _("Text"),
        "email": _("E-Mail-Adresse"),
        "address": _("Adresse"),
        "lat": _("Breitengrad"),
        "lon": _("Längengrad"),
        "image": _("Bild"),
        "photos": _("Fotos"),
        "status": _("Status"),
        "created_at": _("erstellt am"),
        "updated_at": _("geändert am"),
        "at": _("Zeitpunkt"),
        "since": _("seit"),
        "process": _("Prozess"),
        "idea": _("Idee"),
        "idea_title": _("Titel der Idee"),
        "description": _("Beschreibung"),
        "postcode": _("Postleitzahl"),
        "reason": _("Grund"),
        "answers": _("Antworten"),
        "question": _("Frage"),
        "choice": _("Auswahl"),
        "value": _("Wert"),
        "category": _("Kategorie"),
        "service_request_id": _("Meldungsnummer"),
        "display_name": _("Anzeigename"),
        "verified": _("bestätigt"),
        "primary": _("Hauptadresse"),
        "role": _("Rolle"),
        "purpose": _("Zweck"),
    }


def _cell(value: Any, labels: Mapping[str, str]) -> SafeString:
    if value is None or value == "" or value == [] or value == {}:
        return mark_safe("–")
    if isinstance(value, bool):
        return format_html("{}", _("ja") if value else _("nein"))
    if isinstance(value, str) and value.startswith(IMAGE_PREFIX):
        name = value.removeprefix(IMAGE_PREFIX)
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" class="thumb"></a>',
            value,
            value,
            _("Bild %(name)s in voller Größe öffnen") % {"name": name},
        )
    if isinstance(value, Mapping):
        return _fields(value, labels)
    if isinstance(value, Sequence) and not isinstance(value, str):
        if all(isinstance(item, Mapping) for item in value):
            return _table(value, labels)
        return format_html_join(mark_safe("<br>"), "{}", ((_cell(item, labels),) for item in value))
    return format_html("{}", value)


def _fields(value: Mapping[str, Any], labels: Mapping[str, str]) -> SafeString:
    rows = format_html_join(
        "",
        "<dt>{}</dt><dd>{}</dd>",
        ((labels.get(key, key), _cell(item, labels)) for key, item in value.items()),
    )
    return format_html('<dl class="fields">{}</dl>', rows)


def _table(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> SafeString:
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    head = format_html_join("", '<th scope="col">{}</th>', ((labels.get(c, c),) for c in columns))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (format_html_join("", "<td>{}</td>", ((_cell(row.get(c), labels),) for c in columns)),)
            for row in rows
        ),
    )
    # A wide table scrolls in its own box; the box takes the focus so the keyboard can scroll it too.
    return format_html(
        '<div class="scroll" role="region" tabindex="0" aria-label="{}">'
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>",
        _("Tabelle, seitlich verschiebbar"),
        head,
        body,
    )


def render_value(value: Any) -> SafeString:
    """One section's data as accessible HTML: lists of records as tables, records as term lists."""
    if value is None or value == [] or value == {}:
        return format_html("<p>{}</p>", _("Dazu ist nichts über Sie gespeichert."))
    return _cell(value, _labels())


def export_html(document: Mapping[str, Any], files: Sequence[ExportFile]) -> str:
    specs = registered_section_specs()
    sections = []
    for name, value in document["sections"].items():
        spec = specs.get(name)
        sections.append(
            {
                "name": name,
                "anchor": name.replace(".", "-"),
                "title": (spec.title if spec and spec.title else name),
                "purpose": spec.purpose if spec else "",
                "retention": spec.retention if spec else "",
                "recipients": spec.recipients if spec else "",
                "count": len(value) if isinstance(value, (list, dict)) else None,
                "html": render_value(value),
            }
        )
    return render_to_string(
        "accounts/export_page.html",
        {
            "sections": sections,
            "files": [f.path for f in files],
            "created_at": timezone.localtime(timezone.now()),
            "json_name": JSON_NAME,
        },
    )


def write_export_archive(user: Any, out: IO[bytes]) -> None:
    """Write the ZIP of everything stored about ``user`` to ``out``."""
    document = collect_export(user)
    files = collect_files(user)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        written = []
        for item in files:
            try:
                source = item.storage.open(item.name, "rb")
            except FileNotFoundError:
                continue  # the row names a file that is gone; the JSON still lists it
            with source, archive.open(item.path, "w") as target:
                shutil.copyfileobj(source, target)
            written.append(item)
        archive.writestr(HTML_NAME, export_html(document, written))
