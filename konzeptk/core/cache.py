"""The shared cache of the embedded default: Django's database cache with an atomic ``incr``.

Rate limits must hold across processes, so their counters live where every process sees them:
in Redis when ``REDIS_URL`` is set, otherwise in the database (table ``konzeptk_shared_cache``,
created by the migration ``core.0002_shared_cache``).

Django's ``DatabaseCache.incr`` reads and writes in two steps, so two processes incrementing the
same counter at the same moment could both write the same number. Here the read and the write run
in one transaction that holds the row: ``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
settings open every transaction with ``BEGIN IMMEDIATE``, which takes the database's write lock.
(The values are pickled, as in Django's own database cache; only the platform writes them.)
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

TABLE = "konzeptk_shared_cache"  # core.migrations.0002_shared_cache


class AtomicDatabaseCache(DatabaseCache):
    """``DatabaseCache`` whose ``incr`` counts every call exactly once, also across processes.

    Unlike Django's ``incr`` (a ``get`` and a ``set``) it keeps the entry's expiry, so a counter of
    an hour's window is not cut short to the default timeout.
    """

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        made = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache, missing in the stubs
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608 – table name quoted
                f"WHERE {quote('cache_key')} = %s{lock}",
                [made],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            expression = models.Expression(output_field=models.DateTimeField())
            converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            )
            expires = row[1]
            for converter in converters:
                expires = converter(expires, expression, connection)
            if expires < tz_now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",  # noqa: S608
                [encoded, made],
            )
        return int(new_value)
