"""Process-local cache of what every write looks up: the Datastream's Thing and organisation, the generated
FeatureOfInterest, the API token.

A single POST Observation used to read the token, the Datastream, its Thing, the Thing's Location and the
generated FeatureOfInterest before it could insert (11 statements in all). These change rarely, so each
process keeps them for :data:`CACHE_SECONDS`:

- a change in this process (save or delete of a Datastream, Thing or API token, deletion of a Location or
  FeatureOfInterest, a change of a Thing's Locations) drops the entries it may affect, at once and again when
  its transaction commits;
- a change made by another process is seen after at most :data:`CACHE_SECONDS` (a revoked token, a
  Datastream moved to another Thing). A cached id whose row another process has deleted makes the insert
  fail on its foreign key; the write is then retried once with an empty cache (``retry.run_write``).

Entries are only stored after the transaction that read them has committed (``on_commit``), so a rolled back
deep insert leaves nothing behind.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class StreamInfo:
    datastream_id: int
    thing_id: int
    organisation_id: int | None


@dataclass(frozen=True)
class TokenInfo:
    token_id: int
    organisation: Any  # accounts.Organisation (None: a token without one cannot exist, but typed loosely)
    token_hash: str  # the stored hash, to drop the entry when the token changes


_streams: dict[int, tuple[float, StreamInfo]] = {}
_features: dict[int, tuple[float, int]] = {}  # thing id → generated FeatureOfInterest id
_tokens: dict[str, tuple[float, TokenInfo]] = {}  # hash of the Authorization header → info


def _fresh(entry: tuple[float, Any] | None) -> Any:
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def _store(table: dict[Any, tuple[float, Any]], key: Any, value: Any) -> None:
    def remember() -> None:
        table[key] = (time.monotonic() + CACHE_SECONDS, value)

    transaction.on_commit(remember)


def stream(datastream_id: int) -> StreamInfo | None:
    """Thing and organisation of a Datastream, or None when it does not exist."""
    info: StreamInfo | None = _fresh(_streams.get(datastream_id))
    if info is not None:
        return info
    from konzeptk.sensing.models import Datastream

    row = (
        Datastream.objects.filter(pk=datastream_id).values_list("thing_id", "thing__organisation_id").first()
    )
    if row is None:
        return None
    info = StreamInfo(datastream_id, row[0], row[1])
    _store(_streams, datastream_id, info)
    return info


def feature_id(thing_id: int) -> int | None:
    """The cached id of the FeatureOfInterest generated from the Thing's Location (None: not cached)."""
    return _fresh(_features.get(thing_id))


def remember_feature(thing_id: int, feature: int) -> None:
    _store(_features, thing_id, feature)


def token(token_hash: str) -> TokenInfo | None:
    return _fresh(_tokens.get(token_hash))


def remember_token(token_hash: str, info: TokenInfo) -> None:
    _store(_tokens, token_hash, info)


def clear() -> None:
    _streams.clear()
    _features.clear()
    _tokens.clear()


def _now_and_on_commit(forget: Any) -> None:
    forget()
    transaction.on_commit(forget)


def _forget_things() -> None:
    _streams.clear()
    _features.clear()


def _thing_changed(**_kwargs: Any) -> None:  # its organisation may have changed
    _now_and_on_commit(_forget_things)


def _features_changed(**_kwargs: Any) -> None:  # a Thing's first Location or a generated feature changed
    _now_and_on_commit(_features.clear)


def _drop_stream(instance: Any, **_kwargs: Any) -> None:
    pk = instance.pk
    _now_and_on_commit(lambda: _streams.pop(pk, None))


def _drop_token(instance: Any, **_kwargs: Any) -> None:
    def drop() -> None:
        for key, (_until, info) in list(_tokens.items()):
            if info.token_hash == instance.token_hash:
                _tokens.pop(key, None)

    _now_and_on_commit(drop)


def connect() -> None:
    """Invalidation on change (called from SensingConfig.ready)."""
    from konzeptk.sensing import models as m

    for signal in (post_save, post_delete):
        signal.connect(_drop_stream, sender=m.Datastream, dispatch_uid="writecache-datastream")
        signal.connect(_drop_token, sender=m.ApiToken, dispatch_uid="writecache-token")
        signal.connect(_thing_changed, sender=m.Thing, dispatch_uid="writecache-thing")
    # a new feature or a Location's new geometry leave every cached id valid; a deleted one does not
    for model in (m.Location, m.FeatureOfInterest):
        post_delete.connect(_features_changed, sender=model, dispatch_uid=f"writecache-{model.__name__}")
    m2m_changed.connect(
        _features_changed, sender=m.Thing.locations.through, dispatch_uid="writecache-locations"
    )
