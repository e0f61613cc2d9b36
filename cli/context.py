"""What every command needs: the ledger, the user's key, other people's keys.

``Env`` is built once by the root command from the global options and
handed to subcommands through click's context object. Nothing here imports
the ledger at module level: ``serah --help`` must not pay for eventsourcing.

Private keys are only ever read through ``ledger.keys.load`` with a
passphrase taken from ``SERAH_PASSPHRASE`` or a hidden prompt; the
passphrase is never echoed, logged or kept beyond the call.
"""

from __future__ import annotations

import base64
import binascii
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from cli import errors
from cli.errors import CliError
from cli.i18n import t

DEFAULT_DB = "serah.sqlite"
MIN_PASSPHRASE = 8


def serah_home() -> Path:
    return Path(os.environ.get("SERAH_HOME") or Path.home() / ".serah")


def keys_dir() -> Path:
    return serah_home() / "keys"


def is_url(db: str) -> bool:
    return "://" in db


@dataclass
class Env:
    """Global options plus lazily opened resources."""

    db: str = DEFAULT_DB
    json: bool = False
    key: str | None = None
    as_name: str | None = None
    server: str | None = None  #: ``--server URL``: a ``serah serve`` holds the ledger, not a file here
    _ledger: object = field(default=None, repr=False)

    # --- the ledger -----------------------------------------------------------

    def ledger(self, must_exist: bool = True):
        """Open the ledger; a missing SQLite file is an error, never created silently."""
        if self._ledger is None and self.server:
            from cli.client import RemoteLedger

            self._ledger = RemoteLedger(self.server)
        if self._ledger is None:
            if not is_url(self.db):
                self._check_sqlite_file(must_exist)
            from ledger.application import Ledger

            try:
                self._ledger = Ledger(self.db)
            except ValueError as error:  # a malformed URL or path, from ledger.persistence
                raise CliError("error.bad_db", errors.USAGE, detail=str(error)) from None
            except Exception as error:
                clear = self._unopenable(error)
                if clear is None:
                    raise  # a fault of Serah's own: keep its traceback for SERAH_DEBUG
                raise clear from None
        return self._ledger

    def _check_sqlite_file(self, must_exist: bool) -> None:
        """Refuse, before anything is written, a file that is not a ledger.

        Opening a ledger creates its tables when they are missing; done on
        someone else's SQLite database (or on an empty one, by a command
        that only reads), that would change a file that is not ours. So the
        file is looked at read-only first: missing or empty is "no ledger"
        (unless ``serah init`` is making one); tables without
        ``stored_events`` is another program's database.
        """
        from ledger.storage.sqlite import database_tables

        path = Path(self.db)
        if not path.exists() or (path.is_file() and path.stat().st_size == 0):
            if must_exist:
                raise CliError("error.no_ledger", errors.USAGE, path=self.db)
            return
        if not path.is_file():
            return  # a folder: ledger.persistence says so
        tables = database_tables(path)
        if tables is None:
            return  # not a database, unreadable or locked: opening it for real reports that (_unopenable)
        if "stored_events" in tables:
            return
        if tables:
            raise CliError("error.db_foreign", errors.USAGE, path=self.db, tables=", ".join(sorted(tables)[:5]))
        if must_exist:
            raise CliError("error.no_ledger", errors.USAGE, path=self.db)

    def _unopenable(self, error: Exception) -> CliError | None:
        """A clear error for a ledger that cannot be opened, or None.

        A file that is not a SQLite database, and a PostgreSQL server that
        cannot be reached, are the user's to fix, not faults of Serah: they
        get one line saying which, and exit status 2. Nothing was written.
        """
        from ledger import persistence
        from ledger.storage.sqlite import is_not_a_database

        if is_not_a_database(error):
            return CliError("error.db_not_ledger", errors.USAGE, path=self.db, detail=str(error))
        if is_url(self.db):
            reason = persistence.postgres_unreachable(self.db)
            if reason is not None:
                return CliError("error.db_unreachable", errors.USAGE, db=persistence.redact(self.db), detail=reason)
        return None

    def close(self):
        ledger, self._ledger = self._ledger, None
        close = getattr(ledger, "close", None)
        if close is not None:
            close()

    # --- my key -----------------------------------------------------------------

    def key_path(self, key: str | None = None, as_name: str | None = None) -> Path:
        """The private key file chosen by ``--key FILE`` or ``--as NAME``."""
        key = key or self.key
        as_name = as_name or self.as_name
        if key:
            return Path(key)
        if as_name:
            return keys_dir() / f"{as_name}.key"
        raise CliError("error.no_key", errors.USAGE)

    def signer(self, key: str | None = None, as_name: str | None = None):
        """Load the user's private key (prompting for its passphrase)."""
        return load_signer(self.key_path(key, as_name))

    def my_public(self) -> bytes:
        """The user's public key, derived from the private key (passphrase asked).

        Never from the ``.pub`` file beside it: that file is unprotected, and
        a swapped one would make ``checkpoint --verifier-key`` hand auditors
        someone else's key to pin, or ``holdings`` show someone else's items.
        """
        return load_signer(self.key_path()).public


