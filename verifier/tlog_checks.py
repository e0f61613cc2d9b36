"""Transparency-log checks T1-T6 (SPEC 10.6): checkpoints against the records.

A ledger keeps signed checkpoints (size, root hash) of the Merkle tree over
its records, cosigned by witnesses (SPEC 10.3, 10.4, 10.8). This module
recomputes the root of the first *size* records for every checkpoint, in
one pass over the records in global order, and checks every signature:

* T1  each checkpoint is a well-formed note signed by the log key, for this
      ledger's name;
* T2  every cosignature of a trusted witness verifies (and a quorum, if set);
* T3  some checkpoint is cosigned by a trusted witness (else a warning), and
      how many records no cosigned checkpoint covers yet (a notice);
* T4  the ledger holds at least *size* records and their root is the
      checkpoint's: a truncated or rewritten ledger fails here;
* T5  an inclusion proof leads to a checkpoint's root (for proofs presented
      outside a full ledger, e.g. by ``serah prove``);
* T6  two checkpoints never contradict each other: equal sizes with
      different roots is a split view; for different sizes, the ledger
      itself decides (or a consistency proof does).

Checkpoints come from the ledger's tables (:func:`stored_checkpoints`) and
from files an auditor kept (:func:`checkpoint_file`): a checkpoint saved
before the ledger was rewritten is what makes the rewrite visible.

Like the rest of ``verifier/`` this imports nothing from ``ledger/`` or
``cli/``: only verifier modules, the standard library and ``cryptography``
(through ``verifier.note``). Findings are data (check, severity, code,
params) plus an English sentence; front ends translate by ``code``.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verifier import merkle, note, sce

ERROR, WARNING, NOTICE = "error", "warning", "notice"

CHECKPOINT_TABLE = "serah_tlog_checkpoint"  # SPEC 10.8
COSIGNATURE_TABLE = "serah_tlog_cosignature"


@dataclass(frozen=True)
class Finding:
    check: str  # "T1" .. "T6"
    severity: str
    code: str
    message: str
    params: dict = field(default_factory=dict)
    checkpoint: int | None = None  # the size of the checkpoint concerned
    source: str | None = None  # "ledger" or the file it came from

    def as_dict(self) -> dict:
        return {"check": self.check, "severity": self.severity, "code": self.code, "message": self.message,
                "params": self.params, "checkpoint": self.checkpoint, "source": self.source}


@dataclass(frozen=True)
class Presented:
    """A checkpoint note to check, and where it came from.

    ``log_key`` and ``witness_keys`` are the verifier keys stored next to it
    in the ledger: used only when the auditor pinned none (and reported so).
    ``size`` and ``root`` are the ledger row's own columns, compared with
    the note (a row that disagrees with its note is a T1 error).
    """

    note: str
    source: str = "ledger"
    log_key: str | None = None
    witness_keys: tuple[str, ...] = ()
    size: int | None = None
    root: bytes | None = None


@dataclass
class CheckpointResult:
    """What was established about one presented checkpoint."""

    source: str
    size: int | None = None
    root: bytes | None = None
    signed: bool = False  # T1 passed
    key: str | None = None  # the verifier key (text) whose signature opened it
    cosigned_by: dict = field(default_factory=dict)  # witness name -> timestamp (trusted keys only)
    matches: bool | None = None  # T4; None when not compared (unsigned, or the ledger is too short)


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    checkpoints: list[CheckpointResult] = field(default_factory=list)
    records: int = 0
    witnessed: int = 0  # the largest size cosigned by a trusted witness and matching the records

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        return 1 if self.count(ERROR) or self.count(WARNING) else 0


# --- reading checkpoints ------------------------------------------------------------


def stored_checkpoints(target: str, schema: str = "public") -> list[Presented] | None:
    """The checkpoints kept in a ledger database (SPEC 10.8), read-only.

    ``target`` is a SQLite path or a postgresql:// URL without SPEC 9's
    ``schema`` parameter (libpq does not know it), which comes as ``schema``:
    the log tables sit beside the records, in that schema. A ledger without
    the tables (written before the log existed, or by another writer) gives
    None, one that has them but no checkpoint row an empty list.
    """
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return _stored_postgres(text, schema)
    return _stored_sqlite(Path(text))


def _stored_sqlite(path: Path) -> list[Presented] | None:
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if CHECKPOINT_TABLE not in names:
            return None
        checkpoints = conn.execute(f"SELECT size, root, note, log_key FROM {CHECKPOINT_TABLE} ORDER BY size").fetchall()
        cosigs = []
        if COSIGNATURE_TABLE in names:
            cosigs = conn.execute(
                f"SELECT size, line, witness_key FROM {COSIGNATURE_TABLE} ORDER BY size, added, name").fetchall()
    finally:
        conn.close()
    return _assemble(checkpoints, cosigs)


def _stored_postgres(url: str, schema: str) -> list[Presented] | None:
    import psycopg

    # Quoted, schema-qualified names: a schema may hold any character (SPEC 9).
    quoted = '"{}"'.format(schema.replace('"', '""'))
    checkpoint_table, cosignature_table = f"{quoted}.{CHECKPOINT_TABLE}", f"{quoted}.{COSIGNATURE_TABLE}"
    with psycopg.connect(url, autocommit=False) as conn:
        conn.read_only = True
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass(%s), to_regclass(%s)", (checkpoint_table, cosignature_table))
            row = cur.fetchone()
            assert row is not None, "a SELECT without FROM returns one row"
            has_checkpoints, has_cosigs = row
            if has_checkpoints is None:
                return None
            cur.execute(f"SELECT size, root, note, log_key FROM {checkpoint_table} ORDER BY size")
            checkpoints = cur.fetchall()
            cosigs = []
            if has_cosigs is not None:
                cur.execute(f"SELECT size, line, witness_key FROM {cosignature_table} ORDER BY size, added, name")
                cosigs = cur.fetchall()
        conn.rollback()
    return _assemble(checkpoints, cosigs)


def _assemble(checkpoints, cosigs) -> list[Presented]:
    lines: dict[int, list[tuple[str, str]]] = {}
    for size, line, witness_key in cosigs:
        lines.setdefault(int(size), []).append((line, witness_key))
    out = []
    for size, root, text, log_key in checkpoints:
        extra = lines.get(int(size), [])
        out.append(Presented(note=text + "".join(line for line, _ in extra), source="ledger", log_key=log_key,
                             witness_keys=tuple(sorted({w for _, w in extra})), size=int(size), root=bytes(root)))
    return out


def checkpoint_file(path: str) -> Presented:
    """A checkpoint note kept in a file (e.g. by an auditor or a witness)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")  # T1 reports it as malformed
    return Presented(note=text, source=str(path))


