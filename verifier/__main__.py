"""``python -m verifier PATH [--json] [--jobs N]``: verify a Serah ledger, handover file or bundle.

PATH is a SQLite ledger, a ``postgresql://`` URL, a stream file of envelopes,
a handover file (``.serah``) or an evidence bundle (``.bukti``, SPEC 11).
Findings are printed one per line as position, check, severity, code and
English text (``serah verify`` prints the same codes translated); for a
bundle, also what it proves and what it cannot. Exit status: 0 no errors or
warnings, 1 errors or warnings, 2 the input cannot be used, 3 the verifier
itself failed.

Progress goes to stderr every few seconds when stderr is a terminal; force it
with ``--progress``, silence it with ``--quiet``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from verifier import bundle, messages
from verifier.api import verify
from verifier.report import DEFAULT_LIMIT

EXIT_INTERNAL = 3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verifier", description="Verify a Serah ledger, handover file or evidence bundle (SPEC.md).")
    parser.add_argument("path", help="SQLite file, postgresql:// URL, stream file, handover file or bundle")
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

    if bundle.is_bundle_file(args.path):
        return verify_bundle(args.path, args.json)
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
    except Exception as exc:  # noqa: BLE001 - a bug in the verifier, not a fault in the ledger
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


def verify_bundle(path: str, as_json: bool) -> int:
    """An evidence bundle: B1-B10 and the section 8 checks on its trail (SPEC 11.5, 11.6)."""
    try:
        result = bundle.verify_file(path)
    except OSError as exc:
        print(f"verify: {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if as_json:
        json.dump({"bundle": path, **result.as_dict()}, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return result.exit_code
    if result.unusable:
        print(f"verify: {path}: {result.findings[0].check}: {result.findings[0].message}", file=sys.stderr)
        return result.exit_code
    print(f"bundle {path}  {result.fingerprint}")
    if result.checkpoint:
        cp = result.checkpoint
        print(f"checkpoint {cp.origin} size {cp.size} root {cp.root.hex()} cosigned by "
              f"{', '.join(sorted(cp.cosigned)) or 'nobody'}")
    for f in result.findings:
        where = " ".join(x for x in (f.item or "", f"index {f.index}" if f.index is not None else "") if x)
        print(f"{f.check} {f.severity}: {where + ': ' if where else ''}{f.message}")
    for s in result.proves:
        print("PROVES: " + s.text)
    for s in result.limits:
        print("DOES NOT PROVE: " + s.text)
    print(f"{len(result.bundle.records) if result.bundle else 0} records; {result.count('error')} errors, "
          f"{result.count('warning')} warnings, {result.count('notice')} notices")
    return result.exit_code


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
