"""Selecting the recorders that grow the transparency log in the same
transaction as the records (through eventsourcing's
``APPLICATION_RECORDER_TOPIC``). The recorders themselves are each
backend's (``ledger.storage.sqlite``, ``ledger.storage.postgres``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["environment"]  # and the recorders, under the names they had here

SQLITE_RECORDER = "ledger.storage.sqlite:TlogSQLiteApplicationRecorder"
POSTGRES_RECORDER = "ledger.storage.postgres:TlogPostgresApplicationRecorder"
PLAIN_POSTGRES_RECORDER = "ledger.persistence:SerahPostgresApplicationRecorder"


def environment(env: dict[str, str]) -> dict[str, str]:
    """``env`` (from ``ledger.persistence.environment``) with the tlog recorders selected."""
    env = dict(env)
    module = env.get("PERSISTENCE_MODULE", "")
    topic = env.get("APPLICATION_RECORDER_TOPIC", "")
    if module == "eventsourcing.sqlite":
        if topic:
            raise RuntimeError(f"the transparency log cannot combine with recorder {topic}")
        env["APPLICATION_RECORDER_TOPIC"] = SQLITE_RECORDER
    elif module == "eventsourcing.postgres":
        if topic != PLAIN_POSTGRES_RECORDER:
            raise RuntimeError(f"the transparency log cannot combine with recorder {topic!r}")
        env["APPLICATION_RECORDER_TOPIC"] = POSTGRES_RECORDER
    return env


def __getattr__(name: str) -> Any:
    # The recorders under the names they had here.
    if name == "TlogSQLiteApplicationRecorder":
        from ledger.storage import sqlite

        return sqlite.TlogSQLiteApplicationRecorder
    if name == "TlogPostgresApplicationRecorder":
        from ledger.storage import postgres

        return postgres.TlogPostgresApplicationRecorder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
