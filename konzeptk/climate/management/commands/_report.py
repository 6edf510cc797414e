"""The report both register commands print."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

from konzeptk.climate.models import ImportRun


def write_report(out: OutputWrapper, run: ImportRun) -> None:
    out.write(
        f"{run.filename}: {run.rows_read} gelesen, {run.stored} gespeichert, "
        f"{run.skipped} übersprungen (andere Gemeinde), {run.error_count} Fehler."
    )
    for error in run.errors[:50]:
        out.write(f"  Zeile {error['row']}: {error['message']}")
    if run.error_count > 50:
        out.write(f"  … und {run.error_count - 50} weitere Fehler (siehe /klima/verwaltung/).")
