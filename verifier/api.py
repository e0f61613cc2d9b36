"""The verifier's one entry point: ``verify(path_or_url) -> Report``."""

from __future__ import annotations

import os
import time

from verifier import checks, pipeline, sign, tlog_checks
from verifier.report import DEFAULT_LIMIT, Report
from verifier.source import Unusable, open_source

# Below this many rows, starting worker processes costs more than it saves.
PARALLEL_FROM = 20_000


def verify(
    path_or_url,
    jobs: int | None = None,
    progress=None,
    backend: str | None = None,
    limit: int | None = DEFAULT_LIMIT,
    checkpoints=(),
    log_key: str | None = None,
    witness_keys=(),
    quorum: int = 0,
) -> Report:
    """Verify a ledger database, a stream file or a handover file.

    ``jobs``: worker processes (None: one per core for large ledgers, else 1).
    ``progress``: called as ``progress(records_done, fraction_or_None)`` every
    few seconds. ``backend``: ``"sodium"`` or ``"openssl"`` (None: fastest).
    ``limit``: findings stored per check (None: all); the summary counts all.
    ``checkpoints``: files of checkpoint notes kept by the auditor, checked
    (T1-T6, SPEC 10.6) with those stored in the ledger; ``log_key`` and
    ``witness_keys``: pinned verifier keys; ``quorum``: cosignatures required.
    The report's ``exit_code`` is 0 clean, 1 errors or warnings, 2 unusable.
    """
    report = Report(source=str(path_or_url), limit=limit)
    started = time.perf_counter()
    source = None
    try:
        source = open_source(path_or_url)
        report.source = source.name
        if source.kind == "handover":
            chosen = sign.backend(backend)
            report.backend = chosen.name
            checks.check_handover_file(source.rows, chosen, report)
        else:
            if jobs is None:
                jobs = (os.cpu_count() or 1) if source.estimate() >= PARALLEL_FROM else 1
            report.jobs = max(1, jobs)
            pipeline.run(source, report, report.jobs, progress, backend)
            tlog_checks.check_source(source, report, checkpoints=checkpoints, log_key=log_key,
                                     witness_keys=witness_keys, quorum=quorum)
        if report.records == 0:
            raise Unusable("input_no_records", path=report.source)
    except Unusable as exc:
        report.fatal = (exc.code, exc.params)
    finally:
        if source is not None:
            source.close()
        report.seconds = time.perf_counter() - started
    return report
