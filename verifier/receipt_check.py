"""Kept receipts against a log (SPEC 12.2, check R1): a served log or a ledger.

A custodian keeps the receipts ``serah`` saved next to a handover file. Long
after, anyone holding them asks the log: is each receipted record at its
position of the log's latest checkpoint? This module fetches what R1 needs
(the checkpoint, the envelope at the position, an inclusion proof) from

* a served log (C2SP tlog-tiles: ``/checkpoint``, the entry bundle and the
  hash tiles of the path), or
* a ledger database (its latest stored checkpoint signed by the pinned log
  key, or checkpoint notes an auditor kept; the proof computed from the
  records),

and gives one verdict per receipt. The log key must be pinned: a receipt
only binds the key the log published.

Written from SPEC.md alone; imports nothing from ``ledger/`` or ``cli/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier import merkle
from verifier import tiles as vt
from verifier.note import NoteVerificationError, parse_verifier_key, verify_checkpoint
from verifier.receipts import CheckedReceipt, ReceiptError, check_receipt, check_receipt_in_checkpoint

__all__ = ["KEPT", "MISSING", "NOT_YET", "ReceiptVerdict", "ReceiptsUnusable", "check_receipts",
           "inclusion_proof", "read_receipt_file"]

KEPT, MISSING, NOT_YET = "kept", "missing", "not_yet"
MAX_RECEIPT = 4096  # a receipt note is ~300 bytes; a larger file is not one
MAX_CHECKPOINT = 64 * 1024
MAX_TILE = vt.WIDTH * vt.HASH
MAX_BUNDLE = vt.WIDTH * (2 + 65_535)


class ReceiptsUnusable(Exception):
    """The receipts cannot be checked at all (bad receipt, no checkpoint,
    log unreachable): exit status 2, nothing proven either way."""


@dataclass(frozen=True)
class ReceiptVerdict:
    """R1 for one kept receipt: ``kept`` (in the checkpoint at its position),
    ``missing`` (evidence against the log operator: error) or ``not_yet``
    (the checkpoint is not larger than the position: check again later)."""

    path: str
    receipt: CheckedReceipt
    status: str
    checkpoint_size: int
    detail: str = ""

    @property
    def severity(self) -> str:
        return {KEPT: "ok", MISSING: "error", NOT_YET: "warning"}[self.status]

    def as_dict(self) -> dict:
        return {"check": "R1", "file": self.path, "record": self.receipt.record.hex(),
                "position": self.receipt.position, "time": self.receipt.time, "status": self.status,
                "severity": self.severity, "checkpoint_size": self.checkpoint_size, "detail": self.detail}


def exit_code(verdicts: Sequence[ReceiptVerdict]) -> int:
    """0 every receipt kept; 1 one is missing or not yet covered."""
    return 0 if all(v.status == KEPT for v in verdicts) else 1


def read_receipt_file(path: str, log_key: str) -> CheckedReceipt:
    """A receipt file's fields, after its format and the log key's signature."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_RECEIPT + 1)
    except OSError as error:
        raise ReceiptsUnusable(f"{path}: {error.strerror or error}") from None
    if len(raw) > MAX_RECEIPT:
        raise ReceiptsUnusable(f"{path}: larger than {MAX_RECEIPT} bytes, not a receipt")
    try:
        return check_receipt(raw.decode("utf-8"), log_key)
    except (UnicodeDecodeError, ReceiptError) as error:
        raise ReceiptsUnusable(f"{path}: not a valid receipt of this log: {error}") from None


def check_receipts(target: str, receipt_files: Sequence[str], log_key: str,
                   checkpoint_files: Sequence[str] = ()) -> list[ReceiptVerdict]:
    """R1 for each receipt file against ``target``: an ``http(s)://`` served
    log, or a ledger database (SQLite path or ``postgresql://`` URL)."""
    try:
        parse_verifier_key(log_key)
    except NoteVerificationError as error:
        raise ReceiptsUnusable(f"log key: {error}") from None
    receipts = [(path, read_receipt_file(path, log_key)) for path in receipt_files]
    if target.startswith(("http://", "https://")):
        log: _Log = _ServedLog(target)
    else:
        log = _LedgerLog(target, log_key, checkpoint_files)
    try:
        key = parse_verifier_key(log_key)
        verdicts = []
        for path, receipt in receipts:
            note_text = log.checkpoint_for(receipt.position)
            try:
                size = verify_checkpoint(note_text, key).size
            except NoteVerificationError as error:
                raise ReceiptsUnusable(f"the log's checkpoint does not verify with the log key: {error}") from None
            if receipt.position >= size:
                verdicts.append(ReceiptVerdict(path, receipt, NOT_YET, size))
                continue
            envelope, proof = log.entry(receipt.position, size)
            try:
                finding = check_receipt_in_checkpoint(receipt, note_text, log_key, envelope, proof)
            except ReceiptError as error:
                raise ReceiptsUnusable(str(error)) from None
            if finding is None:
                verdicts.append(ReceiptVerdict(path, receipt, KEPT, size))
            else:
                verdicts.append(ReceiptVerdict(path, receipt, MISSING, size, finding.detail))
        return verdicts
    finally:
        log.close()