def passphrase(label: str, confirm: bool = False) -> str:
    """``SERAH_PASSPHRASE`` if set, else a hidden prompt on a terminal."""
    value = os.environ.get("SERAH_PASSPHRASE")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliError("error.no_passphrase", errors.KEY, name=label)
    return click.prompt(
        t("key.passphrase_prompt", name=label),
        hide_input=True,
        confirmation_prompt=t("key.passphrase_repeat") if confirm else False,
        err=True,
    )


def load_signer(path: Path):
    from ledger import keys

    if not path.exists():
        raise CliError("error.key_missing", errors.KEY, path=str(path))
    return keys.load(path, passphrase(path.stem))


def read_public_file(path: Path) -> bytes:
    from ledger import keys

    return keys.read_public(path)


def parse_public_text(text: str) -> bytes | None:
    """A key written as ``serah-ed25519 <b64> [name]``, base64 or hex; None if not."""
    words = text.strip().split()
    if not words:
        return None
    word = words[1] if words[0] == "serah-ed25519" and len(words) > 1 else words[0]
    if len(word) == 64:
        try:
            return bytes.fromhex(word)
        except ValueError:
            pass
    try:
        raw = base64.b64decode(word, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def pub_beside(key_path: Path) -> Path | None:
    """The public file of a key file: ``NAME.key.pub`` (ledger.keys) or ``NAME.pub``."""
    for candidate in (Path(str(key_path) + ".pub"), key_path.with_suffix(".pub")):
        if candidate.is_file():
            return candidate
    return None


def named_pub(name: str) -> Path | None:
    """``NAME.pub`` or ``NAME.key.pub`` in the key folder."""
    if not name or "/" in name or name.startswith("."):
        return None
    for candidate in (keys_dir() / f"{name}.pub", keys_dir() / f"{name}.key.pub"):
        if candidate.is_file():
            return candidate
    return None


def resolve_public(text: str) -> bytes:
    """Someone's public key from a NAME in the key folder, a .pub file, or its text."""
    named = named_pub(text)
    if named is not None:
        return read_public_file(named)
    path = Path(text)
    if path.is_file():
        if path.suffix == ".key":
            return load_signer(path).public  # a private key: its own public half, not a .pub beside it
        return read_public_file(path)
    raw = parse_public_text(text)
    if raw is None:
        raise CliError("error.bad_pubkey", errors.USAGE, key=text)
    return raw


def get_env(ctx: click.Context | None = None) -> Env:
    ctx = ctx or click.get_current_context()
    env = ctx.find_object(Env)
    if env is None:
        env = ctx.ensure_object(Env)
    return env
