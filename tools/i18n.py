"""Helpers for the translation catalogues (dev dependency polib).

    python tools/i18n.py export LANG FILE.json   # untranslated or fuzzy entries of LANG as JSON
    python tools/i18n.py import LANG FILE.json   # fill LANG's catalogue from JSON and compile it
    python tools/i18n.py compile                 # compile every catalogue (.po -> .mo)
    python tools/i18n.py status                  # how much of each catalogue is translated

The JSON is a list of {"msgid", "msgid_plural", "context", "occurrences", "msgstr"} where msgstr is
a string, or for plurals a list with one entry per plural form of the language.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "konzeptk" / "locale"


def _po(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"), wrapwidth=0)


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def export(lang: str, out: str) -> None:
    po = _po(lang)
    items = []
    for entry in po:
        if entry.obsolete:
            continue
        done = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if done and "fuzzy" not in entry.flags:
            continue
        items.append(
            {
                "msgid": entry.msgid,
                "msgid_plural": entry.msgid_plural or None,
                "context": entry.msgctxt or None,
                "occurrences": [f"{path}:{line}" for path, line in entry.occurrences[:2]],
                "msgstr": [""] * _plural_count(po) if entry.msgid_plural else "",
            }
        )
    Path(out).write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{lang}: {len(items)} entries to translate -> {out}")


def _plural_count(po: polib.POFile) -> int:
    header = po.metadata.get("Plural-Forms", "nplurals=2;")
    return int(header.split("nplurals=")[1].split(";")[0])


def import_(lang: str, source: str) -> None:
    po = _po(lang)
    by_key = {_key(e): e for e in po if not e.obsolete}
    filled = 0
    for item in json.loads(Path(source).read_text(encoding="utf-8")):
        entry = by_key.get((item.get("context") or "", item["msgid"]))
        if entry is None:
            continue
        value = item["msgstr"]
        if entry.msgid_plural:
            if not isinstance(value, list) or not all(value):
                continue
            entry.msgstr_plural = dict(enumerate(value))
        else:
            if not isinstance(value, str) or not value:
                continue
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save()
    po.save_as_mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    print(f"{lang}: {filled} entries filled")


def compile_all() -> None:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(LOCALE)}")


def status() -> None:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        print(f"{po_path.parent.parent.name}: {po.percent_translated()} % of {len(po)}")


def main(argv: list[str]) -> None:
    match argv:
        case ["export", lang, out]:
            export(lang, out)
        case ["import", lang, source]:
            import_(lang, source)
        case ["compile"]:
            compile_all()
        case ["status"]:
            status()
        case _:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
