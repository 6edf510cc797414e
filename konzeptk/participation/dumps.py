"""Daily dumps of the public participation data as CSV and JSON (``konzeptk dump_participation``).

What goes in is what anyone can see on the pages, and less: processes that are published or archived,
their visible ideas (location, district, counts, status and answer), the visible comments of those
ideas, and the datasets other rooms register with :func:`register_dataset` (the surveys room: the
aggregates of surveys, see ``konzeptk/surveys/dumps.py``). Never in a dump: names or accounts of
people, offline contributors' voluntary answers, hidden or deleted content, draft processes, single
survey answers or free texts.

Files go through the private storage (``STORAGES["private"]``: ``<data dir>/private/`` or the S3 bucket)
under ``opendata/participation/<generation>/``: each run writes a new generation and its ``manifest.json``
last, so a download never sees half a run; the newest generation with a manifest is the current one, and
older ones than the one before it are deleted. ``manifest.json`` lists the files with rows, size and
time; the page /beteiligung/offene-daten/ reads it and the download view serves the files.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from typing import IO, Any

from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.utils import timezone

from konzeptk.core.csv import write_csv as csv_write
from konzeptk.core.storage import private_storage
from konzeptk.participation.models import Comment, Idea, Process

Rows = Callable[[], Iterable[dict[str, Any]]]

DATASETS: list[str] = ["processes", "ideas", "comments"]
FORMATS = ("csv", "json")
MANIFEST = "manifest.json"


PREFIX = "opendata/participation"


def _generations() -> list[str]:
    """Generation folders, newest first."""
    try:
        folders, _files = private_storage().listdir(PREFIX)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted((f for f in folders if f.isdigit()), reverse=True)


def allowed_names() -> set[str]:
    return {f"{d}.{f}" for d in DATASETS for f in FORMATS} | {MANIFEST}


def _public_processes() -> Any:
    return Process.objects.public()


def _public_ideas() -> Any:
    return Idea.objects.public()


def _process_rows() -> Iterator[dict[str, Any]]:
    now = timezone.now()
    qs = (
        _public_processes()
        .select_related("organiser")
        .prefetch_related("phases", "districts")
        .annotate(idea_total=Count("ideas", filter=Q(ideas__is_hidden=False, ideas__deleted_at__isnull=True)))
        .order_by("pk")
    )
    for p in qs.iterator(chunk_size=200):
        phase = p.active_phase(now)
        yield {
            "slug": p.slug,
            "title": p.title,
            "teaser": p.teaser,
            "status": p.status,
            "organiser": p.organiser.name,
            "topics": ";".join(p.topics),
            "districts": ";".join(d.name for d in p.districts.all()) or "gesamte Stadt",
            "active_phase": phase.type if phase else "",
            "phases": ";".join(f"{ph.type}:{ph.start.date()}/{ph.end.date()}" for ph in p.phases.all()),
            "ideas": p.idea_total,
            "is_demo": p.is_demo,
        }


def _idea_rows() -> Iterator[dict[str, Any]]:
    qs = (
        _public_ideas()
        .select_related("process", "district", "strategy_project")
        .only(
            "id",
            "title",
            "text",
            "topic",
            "category",
            "status",
            "answer",
            "lat",
            "lon",
            "address",
            "channel",
            "support_count",
            "comment_count",
            "cost",
            "created_at",
            "is_demo",
            "process__slug",
            "district__name",
            "strategy_project__slug",
            "strategy_project__published",
            "strategy_measure_key",
        )
        .order_by("pk")
    )
    for i in qs.iterator(chunk_size=2000):
        project = i.strategy_project
        yield {
            "id": i.pk,
            "process": i.process.slug,
            "title": i.title,
            "text": i.text,
            "topic": i.topic,
            "category": i.category,
            "status": i.status,
            "answer": i.answer,
            "lat": i.lat,
            "lon": i.lon,
            "address": i.address,
            "district": i.district.name if i.district else "",
            "channel": i.channel,
            "support_count": i.support_count,
            "comment_count": i.comment_count,
            "cost": i.cost,
            "strategy_project": project.slug if project and project.published else "",
            "strategy_measure": str(i.strategy_measure_key) if i.strategy_measure_key else "",
            "created": i.created_at.date().isoformat(),
            "is_demo": i.is_demo,
        }


def _comment_rows() -> Iterator[dict[str, Any]]:
    qs = (
        Comment.objects.filter(
            is_hidden=False,
            deleted_at__isnull=True,
            idea__in=_public_ideas().values("pk"),
        )
        .exclude(parent__is_hidden=True)
        .exclude(parent__deleted_at__isnull=False)
        .only("id", "idea_id", "parent_id", "text", "created_at", "edited_at", "is_demo")
        .order_by("pk")
    )
    for c in qs.iterator(chunk_size=5000):
        yield {
            "id": c.pk,
            "idea": c.idea_id,
            "parent": c.parent_id,
            "text": c.text,
            "created": c.created_at.date().isoformat(),
            "edited": c.edited_at is not None,
            "is_demo": c.is_demo,
        }


ROWS: dict[str, Rows] = {
    "processes": _process_rows,
    "ideas": _idea_rows,
    "comments": _comment_rows,
}
#: what registered datasets add to the manifest (surveys: how their published counts are changed)
MANIFEST_EXTRAS: dict[str, Any] = {}


def register_dataset(name: str, rows: Rows, *, manifest: Mapping[str, Any] | None = None) -> None:
    """Let another app add a dataset to the dumps (called from its AppConfig.ready): ``rows`` gives
    the rows as dicts with the same keys each; what it publishes must be public already."""
    if name not in ROWS:
        DATASETS.append(name)
    ROWS[name] = rows
    MANIFEST_EXTRAS.update(manifest or {})


def _store(name: str, write: Callable[[Any], int]) -> tuple[str, int, int]:
    """Write text through ``write`` into a spooled file, save it in the storage; (stored name, rows, bytes)."""
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        rows = write(text)
        text.flush()
        text.detach()
        size = raw.tell()
        raw.seek(0)
        stored = private_storage().save(name, File(raw, name=name.rsplit("/", 1)[-1]))
    return stored, rows, size


def participation_dumps_write(*, keep_previous: bool = True) -> dict[str, Any]:
    """Write every dataset as CSV and JSON plus the manifest as a new generation; returns the manifest.

    ``keep_previous=False`` (after an erasure) deletes every older generation at once, so what the
    erased person wrote is gone from the stored dumps too, not only from the next one."""
    storage = private_storage()
    generations = _generations()
    generation = f"{int(generations[0]) + 1 if generations else 1:010d}"
    target = f"{PREFIX}/{generation}"
    generated = timezone.now()
    files = []
    for name in DATASETS:

        def write_csv(handle: Any, name: str = name) -> int:
            # formulas neutralised by the one CSV writer; the header comes from the first row
            rows = iter(ROWS[name]())
            first = next(rows, None)
            if first is None:
                return 0
            header = list(first)
            return csv_write(
                handle, header=header, rows=([row[k] for k in header] for row in chain([first], rows))
            )

        def write_json(handle: Any, name: str = name) -> int:
            # streamed: one row at a time, whatever the size
            encoder = DjangoJSONEncoder(ensure_ascii=False)
            head = f'{{"dataset": {encoder.encode(name)}, "generated": {encoder.encode(generated)}, "rows": ['
            handle.write(head)
            count = 0
            for row in ROWS[name]():
                handle.write(("," if count else "") + "\n" + encoder.encode(row))
                count += 1
            handle.write(f'\n], "count": {count}}}\n')
            return count

        for fmt, writer_fn in (("csv", write_csv), ("json", write_json)):
            stored, count, size = _store(f"{target}/{name}.{fmt}", writer_fn)
            files.append(
                {
                    "name": f"{name}.{fmt}",
                    "dataset": name,
                    "format": fmt,
                    "rows": count,
                    "bytes": size,
                    "path": stored,
                }
            )
    manifest = {
        "generated": generated.isoformat(),
        "generation": generation,
        **MANIFEST_EXTRAS,
        "files": files,
    }

    def write_manifest(handle: Any) -> int:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
        return len(files)

    _store(f"{target}/{MANIFEST}", write_manifest)
    # keep the previous generation for downloads still running; delete the older ones
    for old in generations[1:] if keep_previous else generations:
        folder = f"{PREFIX}/{old}"
        for file_name in storage.listdir(folder)[1]:
            storage.delete(f"{folder}/{file_name}")
        storage.delete(folder)  # an empty folder on disk; nothing in object storage
    return manifest


def manifest_read() -> dict[str, Any] | None:
    """The manifest of the current (newest complete) generation, or None before the first run."""
    storage = private_storage()
    data: dict[str, Any] | None = None
    for generation in _generations():
        try:
            with storage.open(f"{PREFIX}/{generation}/{MANIFEST}", "rb") as handle:
                loaded = json.loads(handle.read().decode("utf-8"))
        except (OSError, ValueError):
            continue  # a run still writing (or broken): the one before is current
        if isinstance(loaded, dict):
            data = loaded
            data["manifest_path"] = f"{PREFIX}/{generation}/{MANIFEST}"
            break
    if data is None:
        return None
    try:
        data["generated_at"] = dt.datetime.fromisoformat(data["generated"])
    except (KeyError, ValueError):
        data["generated_at"] = None
    return data


def dump_open(name: str) -> IO[bytes] | None:
    """The current file ``name`` (one of :func:`allowed_names`) opened for reading, or None."""
    manifest = manifest_read()
    if manifest is None or name not in allowed_names():
        return None
    paths = {entry["name"]: entry.get("path") for entry in manifest.get("files", [])}
    path = manifest["manifest_path"] if name == MANIFEST else paths.get(name)
    if not path:
        return None
    try:
        return private_storage().open(path, "rb")
    except OSError:
        return None
