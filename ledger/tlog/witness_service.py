"""C2SP tlog-witness (c2sp.org/tlog-witness): the ``add-checkpoint`` call of a witness.

A log operator POSTs ``<prefix>/add-checkpoint`` with a body of

    old <size this witness last cosigned>\\n
    <zero or more base64 consistency-proof hashes, one a line>\\n
    \\n
    <the signed checkpoint note>

and gets back its cosignature line(s), or a status saying why not:

=====  ==========================================================================
404    the origin is not a log this witness follows (or it has no state for it
       and its operator did not say this is the first time, SPEC 10.5)
403    no signature by the log's trusted key verifies
400    the body is malformed, or ``old`` is larger than the checkpoint's size
409    ``old`` is not the size this witness last cosigned; body ``<size>\\n``,
       ``Content-Type: text/x.tlog.size`` so the log can retry from there.
       Also 409: same size as last cosigned, different root (a split view)
422    the consistency proof does not verify (a fork or a bad proof)
200    the cosignature line(s), after the new size was durably stored
=====  ==========================================================================

Check and store are one critical section (a thread lock and an ``flock`` on
a lock file beside the state, so two processes sharing a state file are safe
too): two concurrent requests for sizes N and N+K can never leave the state
at N after N+K was cosigned (the race the C2SP text describes).  Nothing in
the critical section waits on the network.

A signed checkpoint the witness refused as a split view (409 on equal size)
or fork (422) is evidence against the log; it is kept, with the request as
received, in ``<state>.refused/``.  The witness needs only its key, its state
file and the logs' verifier keys: never the ledger's database.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import fcntl
import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledger.tlog.note import Checkpoint, NoteError, Verifier, open_note, parse_note
from ledger.tlog.tree import EMPTY_ROOT, ProofError, verify_consistency
from ledger.tlog.witness import WitnessState

MAX_BODY = 64 * 1024  # a checkpoint with 100 signatures and 63 proof lines is under 20 KB
MAX_PROOF_LINES = 63
SIZE_CONTENT_TYPE = "text/x.tlog.size"
TEXT = "text/plain; charset=utf-8"


class RequestError(ValueError):
    """The body is not an add-checkpoint request (HTTP 400)."""


@dataclass(frozen=True)
class AddCheckpoint:
    """A parsed request: the old size, the proof hashes and the checkpoint note as sent."""

    old_size: int
    proof: tuple[bytes, ...]
    note: str


@dataclass(frozen=True)
class Answer:
    """What to send back: HTTP status, content type and body."""

    status: int
    content_type: str
    body: bytes
    reason: str = ""  #: a short word for logs and tests: cosigned, unknown_log, conflict ...


def _decimal(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or (len(text) > 1 and text[0] == "0") or len(text) > 19:
        raise RequestError(f"bad size {text[:24]!r}")
    return int(text)


def parse_request(body: bytes) -> AddCheckpoint:
    """Split an add-checkpoint body into old size, proof and checkpoint note (strictly)."""
    if len(body) > MAX_BODY:
        raise RequestError("request body too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError("request body is not UTF-8") from None
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise RequestError("no empty line before the checkpoint")
    lines = head.split("\n")
    first = lines[0]
    if not first.startswith("old "):
        raise RequestError("the first line must be 'old <size>'")
    old_size = _decimal(first[4:])
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise RequestError(f"more than {MAX_PROOF_LINES} consistency proof lines")
    proof = []
    for line in lines[1:]:
        try:
            digest = base64.b64decode(line.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise RequestError("a proof line is not base64") from None
        if len(digest) != 32 or base64.b64encode(digest).decode("ascii") != line:
            raise RequestError("a proof line is not one base64 SHA-256 hash")
        proof.append(digest)
    return AddCheckpoint(old_size, tuple(proof), note)


def format_request(old_size: int, proof: Iterable[bytes], note: str) -> bytes:
    """The body the log sends (``ledger.server.witnessing`` and tests use it)."""
    lines = [f"old {old_size}"] + [base64.b64encode(h).decode("ascii") for h in proof]
    return ("\n".join(lines) + "\n\n" + note).encode("utf-8")


def _size_answer(status: int, size: int, reason: str) -> Answer:
    return Answer(status, SIZE_CONTENT_TYPE, f"{size}\n".encode("ascii"), reason)


def _text(status: int, message: str, reason: str) -> Answer:
    return Answer(status, TEXT, (message + "\n").encode("utf-8"), reason)


class WitnessService:
    """The add-checkpoint logic of one witness, independent of any HTTP framework.

    ``signer`` makes cosignature/v1 lines (``witness.CosignatureSigner`` or
    ``log.WitnessSigner`` over a Serah key file); ``logs`` maps each origin
    to its log's verifier; ``first_time`` names origins this witness may
    start cosigning from size 0 (the operator's explicit word, SPEC 10.5).
    """

    def __init__(self, signer: Any, state_path: str | os.PathLike, logs: Mapping[str, Verifier],
                 first_time: Iterable[str] = ()) -> None:
        self.signer = signer
        self.state = WitnessState(state_path)
        self.logs = dict(logs)
        self.first_time = set(first_time)
        self.evidence_dir = Path(str(state_path) + ".refused")
        self._lock = threading.Lock()
        self._lock_path = Path(str(state_path) + ".lock")

    def verifier_key(self) -> str:
        return self.signer.verifier_key()

    def add_checkpoint(self, body: bytes) -> Answer:
        """Answer one add-checkpoint request (the whole C2SP decision table)."""
        try:
            request = parse_request(body)
        except RequestError as error:
            return _text(400, str(error), "bad_request")
        origin = request.note.split("\n", 1)[0]
        verifier = self.logs.get(origin)
        if verifier is None:
            return _text(404, "unknown log origin", "unknown_log")
        try:
            note = parse_note(request.note)
        except NoteError as error:
            return _text(400, f"not a signed note: {error}", "bad_request")
        try:
            open_note(note, [verifier])
        except NoteError:
            return _text(403, "no valid signature by the log's key", "forbidden")
        try:
            checkpoint = Checkpoint.parse(note.text)
        except NoteError as error:
            return _text(400, f"not a checkpoint: {error}", "bad_request")
        if request.old_size > checkpoint.size:
            return _text(400, "old size is larger than the checkpoint's size", "bad_request")
        with self._critical():
            return self._decide(request, note.text, checkpoint, body)

    def _decide(self, request: AddCheckpoint, text: str, checkpoint: Checkpoint, body: bytes) -> Answer:
        logs = self.state.load()
        stored = logs.get(checkpoint.origin)
        if stored is None and checkpoint.origin not in self.first_time:
            return _text(404, "no state for this log; its first checkpoint needs the operator's first-time flag",
                         "no_state")
        old_size, old_root = stored if stored is not None else (0, EMPTY_ROOT)
        if request.old_size != old_size:
            return _size_answer(409, old_size, "conflict")
        if checkpoint.size == old_size and checkpoint.root_hash != old_root:
            self._keep(body, "split_view", f"size {old_size}: root differs from the cosigned one")
            return _size_answer(409, old_size, "split_view")
        try:
            verify_consistency(old_size, checkpoint.size, old_root, checkpoint.root_hash, list(request.proof))
        except ProofError as error:
            self._keep(body, "inconsistent", str(error))
            return _text(422, f"consistency proof does not verify: {error}", "inconsistent")
        if stored != (checkpoint.size, checkpoint.root_hash):
            logs[checkpoint.origin] = (checkpoint.size, checkpoint.root_hash)
            self.state.save(logs)  # fsynced and renamed before anything is signed or sent
        line = self.signer.sign(text).line()
        return Answer(200, TEXT, line.encode("utf-8"), "cosigned")

    @contextmanager
    def _critical(self) -> Iterator[None]:
        """Held from reading the state to storing it: one thread, and one process, at a time."""
        with self._lock:
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the flock

    def _keep(self, body: bytes, reason: str, detail: str) -> Path:
        """Keep a refused, validly signed request: evidence against the log (SPEC 10.5)."""
        self.evidence_dir.mkdir(exist_ok=True)
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.evidence_dir / f"{stamp}-{reason}.json"
        record = {"reason": reason, "detail": detail, "request": body.decode("utf-8")}
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(json.dumps(record, indent=2) + "\n")
        return path

    def evidence(self) -> list[Path]:
        return sorted(self.evidence_dir.glob("*.json")) if self.evidence_dir.is_dir() else []


# --- HTTP --------------------------------------------------------------------------------


def make_app(service: WitnessService) -> Any:
    """A Starlette app: ``POST /add-checkpoint``, and ``GET /`` with the witness's verifier key.

    The body is read up to ``MAX_BODY`` bytes (413 beyond); the decision,
    which fsyncs, runs in a worker thread so a slow disk never blocks the loop.
    """
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    async def add_checkpoint(request: Request) -> Response:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                return PlainTextResponse("request body too large\n", status_code=413)
            chunks.append(chunk)
        answer = await run_in_threadpool(service.add_checkpoint, b"".join(chunks))
        # Content-Type exactly as C2SP names it (no charset appended to text/x.tlog.size).
        return Response(answer.body, status_code=answer.status, headers={"Content-Type": answer.content_type})

    async def about(request: Request) -> Response:
        return PlainTextResponse(service.verifier_key() + "\n")

    return Starlette(routes=[Route("/add-checkpoint", add_checkpoint, methods=["POST"]),
                             Route("/", about, methods=["GET"])])
