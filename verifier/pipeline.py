"""Running the checks over a source, on one core or several.

The expensive work (SCE decoding, schema, SHA-256, Ed25519) needs no ledger
context, so worker processes do it on batches they read themselves and send
back one compact tuple per record. The parent only runs the sequential rules
(V3, V5-V19) on those tuples, in order, so it stays a small share of the
total and two workers really do nearly twice the work of one.

With ``jobs == 1`` everything runs in this process: no fork, no pickling.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections import deque
from hashlib import sha256

from verifier import checks, sign
from verifier.report import Report
from verifier.sce import unpack

# Per-worker globals, set by _init in each worker (inherited through fork).
_source = None
_backend = None


def _init(source, backend_name) -> None:
    global _source, _backend
    _source = source
    _backend = sign.backend(backend_name)


def _work(batch) -> list:
    assert _source is not None, "_init runs first in every worker"
    return checks.examine_batch(_source.read(batch), _backend, ship=True)


def _ids(source):
    """``(position, id)`` of every record in global order: the light second pass of ``Rules.finish``."""
    position = 0
    for batch in source.plan():
        for _where, raw in source.read(batch):
            yield position, sha256(raw).digest()
            position += 1


class Progress:
    """Calls ``callback(records, fraction)`` at most every ``every`` seconds."""

    def __init__(self, callback, every: float = 2.0):
        self.callback = callback
        self.every = every
        self.last = time.monotonic()

    def __call__(self, records: int, fraction, final: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if final or now - self.last >= self.every:
            self.last = now
            self.callback(records, fraction)


def run(source, report: Report, jobs: int, progress=None, backend_name: str | None = None) -> None:
    """Verify every record of ``source`` into ``report``.

    The cyclic garbage collector is paused for the run: the verifier makes
    no reference cycles, and with millions of live objects (the per-item
    state) its periodic scans cost more than a fifth of the run.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        _run(source, report, jobs, progress, backend_name)
    finally:
        if paused:
            gc.enable()


def _run(source, report: Report, jobs: int, progress, backend_name) -> None:
    rules = checks.Rules(report)
    record = rules.record
    tick = Progress(progress)
    position = 0  # SPEC 1: 0-based, genesis 0; after the loop, the number of records
    signatures = 0

    def consume(results, shipped: bool = False) -> None:
        nonlocal position, signatures
        for _where, rid, kind, body, cosigners, problems, count in results:
            signatures += count
            if shipped and kind is not None:
                body = unpack(body)  # validated SCE from a worker
            record(position, rid, kind, body, cosigners, problems)
            position += 1

    if jobs > 1 and "fork" not in multiprocessing.get_all_start_methods():
        jobs = 1  # workers inherit the open source by fork; elsewhere run in this process
    if jobs <= 1:
        backend = sign.backend(backend_name)
        report.backend = backend.name
        for batch in source.plan():
            consume(checks.examine_batch(source.read(batch), backend))
            tick(position, source.progress_of(batch))
    else:
        report.backend = sign.backend(backend_name).name
        source.close()  # children open their own connections
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_init, initargs=(source, backend_name)) as pool:
            window: deque = deque()
            for batch in source.plan():
                window.append((pool.apply_async(_work, (batch,)), batch))
                # A bounded window: results never pile up faster than we check them.
                if len(window) >= jobs * 3:
                    pending, done_batch = window.popleft()
                    consume(pending.get(), shipped=True)
                    tick(position, source.progress_of(done_batch))
            while window:
                pending, done_batch = window.popleft()
                consume(pending.get(), shipped=True)
                tick(position, source.progress_of(done_batch))
    rules.finish(_ids(source))
    rules.v19_open_at_end()
    report.records = position
    report.signatures = signatures
    tick(position, 1.0, final=True)