# --- the checker ---------------------------------------------------------------------------


def _parse_keys(texts: Iterable[str], sig_type: int) -> list[note.TrustedKey]:
    keys = []
    for text in texts:
        key = note.parse_verifier_key(text)
        if key.sig_type != sig_type:
            raise note.NoteVerificationError(f"{text[:40]}: wrong key type {key.sig_type:#04x}")
        keys.append(key)
    return keys


class TlogChecker:
    """Checks checkpoints against the records, fed one record at a time.

    ``log_key`` (a verifier key, type 0x01) and ``witness_keys`` (type 0x04)
    are what the auditor trusts, e.g. as published by KPU and Bawaslu. When
    they are not given, the keys stored in the ledger next to each
    checkpoint are used and a T1/T3 notice says so: the signatures then show
    the checkpoints were not altered since signing, not who signed them.

    Feed every record in global order with :meth:`add` (the envelope) or
    :meth:`add_leaf` (its leaf hash, SHA-256(0x00 || envelope)), then call
    :meth:`finish`. Memory is O(log n) plus one root per checkpoint.
    """

    def __init__(self, checkpoints: Sequence[Presented], *, log_key: str | Sequence[str] | None = None,
                 witness_keys: Sequence[str] = (), quorum: int = 0) -> None:
        self.result = Result()
        self._builder = merkle.RootBuilder()
        self._genesis_name: str | None = None
        # A key history (SPEC 10.6): every log key the log used, oldest first.
        pinned = [log_key] if isinstance(log_key, str) else list(log_key or ())
        self._pinned_logs = _parse_keys(pinned, note.ED25519)
        self._pinned_texts = pinned
        self._pinned_witnesses = _parse_keys(witness_keys, note.COSIGNATURE_V1)
        self._quorum = quorum
        self._presented = list(checkpoints)
        self._roots: dict[int, bytes] = {}
        self._wanted: set[int] = set()
        self._texts: list[tuple[Presented, CheckpointResult, str | None]] = []
        for presented in self._presented:
            self._texts.append(self._open(presented))

    # --- feeding records

    def add(self, envelope: bytes) -> None:
        if self._builder.count == 0:
            self._genesis_name = _genesis_name(envelope)
        self.add_leaf(merkle.hash_leaf(envelope))

    def add_leaf(self, digest: bytes) -> None:
        self._builder.add_hash(digest)
        if self._builder.count in self._wanted:
            self._roots[self._builder.count] = self._builder.root()

    # --- T1, T2: signatures, before any record is read

    def _find(self, check: str, severity: str, code: str, message: str, presented: Presented | None = None,
              size: int | None = None, **params) -> None:
        source = presented.source if presented else None
        params = {"size": size, "source": source, **params}
        self.result.findings.append(Finding(check, severity, code, message, params, size, source))

    def _open(self, presented: Presented) -> tuple[Presented, CheckpointResult, str | None]:
        outcome = CheckpointResult(source=presented.source)
        self.result.checkpoints.append(outcome)
        try:
            text, signatures = note.split_signed_note(presented.note)
            origin, size, root, _ = note.parse_checkpoint_text(text)
        except note.NoteVerificationError as exc:
            self._find("T1", ERROR, "tlog_checkpoint_malformed", f"not a checkpoint note: {exc}", presented,
                       presented.size, detail=str(exc))
            return presented, outcome, None
        outcome.size, outcome.root = size, root
        if presented.size is not None and (presented.size, presented.root) != (size, root):
            self._find("T1", ERROR, "tlog_checkpoint_row",
                       f"the stored size/root ({presented.size}) differ from the note's ({size})",
                       presented, size, stored=presented.size)
        candidates = self._log_keys_for(presented, size)
        if candidates is None:
            return presented, outcome, origin
        named = {(sig.name, sig.key_id) for sig in signatures}
        tried = [(text, key) for text, key in candidates if (key.name, key.key_id) in named]
        if not tried and self._pinned_logs == [] and presented.log_key is None and candidates:
            # An auditor's note signed by a key this ledger no longer stores: the
            # stored keys were replaced, or the log key changed. Not the note's fault.
            self._find("T1", WARNING, "tlog_note_key_unknown",
                       f"checkpoint {size} is signed by a log key that the ledger does not store: pin the "
                       "published log keys", presented, size)
            return presented, outcome, origin
        failure = "checkpoint is not signed by the log key"
        for key_text, key in tried or candidates[-1:]:
            try:
                note.verify_checkpoint(presented.note, key)
            except note.NoteVerificationError as exc:
                failure = str(exc)
                continue
            outcome.key = key_text
            break
        if outcome.key is None:
            self._find("T1", ERROR, "tlog_checkpoint_signature", f"checkpoint {size}: {failure}", presented, size,
                       detail=failure)
            return presented, outcome, origin
        outcome.signed = True
        self._wanted.add(size)
        self._cosignatures(presented, outcome, text, signatures, size)
        return presented, outcome, origin

    def _log_keys_for(self, presented: Presented, size: int) -> list[tuple[str, note.TrustedKey]] | None:
        """The keys that may open ``presented``: the pinned history, else the key
        stored beside it, else (a note from a file) every log key the ledger stores."""
        if self._pinned_logs:
            return list(zip(self._pinned_texts, self._pinned_logs, strict=True))
        texts = [presented.log_key] if presented.log_key else list(dict.fromkeys(
            p.log_key for p in self._presented if p.log_key))
        if not texts:
            self._find("T1", ERROR, "tlog_no_log_key", f"checkpoint {size}: no log key to check it with",
                       presented, size)
            return None
        keys = []
        for text in texts:
            try:
                keys.append((text, note.parse_verifier_key(text)))
            except note.NoteVerificationError as exc:
                self._find("T1", ERROR, "tlog_checkpoint_signature", f"checkpoint {size}: stored log key: {exc}",
                           presented, size, detail=str(exc))
        return keys or None

    def _trusted_witnesses(self, presented: Presented) -> list[note.TrustedKey]:
        if self._pinned_witnesses:
            return self._pinned_witnesses
        keys = []
        for text in presented.witness_keys:
            try:
                keys.extend(_parse_keys([text], note.COSIGNATURE_V1))
            except note.NoteVerificationError:
                continue  # a malformed stored key trusts nobody
        return keys

    def _cosignatures(self, presented: Presented, outcome: CheckpointResult, text: str,
                      signatures: list[note.SignatureLine], size: int) -> None:
        for key in self._trusted_witnesses(presented):
            for sig in signatures:
                if (sig.name, sig.key_id) != (key.name, key.key_id):
                    continue
                try:
                    _, signers = note.verify_signed_note(text + "\n" + _line(sig), [key])
                except note.NoteVerificationError as exc:
                    self._find("T2", ERROR, "tlog_cosignature_invalid",
                               f"checkpoint {size}: the cosignature of {key.name} does not verify",
                               presented, size, witness=key.name, detail=str(exc))
                    continue
                outcome.cosigned_by[key.name] = signers[key]
        if self._quorum and len(outcome.cosigned_by) < self._quorum:
            self._find("T2", ERROR, "tlog_quorum",
                       f"checkpoint {size}: {len(outcome.cosigned_by)} trusted cosignatures, quorum {self._quorum}",
                       presented, size, have=len(outcome.cosigned_by), quorum=self._quorum)

    # --- T1 (origin), T3, T4, T6: after the records

    def finish(self, genesis_name: str | None = None) -> Result:
        name = genesis_name if genesis_name is not None else self._genesis_name
        records = self.result.records = self._builder.count
        if not self._presented:
            return self.result  # nothing to check: the report says how many checkpoints were seen
        self._key_notices()
        for presented, outcome, origin in self._texts:
            if origin is not None and name is not None and origin != name:
                self._find("T1", ERROR, "tlog_checkpoint_origin",
                           f"checkpoint {outcome.size} is for {origin!r}, not this ledger ({name!r})",
                           presented, outcome.size, origin=origin, name=name)
                outcome.signed = False
            if not outcome.signed:
                continue
            assert outcome.size is not None, "a signed checkpoint's note was parsed"
            if outcome.size > records:
                self._find("T4", ERROR, "tlog_records_missing",
                           f"checkpoint {outcome.size} covers {outcome.size} records, the ledger holds {records}",
                           presented, outcome.size, records=records)
            elif self._root_at(outcome.size) != outcome.root:
                outcome.matches = False
                self._find("T4", ERROR, "tlog_root_mismatch",
                           f"the first {outcome.size} records do not have the checkpoint's root hash",
                           presented, outcome.size)
            else:
                outcome.matches = True
        self._split_views()
        self._witnessed(records)
        return self.result

    def _root_at(self, size: int) -> bytes:
        return merkle.EMPTY_ROOT if size == 0 else self._roots[size]

    def _key_notices(self) -> None:
        if not self._pinned_logs:
            keys = sorted({p.log_key for p in self._presented if p.log_key})
            self._find("T1", NOTICE, "tlog_log_key_unpinned",
                       "no log key given: checkpoints checked with the key stored in the ledger", keys=keys)
            stored = [p for p in self._presented if p.log_key]
            for previous, current in itertools.pairwise(stored):
                if previous.log_key != current.log_key:
                    # Unpinned, a new key is indistinguishable from a forger's (SPEC 10.6).
                    self._find("T1", WARNING, "tlog_log_key_changed",
                               f"the log key changed at checkpoint {current.size}", current, current.size,
                               previous=previous.log_key, key=current.log_key)
            return
        # A pinned history is in order: once a newer key signed, an older key may not sign a larger tree.
        order = {text: i for i, text in enumerate(self._pinned_texts)}
        signed = sorted(((o.size, order[o.key], p) for p, o, _ in self._texts if o.signed and o.key in order),
                        key=lambda entry: entry[:2])
        newest = -1
        for size, rank, presented in signed:
            if rank < newest:
                self._find("T1", ERROR, "tlog_retired_key",
                           f"checkpoint {size} is signed by a log key retired before it", presented, size,
                           key=self._pinned_texts[rank])
            newest = max(newest, rank)

    def _split_views(self) -> None:
        signed = [(p, o) for p, o, _ in self._texts if o.signed]
        seen: dict[tuple[int | None, bytes | None], tuple[Presented, CheckpointResult]] = {}
        for presented, outcome in signed:
            seen.setdefault((outcome.size, outcome.root), (presented, outcome))
        distinct = list(seen.values())
        for i, (pa, a) in enumerate(distinct):
            for pb, b in distinct[i + 1:]:
                assert a.size is not None and b.size is not None, "signed checkpoints' notes were parsed"
                if a.size == b.size:
                    self._find("T6", ERROR, "tlog_split_view",
                               f"two checkpoints of size {a.size} with different roots ({pa.source}, {pb.source})",
                               pb, b.size, other=pa.source)
                else:
                    small, big = (a, b) if a.size < b.size else (b, a)
                    # The larger agrees with the records, so its first leaves are the
                    # records'; the smaller does not: the larger cannot extend it.
                    if big.matches is True and small.matches is False:
                        self._find("T6", ERROR, "tlog_inconsistent",
                                   f"checkpoints {small.size} and {big.size} are not consistent",
                                   pb, b.size, other=pa.source, old=small.size, new=big.size)

    def _witnessed(self, records: int) -> None:
        cosigned = [o for _, o, _ in self._texts if o.signed and o.matches and o.cosigned_by]
        if not cosigned:
            trusted = "pinned" if self._pinned_witnesses else "stored"
            self._find("T3", WARNING, "tlog_not_witnessed",
                       f"no checkpoint matching the records is cosigned by a trusted ({trusted}) witness",
                       records=records)
            return
        self.result.witnessed = max(o.size for o in cosigned if o.size is not None)
        if not self._pinned_witnesses:
            self._find("T3", NOTICE, "tlog_witness_keys_unpinned",
                       "no witness key given: cosignatures checked with the keys stored in the ledger")
        if records > self.result.witnessed:
            self._find("T3", NOTICE, "tlog_unwitnessed_records",
                       f"{records - self.result.witnessed} records after the last cosigned checkpoint "
                       f"({self.result.witnessed}) are not yet witnessed",
                       None, self.result.witnessed, records=records - self.result.witnessed)


