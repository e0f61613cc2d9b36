"""The log asks its witnesses for cosignatures (C2SP tlog-witness, as a client).

``serah serve --witness URL,VERIFIER_KEY ... --quorum N``: after the server
signs a checkpoint, each witness is sent ``add-checkpoint`` with a
consistency proof from the size that witness last cosigned.  The log does
not know that size at first (a new server, or a witness that was away):
it sends what it believes, and a 409 answer (``text/x.tlog.size``) tells it
the witness's size; it then retries once with a proof from there.

Each witness has its own thread and its own HTTP connection: a slow or dead
witness delays no other witness, no submission, and no checkpoint.  When it
answers again it is caught up with one proof from its last size to the newest
checkpoint.  Every cosignature received is checked against the configured key
before it is stored (``TransparencyLog.add_cosignatures``); ``/checkpoint``
serves the newest checkpoint cosigned by at least ``quorum`` of them.

Nothing here holds a lock across a request: the thread reads the newest
checkpoint and a proof, then talks to the witness, then stores the answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ledger.errors import SerahError
from ledger.tlog.note import NoteError
from ledger.tlog.witness import CosignatureVerifier
from ledger.tlog.witness_service import SIZE_CONTENT_TYPE, format_request

__all__ = ["WitnessEndpoint", "Witnessing", "parse_witness_option"]

log = logging.getLogger("serah.server.witnessing")

MAX_ANSWER = 16 * 1024  # a few cosignature lines; anything longer is not an answer


@dataclass(frozen=True)
class WitnessEndpoint:
    """Where a witness listens (its submission prefix) and the key its cosignatures verify with."""

    url: str
    verifier_key: str

    @property
    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier.from_verifier_key(self.verifier_key)

    @property
    def name(self) -> str:
        return self.verifier.name


def parse_witness_option(text: str) -> WitnessEndpoint:
    """``URL,VERIFIER_KEY`` (a verifier key holds no comma) -> endpoint; ValueError if malformed."""
    url, sep, vkey = text.rpartition(",")
    if not sep or not url.startswith(("http://", "https://")):
        raise ValueError("expected URL,VERIFIER_KEY with an http:// or https:// URL")
    try:
        CosignatureVerifier.from_verifier_key(vkey)
    except NoteError as error:
        raise ValueError(f"not a witness verifier key: {error}") from None
    return WitnessEndpoint(url.rstrip("/"), vkey)


@dataclass
class WitnessStatus:
    """What the log knows of one witness (shown by /healthz and in the logs)."""

    name: str
    url: str
    cosigned: int | None = None  #: the size it last cosigned, as far as the log knows
    last_status: int | None = None  #: HTTP status of the last answer (None: unreachable)
    last_error: str = ""
    refusals: list[str] = field(default_factory=list)


class Witnessing:
    """One thread per witness, each catching its witness up to the newest checkpoint.

    ``poke()`` wakes them (after a new checkpoint); otherwise each retries
    every ``retry_s`` seconds, so a witness that comes back is caught up
    without anyone asking.
    """

    def __init__(self, tlog: Any, witnesses: Sequence[WitnessEndpoint], quorum: int, *,
                 timeout_s: float = 10.0, retry_s: float = 2.0) -> None:
        if not 0 <= quorum <= len(witnesses):
            raise ValueError(f"quorum {quorum} needs at least that many witnesses, {len(witnesses)} given")
        self.tlog = tlog
        self.witnesses = list(witnesses)
        self.quorum = quorum
        self.timeout_s = timeout_s
        self.retry_s = retry_s
        self.status = {w.url: WitnessStatus(w.name, w.url) for w in self.witnesses}
        self._wake = {w.url: threading.Event() for w in self.witnesses}
        self._stopping = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(w,), name=f"serah-witness-{i}", daemon=True)
                         for i, w in enumerate(self.witnesses)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stopping.set()
        for event in self._wake.values():
            event.set()
        for thread in self._threads:
            thread.join(self.timeout_s + 5)

    def poke(self) -> None:
        """A new checkpoint was signed: every witness thread looks at it now."""
        for event in self._wake.values():
            event.set()

    def _run(self, witness: WitnessEndpoint) -> None:
        import httpx

        wake = self._wake[witness.url]
        with httpx.Client(timeout=self.timeout_s, headers={"User-Agent": "serah-log"}) as client:
            while not self._stopping.is_set():
                try:
                    self.catch_up(witness, client)
                except Exception as error:  # never let one witness's trouble end its thread
                    log.exception("witness %s: %s", witness.url, error)
                wake.wait(self.retry_s)
                wake.clear()

    def catch_up(self, witness: WitnessEndpoint, client: Any) -> bool:
        """Ask ``witness`` to cosign the newest checkpoint unless it did; True if it is cosigned."""
        import httpx

        status = self.status[witness.url]
        latest = self.tlog.latest_checkpoint()
        if latest is None:
            return False
        verifier = witness.verifier
        if any((c.name, c.key_id) == (verifier.name, verifier.key_id) for c in latest.cosignatures):
            status.cosigned = latest.size
            return True
        old = status.cosigned if status.cosigned is not None and status.cosigned <= latest.size else 0
        for _ in range(2):  # once with what we believe, once more with what a 409 told us
            proof = self.tlog.consistency_proof(old, latest.size) if old else []
            try:
                answer = client.post(witness.url + "/add-checkpoint", content=format_request(old, proof, latest.note))
            except httpx.HTTPError as error:
                status.last_status, status.last_error = None, f"unreachable: {type(error).__name__}"
                log.warning("witness %s unreachable (%s); will retry", witness.url, type(error).__name__)
                return False
            status.last_status = answer.status_code
            if answer.status_code == 200:
                return self._store(witness, status, latest, answer.content)
            if answer.status_code == 409 and answer.headers.get("content-type", "").startswith(SIZE_CONTENT_TYPE):
                text = answer.text[:32]
                if not (text.endswith("\n") and text[:-1].isdigit()):
                    break
                size = int(text[:-1])
                if size > latest.size or size == old:
                    # Ahead of our newest checkpoint, or the same size with another root: a split view
                    # between this log and what the witness saw. Not ours to fix; say it loudly.
                    status.last_error = f"witness holds size {size}, refuses {latest.size} (409)"
                    status.refusals.append(status.last_error)
                    log.error("witness %s refuses checkpoint %d: it cosigned size %d", witness.url, latest.size, size)
                    status.cosigned = size
                    return False
                old = status.cosigned = size
                continue
            break
        status.last_error = f"HTTP {answer.status_code}: {answer.text[:200].strip()}"
        status.refusals.append(status.last_error)
        log.error("witness %s refused checkpoint %d: %s", witness.url, latest.size, status.last_error)
        return False

    def _store(self, witness: WitnessEndpoint, status: WitnessStatus, latest: Any, body: bytes) -> bool:
        if len(body) > MAX_ANSWER:
            status.last_error = "answer too long"
            return False
        try:
            added = self.tlog.add_cosignatures(latest.note + body.decode("utf-8"), [witness.verifier_key])
        except (SerahError, UnicodeDecodeError) as error:  # a line that does not verify: never stored
            status.last_error = f"cosignature not stored: {error}"
            log.error("witness %s: %s", witness.url, status.last_error)
            return False
        status.cosigned, status.last_error = latest.size, ""
        log.info("witness %s cosigned checkpoint %d (%d new)", witness.url, latest.size, len(added))
        return True

    def snapshot(self) -> list[dict[str, Any]]:
        return [{"name": s.name, "url": s.url, "cosigned": s.cosigned, "last_status": s.last_status,
                 "last_error": s.last_error} for s in self.status.values()]
