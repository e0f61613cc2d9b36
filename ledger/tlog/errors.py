"""Why a transparency-log operation was refused (nothing is written when one is raised)."""

from __future__ import annotations

from ledger.errors import Category, SerahError

__all__ = [
    "BadCosignature",
    "BadNote",
    "BeyondLog",
    "LogError",
    "LogKeyChanged",
    "NoCheckpoint",
    "NoSuchLeaf",
    "TreeMismatch",
    "UnknownCheckpoint",
]


class LogError(SerahError):
    """A transparency-log operation was refused; nothing was written."""

    category = Category.REFUSED
    code = "tlog"


class TreeMismatch(LogError):
    """The stored tree does not describe the stored records (removed or rewritten records)."""

    category = Category.TAMPER
    code = "tlog_mismatch"
    template = "the transparency log ({tree} leaves) does not match the ledger's records ({detail})"


class NoCheckpoint(LogError):
    category = Category.INPUT
    code = "no_checkpoint"
    template = "the ledger has no checkpoint yet"


class UnknownCheckpoint(LogError):
    category = Category.INPUT
    code = "unknown_checkpoint"
    template = "the ledger has no checkpoint of size {size}"


class NoSuchLeaf(LogError):
    category = Category.INPUT
    code = "no_such_leaf"
    template = "there is no record at leaf index {index} in a tree of {log} records"


class BadNote(LogError):
    category = Category.INPUT
    code = "bad_note"
    template = "not a valid checkpoint or cosignature: {detail}"


class BadCosignature(LogError):
    category = Category.TAMPER
    code = "bad_cosignature"
    template = "the cosignature of {witness} on checkpoint {size} does not verify"


class LogKeyChanged(LogError):
    category = Category.REFUSED
    code = "log_key_changed"
    template = "checkpoints so far were signed by {previous}, not {given}"


class BeyondLog(LogError):
    category = Category.INPUT
    code = "beyond_log"
    template = "size {size} is beyond the log, which holds {log} records"