class _Log:
    def checkpoint_for(self, position: int) -> str:
        """The checkpoint note to check a receipt at ``position`` against."""
        raise NotImplementedError

    def entry(self, position: int, size: int) -> tuple[bytes | None, list[bytes]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _ServedLog(_Log):
    """A log served as C2SP tlog-tiles."""

    def __init__(self, url: str) -> None:
        from verifier.monitor import HttpLog

        try:
            self.http = HttpLog(url)
        except ValueError as error:
            raise ReceiptsUnusable(str(error)) from None
        self._note: str | None = None

    def _get(self, path: str, limit: int) -> bytes:
        from verifier.monitor import FetchError

        try:
            return self.http.get(path, limit)
        except FetchError as error:
            raise ReceiptsUnusable(f"{self.http.host}: {error}") from None

    def checkpoint_for(self, position: int) -> str:
        if self._note is None:
            self._note = self._get("checkpoint", MAX_CHECKPOINT).decode("utf-8", "replace")
        return self._note

    def entry(self, position: int, size: int) -> tuple[bytes | None, list[bytes]]:
        index = position // vt.WIDTH
        width = vt.width_in(vt.BUNDLE, index, size)
        try:
            entries = vt.split_bundle(self._get(vt.tile_url_path((vt.BUNDLE, index, width)), MAX_BUNDLE), width)
            ranges = vt.inclusion_ranges(position, size)
            hashes = vt.TileHashes()
            for key in sorted(vt.tiles_for_ranges(ranges, size)):
                hashes.add(key[0], key[1], vt.split_tile(self._get(vt.tile_url_path(key), MAX_TILE), key[2]))
            proof = [hashes.range_hash(lo, hi) for lo, hi in ranges]
        except vt.TileFormatError as error:
            raise ReceiptsUnusable(f"{self.http.host}: {error}") from None
        return entries[position % vt.WIDTH], proof


class _LedgerLog(_Log):
    """A ledger database: its records in log order and its stored checkpoints."""

    def __init__(self, target: str, log_key: str, checkpoint_files: Sequence[str]) -> None:
        from verifier.source import Unusable, open_source
        from verifier.tlog_checks import checkpoint_file, stored_checkpoints

        try:
            source = open_source(target)
        except Unusable as error:
            raise ReceiptsUnusable(f"{target}: {error.code} {error.params}") from None
        try:
            if source.kind not in ("sqlite", "postgresql"):
                raise ReceiptsUnusable(f"{target}: receipts are checked against a ledger database or a served log")
            where = str(source.path) if source.kind == "sqlite" else source.url
            notes = [p.note for p in (stored_checkpoints(where, *(() if source.kind == "sqlite" else (source.schema,)))
                                      or [])]
            for path in checkpoint_files:
                if not Path(path).is_file():
                    raise ReceiptsUnusable(f"{path}: no such file")
                notes.append(checkpoint_file(path).note)
            self.envelopes = [envelope for batch in source.plan() for _where, envelope in source.read(batch)]
        finally:
            source.close()
        key = parse_verifier_key(log_key)
        self.signed: list[tuple[int, str]] = []
        for text in notes:
            try:
                self.signed.append((verify_checkpoint(text, key).size, text))
            except NoteVerificationError:
                continue  # another key's, or altered: T1 reports it; R1 needs one the pinned key signed
        if not self.signed:
            raise ReceiptsUnusable(f"{target}: no checkpoint signed by the log key")
        self.signed.sort()
        self.leaves = [merkle.hash_leaf(e) for e in self.envelopes]

    def checkpoint_for(self, position: int) -> str:
        """The largest checkpoint; but for a record the ledger still has, the
        largest over no more records than it has (records lost after it are
        another receipt's evidence, and T4's)."""
        if position < len(self.envelopes):
            within = [text for size, text in self.signed if size <= len(self.envelopes)]
            if within:
                return within[-1]
        return self.signed[-1][1]

    def entry(self, position: int, size: int) -> tuple[bytes | None, list[bytes]]:
        if position >= len(self.envelopes) or size > len(self.envelopes):
            return None, []
        return self.envelopes[position], inclusion_proof(self.leaves[:size], position)


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[0:n]) of RFC 9162 2.1.3.1 from the leaf hashes, leaf first."""
    proof = []
    for lo, hi in vt.inclusion_ranges(index, len(leaves)):
        builder = merkle.RootBuilder()
        for leaf in leaves[lo:hi]:
            builder.add_hash(leaf)
        proof.append(builder.root())
    return proof

