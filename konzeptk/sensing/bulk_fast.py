"""CreateObservations on PostgreSQL for the common shape: decoded in C, landed by binary COPY.

What sensors and gateways send in bulk is a list of groups ``{"Datastream": {"@iot.id": n}, "components":
["phenomenonTime", "result"], "dataArray": [[time, number], …]}`` with UTC instants (``…Z`` or another offset).
For such a body no generic JSON tree is built: msgspec decodes it against that exact shape (types, real calendar
dates, times with an offset, numbers; a deeper or other document fails at once) straight into datetimes and
floats, and ``landing.land`` copies the rows into the landing table. The fold moves them into the observation
table (``landing.py``).

Anything else – other components or their other order, a FeatureOfInterest per row, a time without an offset, a
value that is not a number, an empty group, a Datastream that does not exist, a Thing without a Location, a time
outside the storable years (found while the rows are landed, which are then rolled back), a database other than
PostgreSQL – returns None, and ``bulk.observations_create_bulk`` takes the parsed body row by row with its answers
per row.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Literal

import msgspec
from django.db import connection, transaction

from konzeptk.sensing import landing, tasks, writecache
from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.services import Writer, feature_id_for


class _Ref(msgspec.Struct, forbid_unknown_fields=True):
    id: int = msgspec.field(name="@iot.id")


class _Group(msgspec.Struct, forbid_unknown_fields=True):
    Datastream: _Ref
    components: tuple[Literal["phenomenonTime"], Literal["result"]]
    dataArray: list[tuple[Annotated[dt.datetime, msgspec.Meta(tz=True)], float]]
    count: int | None = msgspec.field(name="dataArray@iot.count", default=None)


_decoder = msgspec.json.Decoder(list[_Group])
log = logging.getLogger(__name__)


def store_body(*, body: bytes, writer: Writer) -> list[range] | None:
    """Land a CreateObservations body of the common shape (see the module text): the new ids as ranges, in the
    order of the rows; None: not that shape."""
    if not body or not landing.available():
        return None
    try:
        groups = _decoder.decode(body)
    except msgspec.DecodeError:  # another shape or invalid JSON: the general path answers it
        return None
    if not groups:
        return None
    batches = []
    for group in groups:
        rows = group.dataArray  # msgspec refuses numbers out of range: every value is finite
        if not rows:
            return None
        info = writecache.stream(group.Datastream.id)
        if info is None:
            return None  # the row path answers every row of it with the error
        writer.check_orgs([info.organisation_id])
        try:
            feature = feature_id_for(info.thing_id)
        except ParseError:
            return None  # a Thing without a Location: the row path answers every row with the error
        batches.append((group.Datastream.id, feature, rows))
    try:
        if landing.fold_mode() == "celery" and not connection.in_atomic_block:
            landed = landing.land(batches)  # one COPY, committed on its own
            _queue_fold()
            return landed
        with transaction.atomic():
            landed = landing.land(batches)
            if landing.fold_mode() == "celery":
                transaction.on_commit(_queue_fold)
            else:
                landing.fold()  # in the same transaction: visible with the answer
    except landing.Unstorable:
        return None  # nothing landed; the row path answers each row outside the storable years with its error
    return landed


def _queue_fold() -> None:
    """After the rows are committed: a broker that cannot take the task must not turn the 201 into an error (the
    client would send the rows again); beat's run every minute folds them then."""
    try:
        tasks.queue_fold()
    except Exception:
        log.exception("Einfalten der gelandeten Beobachtungen nicht eingereiht; Beat holt es nach")
