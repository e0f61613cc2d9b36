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

    Every recorder Serah's settings select (``ledger.persistence.environment``,
    which decides the backend once, from ``--db``) says which storage serves
    it; any other recorder (the library's own, an in-memory one) is refused.
    The answer is kept on the application, so this is asked once.
    """
    storage = getattr(app, "_serah_storage", None)
    if storage is not None:
        return storage
    made = getattr(app.recorder, "storage", None)
    if not isinstance(made, Storage):
        raise TypeError(
            f"{type(app.recorder).__qualname__} is not a Serah recorder: Serah stores records in SQLite or "
            "PostgreSQL, with the settings of ledger.persistence.environment"
        )
    made.event_store = app.events
    app._serah_storage = made
    return made
