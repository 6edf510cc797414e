"""Every UI string is translated into every UI language, and the compiled catalogues are current."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.PACKAGE_DIR) / "locale"
PACKAGE_DIR = Path(settings.PACKAGE_DIR)
TARGET_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _unquote(chunk: str) -> str:
    return "".join(
        bytes(part, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        for part in re.findall(r'"((?:[^"\\]|\\.)*)"', chunk)
    )


def parse_po(path: Path) -> list[dict[str, object]]:
    """A small reader for the subset of PO files that makemessages writes."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (.*)$", line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif key and line.startswith('"'):
                fields[key] += line
        entries.append(
            {
                "msgid": _unquote(fields.get("msgid", "")),
                "plural": "msgid_plural" in fields,
                "msgstrs": [_unquote(v) for k, v in fields.items() if k.startswith("msgstr")],
                "fuzzy": "fuzzy" in flags,
                "context": _unquote(fields.get("msgctxt", "")),
            }
        )
    return entries


@pytest.mark.parametrize("language", TARGET_LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    po = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} fehlt: `make po` ausführen und übersetzen"
    entries = [e for e in parse_po(po) if e["msgid"]]
    assert entries, f"{po} enthält keine Einträge"
    missing = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["msgstrs"])]
    assert not missing, f"{language}: {len(missing)} unübersetzt oder unscharf, z. B. {missing[:5]}"


@pytest.mark.parametrize("language", TARGET_LANGUAGES)
def test_compiled_catalogue_matches_source(language: str) -> None:
    po = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} fehlt: `make po` ausführen"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for entry in parse_po(po):
        if not entry["msgid"] or entry["plural"] or entry["fuzzy"]:
            continue
        key = f"{entry['context']}\x04{entry['msgid']}" if entry["context"] else entry["msgid"]
        assert catalog.get(key) == entry["msgstrs"][0], (
            f"{language}: {mo.name} ist veraltet bei {entry['msgid']!r}"
        )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext ist nicht installiert")
def test_catalogues_contain_every_string_of_the_source(tmp_path: Path) -> None:
    """makemessages on a copy of the source finds no string that the German catalogue lacks."""
    copy = tmp_path / "konzeptk"
    shutil.copytree(
        PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "tests", "locale")
    )
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "konzeptk.settings_test",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
        },
    )
    fresh = {e["msgid"] for e in parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po") if e["msgid"]}
    known = {e["msgid"] for e in parse_po(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po") if e["msgid"]}
    new = sorted(fresh - known)
    assert not new, f"{len(new)} Texte fehlen in den Katalogen (`make po`), z. B. {new[:5]}"
