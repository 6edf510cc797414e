"""Write the rows of a demo database as the fixture of the upgrade test.

Run it against a database that an OLD version of Konzept K migrated and filled with `konzeptk demo --no-serve`
(see docs/architecture.md, "Upgrade-Test"):

    python tools/dump_upgrade_fixture.py /tmp/olddemo/konzeptk.sqlite3 konzeptk/core/tests/data/demo_schema_2026_12.json.gz

Large measurement tables (observations and their roll-ups), sessions and Django's own bookkeeping are left out:
the test is about the tables that move between apps and what points at them.
"""

from __future__ import annotations

import base64
import gzip
import json
import sqlite3
import sys

SKIP = {
    "sensing_observation",
    "sensing_observationhour",
    "insights_representationsnapshot",
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_session",
    "django_admin_log",
    "core_sharedcache",
}
APPS = (
    "accounts_",
    "account_",
    "city_",
    "core_",
    "participation_",
    "insights_",
    "strategy_",
    "servicedesk_",
    "sensing_",
)


def _value(value: object) -> object:
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode()}
    return value


def main(source: str, target: str) -> None:
    db = sqlite3.connect(source)
    tables = sorted(
        name
        for (name,) in db.execute("select name from sqlite_master where type='table'")
        if name.startswith(APPS) and name not in SKIP
    )
    out: dict[str, dict[str, object]] = {}
    for table in tables:
        cursor = db.execute(f'select * from "{table}" order by 1')  # noqa: S608 – names from sqlite_master
        columns = [c[0] for c in cursor.description]
        rows = [[_value(v) for v in row] for row in cursor]
        if rows:
            out[table] = {"columns": columns, "rows": rows}
    with gzip.open(target, "wt", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, separators=(",", ":"))
    print(f"{len(out)} tables, {sum(len(t['rows']) for t in out.values())} rows -> {target}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
