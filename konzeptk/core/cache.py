"""The shared cache of the embedded default: Django's database cache with an atomic ``incr``.

Rate limits must hold across processes, so their counters live where every process sees them:
in Redis when ``REDIS_URL`` is set, otherwise in the database (table ``konzeptk_shared_cache``,
created by the migration ``core.0002_shared_cache``).

Django's ``DatabaseCache.incr`` reads and writes in two steps, so two processes incrementing the
same counter at the same moment could both write the same number. Here the write is a compare and
swap (``UPDATE … WHERE value = <the value read>``) that is repeated when another process was faster,
so every increment counts exactly once. On PostgreSQL the table is UNLOGGED (migration core.0003).
(The values are pickled, as in Django's own database cache; only the platform writes them.)
"""

from __future__ import annotations

import base64
import pickle
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router
from django.utils.timezone import now as tz_now

TABLE = "konzeptk_shared_cache"  # core.migrations.0002_shared_cache

CAS_ATTEMPTS = 50


class AtomicDatabaseCache(DatabaseCache):
    """``DatabaseCache`` whose ``incr`` counts every call exactly once, also across processes.

    Unlike Django's ``incr`` (a ``get`` and a ``set``) it keeps the entry's expiry, so a counter of
    an hour's window is not cut short to the default timeout.
    """

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        """One statement instead of Django's count, select and insert: rate limits call it per request.

        ``INSERT … ON CONFLICT DO UPDATE … WHERE expires < now`` stores the value when the key is new
        or expired and leaves a live entry alone (SQLite ≥ 3.24 and PostgreSQL both speak it).
        Expired rows are culled on about one add in a hundred.
        """
        made = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache, missing in the stubs
        backend_timeout = self.get_backend_timeout(timeout)
        now = tz_now().replace(microsecond=0)
        if backend_timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(backend_timeout, tz=UTC if settings.USE_TZ else None)
        expires = expires.replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        key_col, value_col, expires_col = quote("cache_key"), quote("value"), quote("expires")
        with connection.cursor() as cursor:
            if secrets.randbelow(100) == 0:
                cursor.execute(
                    f"DELETE FROM {table} WHERE {expires_col} < %s",  # noqa: S608 – table name quoted
                    [connection.ops.adapt_datetimefield_value(now)],
                )
            cursor.execute(
                f"INSERT INTO {table} ({key_col}, {value_col}, {expires_col}) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT ({key_col}) DO UPDATE SET {value_col} = excluded.{value_col}, "
                f"{expires_col} = excluded.{expires_col} WHERE {table}.{expires_col} < %s",
                [
                    made,
                    encoded,
                    connection.ops.adapt_datetimefield_value(expires),
                    connection.ops.adapt_datetimefield_value(now),
                ],
            )
            return bool(cursor.rowcount)

    def count(self, key: Any, timeout: int) -> int:
        """Add one to the counter ``key`` in one statement and return its new value.

        A missing or expired counter starts again at 1 and expires after ``timeout`` seconds; a live
        one keeps its expiry. The rate limits count with it (``ratelimits.consume``): one statement
        per write instead of ``add`` and ``incr`` (three). Atomic on both backends (the upsert locks
        the row on PostgreSQL; SQLite has one writer), so every call counts exactly once. The value
        is the number as text, not pickled, under keys of its own (``count:``), so an entry that
        ``add``/``incr`` wrote is never read here.
        """
        made = self.make_and_validate_key(f"count:{key}")
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache, missing in the stubs
        key_col, value_col, expires_col = quote("cache_key"), quote("value"), quote("expires")
        now = tz_now().replace(microsecond=0)
        expires = datetime.fromtimestamp(time.time() + timeout, tz=UTC if settings.USE_TZ else None)
        at = [connection.ops.adapt_datetimefield_value(t) for t in (now, expires.replace(microsecond=0))]
        expired = f"{table}.{expires_col} < %s"
        with connection.cursor() as cursor:
            if secrets.randbelow(1000) == 0:
                cursor.execute(f"DELETE FROM {table} WHERE {expires_col} < %s", [at[0]])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {table} ({key_col}, {value_col}, {expires_col}) VALUES (%s, '1', %s) "  # noqa: S608
                f"ON CONFLICT ({key_col}) DO UPDATE SET {value_col} = CASE WHEN {expired} THEN '1' "
                f"ELSE CAST(CAST({table}.{value_col} AS INTEGER) + 1 AS TEXT) END, "
                f"{expires_col} = CASE WHEN {expired} THEN excluded.{expires_col} ELSE {table}.{expires_col} END "
                f"RETURNING {value_col}",
                [made, at[1], at[0], at[0]],
            )
            return int(cursor.fetchone()[0])

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Compare and swap: read the value, write the new one only if the old one is still there.

        Two statements, each atomic on its own; a concurrent increment makes the UPDATE match no
        row and the loop reads again. No transaction is held open, so no commit waits in between.
        """
        made = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache, missing in the stubs
        key_col, value_col, expires_col = quote("cache_key"), quote("value"), quote("expires")
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        with connection.cursor() as cursor:
            for _attempt in range(CAS_ATTEMPTS):
                cursor.execute(
                    f"SELECT {value_col}, {expires_col} FROM {table} WHERE {key_col} = %s",  # noqa: S608
                    [made],
                )
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                expires = row[1]
                for converter in converters:
                    expires = converter(expires, expression, connection)
                if expires < tz_now():
                    raise ValueError(f"Key '{key}' not found")
                old = connection.ops.process_clob(row[0])
                new_value = pickle.loads(base64.b64decode(old.encode())) + delta  # noqa: S301 – our own rows
                encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
                cursor.execute(
                    f"UPDATE {table} SET {value_col} = %s WHERE {key_col} = %s AND {value_col} = %s",  # noqa: S608
                    [encoded, made, old],
                )
                if cursor.rowcount == 1:
                    return int(new_value)
        raise ValueError(f"Key '{key}' changed {CAS_ATTEMPTS} times while being incremented")
