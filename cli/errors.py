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
``code``; the code picks the message (catalogue key ``error.<code>``) and the
class picks the exit status. The mapping is by class *name*, so this module
does not import the ledger (``serah --help`` stays fast).
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

EXIT_BY_CLASS = {
    # 2: the input cannot be used
    "UnknownItem": USAGE,
    "BadFile": USAGE,
    "InvalidInput": USAGE,
    "NotInitialised": USAGE,
    "UnknownRecord": USAGE,
    "TooLarge": USAGE,  # ledger.server.errors: what a server refuses
    "Malformed": USAGE,
    "NotDerived": TAMPER,
    # 3: the custody rules refuse
    "NotHolder": REFUSED,
    "InTransit": REFUSED,
    "ItemDestroyed": REFUSED,
    "ItemLost": REFUSED,
    "ItemPacked": REFUSED,
    "NotEnrolled": REFUSED,
    "KeyRevoked": REFUSED,
    "OutOfJurisdiction": REFUSED,
    "RoleNotAllowed": REFUSED,
    "AlreadyEnrolled": REFUSED,
    "AlreadyRegistered": REFUSED,
    "WrongReceiver": REFUSED,
    "HandoverClosed": REFUSED,
    "SealInUse": REFUSED,
    "BoxSealed": REFUSED,
    "WitnessRequired": REFUSED,
    "AlreadyInitialised": REFUSED,
    "ExceptionRequired": REFUSED,
    "WrongDestination": REFUSED,
    "BadTime": REFUSED,
    "FutureTime": REFUSED,
    # 4: integrity
    "BadSignature": TAMPER,
    "EncodingError": TAMPER,
    "StaleRecord": TAMPER,
    "DuplicateRecord": TAMPER,
    "WrongLedger": TAMPER,
    "BadRecord": TAMPER,
    # 5: concurrency
    "Conflict": CONFLICT,
    # 6: keys
    "WrongPassphrase": KEY,
    "BadKeyFile": KEY,
}


# InvalidInput carries its own code; these codes are custody refusals, not bad input.
EXIT_BY_CODE = {
    "self_handover": REFUSED,
    "root_not_revocable": REFUSED,
    "already_signed": REFUSED,
    "box_not_empty": REFUSED,
    "qty_mismatch": REFUSED,
    "seals_mismatch": REFUSED,
    "contents_mismatch": REFUSED,
    "qty_lost_too_large": USAGE,
    "empty_passphrase": KEY,
    "weak_passphrase": KEY,
}


def exit_code_for(error: BaseException) -> int:
    """Exit status for a ledger error: by code where listed, else nearest known class."""
    code = getattr(error, "code", None)
    if code in EXIT_BY_CODE:
        return EXIT_BY_CODE[code]
    for cls in type(error).__mro__:
        if cls.__name__ in EXIT_BY_CLASS:
            return EXIT_BY_CLASS[cls.__name__]
        if cls.__name__ == "SerahError":
            break
    return REFUSED


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
    return any(cls.__name__ == "SerahError" and cls.__module__.startswith("ledger") for cls in type(error).__mro__)
