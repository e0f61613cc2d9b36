"""``python -m verifier PATH [--json] [--jobs N]``: verify a Serah ledger.

PATH is a SQLite ledger, a ``postgresql://`` URL, a stream file of envelopes
or a handover file (``.serah``). Findings are printed one per line as
position, check, severity, code and English text (``serah verify`` prints the
same codes translated). Exit status: 0 no errors or warnings, 1 errors or
warnings, 2 the input cannot be used, 3 the verifier itself failed.

Progress goes to stderr every few seconds when stderr is a terminal; force it
with ``--progress``, silence it with ``--quiet``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from verifier import messages
from verifier.api import verify
from verifier.report import DEFAULT_LIMIT

EXIT_INTERNAL = 3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verifier", description="Verify a Serah ledger (SPEC.md).")
    parser.add_argument("path", help="SQLite file, postgresql:// URL, stream file or handover file")
    parser.add_argument("--json", action="store_true", help="machine-readable report on stdout")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core for large ledgers)")
    parser.add_argument("--backend", choices=("sodium", "openssl"), default=None, help="Ed25519 implementation")
    parser.add_argument("--all", action="store_true", help=f"keep every finding (default: {DEFAULT_LIMIT} per check)")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true", help="no progress on stderr")
    shown.add_argument("--progress", action="store_true", help="progress on stderr even when it is not a terminal")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")

    show_progress = args.progress or (not args.quiet and sys.stderr.isatty())
    started = time.monotonic()

    def progress(records, fraction):
        elapsed = max(time.monotonic() - started, 1e-9)
        done = f" ({fraction:.0%})" if fraction is not None else ""
        print(f"verify: {records} records{done}, {records / elapsed:,.0f} records/s", file=sys.stderr, flush=True)

    try:
        report = verify(
            args.path,
            jobs=args.jobs,
            progress=progress if show_progress else None,
            backend=args.backend,
            limit=None if args.all else DEFAULT_LIMIT,
        )
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in the verifier, not a fault in the ledger
        print(f"verify: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL

    if args.json:
        json.dump(report.as_dict(), sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return report.exit_code
    if report.fatal is not None:
        code, params = report.fatal
        print(f"verify: {messages.render(code, params)}", file=sys.stderr)
        return report.exit_code
    for finding in report.sorted_findings():
        print(messages.line(finding))
    print(summary(report))
    return report.exit_code


def summary(report) -> str:
    counts = report.counts
    checks = ", ".join(f"{name} {count}" for name, count in sorted(report.by_check.items(), key=lambda p: int(p[0][1:])))
    rate = report.records / report.seconds if report.seconds else 0
    text = (
        f"{report.records} records, {report.signatures} signatures, {report.seconds:.1f} s ({rate:,.0f}/s); "
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['notice']} notices"
    )
    if checks:
        text += f" [{checks}]"
    if report.omitted:
        text += f"; {report.omitted} findings not listed (use --all)"
    return text


if __name__ == "__main__":
    sys.exit(main())
