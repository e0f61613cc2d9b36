"""Exit codes, and how a failure becomes one translated line on stderr.

The scheme (also in README.md and the epilog of ``serah --help``):

    0  ok
    1  verification findings (``serah verify`` found errors or warnings)
    2  usage or input unusable: bad option, unreadable or malformed file,
       bad CSV, unknown item, ledger not initialised, a --db that is not a
       ledger, a PostgreSQL server that cannot be reached
    3  refused by the custody rules: not the holder, revoked or unknown key,
       wrong role or jurisdiction, handover already closed, box sealed ...
    4  signature, tamper or replay: a signature does not verify, a record
       was altered or is not canonical, a record replayed or forked,
       a file from another ledger
    5  conflict: another writer appended first; read again and retry
    6  key or passphrase problem: wrong passphrase, unreadable key file,
       no passphrase available
    70 internal error (a bug): rerun with SERAH_DEBUG=1 for the traceback
    130 interrupted (Ctrl-C, or a prompt answered with end of input)

The ledger raises ``ledger.errors.SerahError`` subclasses carrying a stable
``code`` and a ``category``; the code picks the message (catalogue key
``error.<code>``) and the category, whose value is the exit status, picks
the status. Nothing here lists error classes: a new error says its own
category where it is defined.
"""

from __future__ import annotations

OK = 0
FINDINGS = 1
USAGE = 2
REFUSED = 3
TAMPER = 4
CONFLICT = 5
KEY = 6
INTERNAL = 70
INTERRUPTED = 130


def exit_code_for(error: BaseException) -> int:
    """Exit status for a ledger error: its category (``ledger.errors.Category``)."""
    category = getattr(error, "category", None)
    return int(category) if category is not None else REFUSED


class CliError(Exception):
    """A failure found by the CLI itself (before or around the ledger).

    ``key`` is a catalogue key, ``params`` its parameters, ``exit_code`` the
    status. Shown as one line, like a ledger error.
    """

    def __init__(self, key: str, exit_code: int = USAGE, /, **params):
        super().__init__(key)
        self.key = key
        self.exit_code = exit_code
        self.params = params


def is_serah_error(error: BaseException) -> bool:
    """Whether ``error`` is one of Serah's own (a translated line and its category's status)."""
    from ledger.errors import SerahError

    return isinstance(error, SerahError)
