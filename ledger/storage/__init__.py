"""Where the ledger's records, log and views are stored: one interface
(:class:`~ledger.storage.base.Storage`), one module per backend.

``base``      the interface and :class:`~ledger.storage.base.Sql`, the one
              cursor every query goes through (``?`` placeholders on both).
``sqlite``    a ledger file: SQLite's SQL, ``sqlite3``, ``eventsourcing.sqlite``.
``postgres``  a PostgreSQL schema: its SQL, ``psycopg``, ``eventsourcing.postgres``.

Only the two backend modules import a database driver or use the library's
internals (``.ci/check_storage_boundary.py`` keeps it so).
"""

from __future__ import annotations

from typing import Any

from ledger.storage.base import Sql, Storage

__all__ = ["Sql", "Storage", "storage_for"]


def storage_for(app: Any) -> Storage:
    """The storage of an ``eventsourcing`` application.

    Serah's recorders (selected by ``ledger.persistence.environment``) each
    name their storage; the library's own SQLite recorder (an application
    made without Serah's settings, as a benchmark's baseline) gets SQLite's.
    The answer is kept on the application, so this is decided once.
    """
    storage = getattr(app, "_serah_storage", None)
    if storage is not None:
        return storage
    recorder = app.recorder
    made = getattr(recorder, "storage", None)
    if made is None:
        module = type(recorder).__module__
        if module.startswith("eventsourcing.sqlite"):
            from ledger.storage.sqlite import SQLiteStorage

            made = SQLiteStorage(recorder)
        elif module.startswith("eventsourcing.postgres"):
            from ledger.storage.postgres import PostgresStorage

            made = PostgresStorage(recorder)
        else:
            raise TypeError(
                f"{type(recorder).__qualname__} has no event table: Serah stores records in SQLite or PostgreSQL only"
            )
    made.event_store = app.events
    app._serah_storage = made
    return made