def _line(sig: note.SignatureLine) -> str:
    import base64

    return f"{note.DASH} {sig.name} {base64.b64encode(sig.key_id + sig.signature).decode('ascii')}\n"


def _genesis_name(envelope: bytes) -> str | None:
    try:
        body = sce.decode(sce.decode(envelope)["body"])
        name = body.get("name") if body.get("type") == "genesis" else None
        return name if isinstance(name, str) else None
    except Exception:  # noqa: BLE001 - V1/V3 report a bad first record; the origin check is skipped
        return None


def check_log(envelopes: Iterable[bytes], checkpoints: Sequence[Presented], *,
              log_key: str | Sequence[str] | None = None,
              witness_keys: Sequence[str] = (), quorum: int = 0) -> Result:
    """T1-T4 and T6 for ``checkpoints`` against ``envelopes`` (every record, in global order)."""
    checker = TlogChecker(checkpoints, log_key=log_key, witness_keys=witness_keys, quorum=quorum)
    for envelope in envelopes:
        checker.add(envelope)
    return checker.finish()


# --- proofs presented on their own (T5, T6) ---------------------------------------------------


def check_inclusion(envelope: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> Finding | None:
    """T5: None when ``proof`` leads from the record's leaf hash to ``root``."""
    try:
        merkle.verify_inclusion(merkle.hash_leaf(envelope), index, size, proof, root)
    except merkle.VerificationError as exc:
        return Finding("T5", ERROR, "tlog_inclusion", f"record {index}: {exc}",
                       {"index": index, "size": size, "detail": str(exc)}, size)
    return None


def check_consistency(old_size: int, old_root: bytes, new_size: int, new_root: bytes,
                      proof: Sequence[bytes]) -> Finding | None:
    """T6 with a proof: None when the tree of ``new_size`` extends that of ``old_size``."""
    try:
        merkle.verify_consistency(old_size, new_size, old_root, new_root, proof)
    except merkle.VerificationError as exc:
        code = "tlog_split_view" if old_size == new_size else "tlog_inconsistent"
        return Finding("T6", ERROR, code, f"checkpoints {old_size} and {new_size}: {exc}",
                       {"old": old_size, "new": new_size, "size": new_size, "source": None, "other": None,
                        "detail": str(exc)}, new_size)
    return None


# --- inside a verifier run ---------------------------------------------------------------------


def check_source(source, report, *, checkpoints: Sequence[str] = (), log_key: str | Sequence[str] | None = None,
                 witness_keys: Sequence[str] = (), quorum: int = 0) -> Result | None:
    """T1-T4 and T6 for a verifier source (``verifier.source``), into ``report``.

    Checks the checkpoints stored in a ledger database plus those in the
    files ``checkpoints``. With none, a ledger database that has the log's
    tables (SPEC 10.8), or any input checked against pinned keys, gets one T3 warning: nothing then
    shows that these are the records the log signed (SPEC 10.6), which is
    what deleting the checkpoint rows after a rewrite would hide. Reads the
    records once more, in order (the V checks may have run in parallel).
    """
    from verifier.report import Finding as ReportFinding
    from verifier.source import Unusable

    presented: list[Presented] = []
    stored: list[Presented] | None = None
    try:
        if source.kind == "sqlite":
            stored = stored_checkpoints(str(source.path))
        elif source.kind == "postgresql":
            stored = stored_checkpoints(source.url, source.schema)
    except Exception as exc:  # noqa: BLE001 - sqlite3.Error, psycopg.Error: one line, exit status 2
        raise Unusable("input_database", path=source.name, reason=str(exc).strip().splitlines()[0]) from None
    presented += stored or []
    for path in checkpoints:
        if not Path(path).is_file():
            raise Unusable("input_missing", path=str(path))
        presented.append(checkpoint_file(path))
    if not presented:
        if stored is not None or log_key or witness_keys or quorum:
            report.add(ReportFinding(check="T3", severity=WARNING, code="tlog_no_checkpoint",
                                     params={"pinned": bool(log_key or witness_keys)}))
        return None
    try:
        checker = TlogChecker(presented, log_key=log_key, witness_keys=witness_keys, quorum=quorum)
    except note.NoteVerificationError as exc:
        raise Unusable("tlog_bad_key", detail=str(exc)) from None
    for batch in source.plan():
        for _where, envelope in source.read(batch):
            checker.add(envelope)
    result = checker.finish()
    for finding in result.findings:
        report.add(ReportFinding(check=finding.check, severity=finding.severity, code=finding.code,
                                 params=finding.params))
    return result
