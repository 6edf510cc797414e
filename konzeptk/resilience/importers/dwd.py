"""The Deutscher Wetterdienst's warnings: one CAP 1.2 file, or DWD's zip of CAP files.

DWD publishes its warnings on opendata.dwd.de as CAP 1.2 (``weather/alerts/cap/…``), for every warn
cell (``WARNCELLID`` geocodes; Krefeld: municipality 805114000, district 105114000) with the DWD event
code ``II`` (247 STARKE HITZE, 248 EXTREME HITZE, …). The zip files hold one CAP document per alert.
A single file that is not CAP 1.2 is refused; in a zip a bad member is an error of that member.
"""

from __future__ import annotations

import io
import zipfile

from konzeptk.resilience.cap import MAX_BYTES, CapError, parse
from konzeptk.resilience.importers import Batch

MAX_MEMBERS = 20_000
MAX_UNPACKED = 200 * 1024 * 1024


def read(data: bytes) -> Batch:
    """The alerts of a CAP file or of a DWD zip bundle."""
    if data[:4] == b"PK\x03\x04":
        return _read_zip(data)
    alert = parse(data)  # CapError: the whole file is refused
    return Batch(alerts=[(alert, data.decode("utf-8-sig"))])


def _read_zip(data: bytes) -> Batch:
    try:
        bundle = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in bundle.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise CapError(f"Die ZIP-Datei ist beschädigt ({exc}).") from exc
    if len(members) > MAX_MEMBERS:
        raise CapError(f"Die ZIP-Datei enthält mehr als {MAX_MEMBERS} Dateien.")
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise CapError("Die ZIP-Datei ist entpackt zu groß.")
    batch = Batch()
    for member in sorted(members, key=lambda m: m.filename):
        if member.file_size > MAX_BYTES:
            batch.errors.append({"identifier": member.filename, "message": "Datei zu groß."})
            continue
        try:
            raw = bundle.read(member)
            batch.alerts.append((parse(raw), raw.decode("utf-8-sig")))
        except CapError as exc:
            batch.errors.append({"identifier": member.filename, "message": str(exc)})
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:  # a damaged or encrypted member
            batch.errors.append({"identifier": member.filename, "message": f"nicht lesbar ({exc})"})
    return batch
