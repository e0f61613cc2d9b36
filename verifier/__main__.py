"""``python -m verifier PATH [--json] [--jobs N]``: verify a Serah ledger, handover file or bundle.

PATH is a SQLite ledger, a ``postgresql://`` URL, a stream file of envelopes,
a handover file (``.serah``) or an evidence bundle (``.bukti``, SPEC 11).
Findings are printed one per line as position, check, severity, code and
English text (``serah verify`` prints the same codes translated); for a
bundle, also what it proves and what it cannot. Exit status: 0 no errors or
warnings, 1 errors or warnings, 2 the input cannot be used, 3 the verifier
itself failed.

Pins (SPEC 10.10): ``--trust FILE``, ``--log-vkey`` (repeatable: the key
history, oldest first), ``--witness-vkey``, ``--quorum``, ``--ledger-id``,
``--root-key``; ``--checkpoint FILE`` adds a checkpoint note an auditor kept
(ledgers only).

``--receipt FILE`` (repeatable) checks kept log receipts instead (SPEC 12.2,
R1): PATH is then a ledger database or a served log's ``http(s)://`` URL,
and the log key must be pinned. Exit status 0 every record is in the log,
1 one is missing (evidence against the log operator) or not yet covered.

Progress goes to stderr every few seconds when stderr is a terminal; force it
with ``--progress``, silence it with ``--quiet``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from verifier import bundle, messages, trust
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
    parser.add_argument("--checkpoint", action="append", default=[], metavar="FILE", help="a checkpoint note kept")
    parser.add_argument("--trust", metavar="FILE", help="trust file: ledger, root, log, witness, quorum lines")
    parser.add_argument("--log-vkey", "--log-key", dest="log_key", action="append", default=[], metavar="VKEY", help="pinned log key (history)")
    parser.add_argument("--witness-vkey", "--witness-key", dest="witness_key", action="append", default=[], metavar="VKEY", help="pinned witness key")
    parser.add_argument("--quorum", type=int, default=0, help="pinned witnesses that must have cosigned")
    parser.add_argument("--ledger-id", metavar="HEX", help="pinned ledger id")
    parser.add_argument("--root-key", action="append", default=[], metavar="HEX", help="pinned root key")
    parser.add_argument("--receipt", action="append", default=[], metavar="FILE",
                        help="a kept log receipt: check its record is in the log at its position (R1)")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true", help="no progress on stderr")
    shown.add_argument("--progress", action="store_true", help="progress on stderr even when it is not a terminal")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    try:
        pins = _pins(args)
    except (OSError, trust.TrustError) as exc:
        print(f"verify: {exc}", file=sys.stderr)
        return 2
    if args.receipt:
        return verify_receipts(args, pins)
    if bundle.is_bundle_file(args.path):
        return verify_bundle(args, pins)
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
            checkpoints=tuple(args.checkpoint),
            log_key=pins.log_keys or None,
            witness_keys=pins.witness_keys,
            quorum=pins.quorum,
            ledger_id=pins.ledger_id,
            roots=pins.roots,
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


def _pins(args) -> trust.Trust:
    found = trust.read(args.trust) if args.trust else trust.Trust()
    lines = [f"log {k}" for k in args.log_key] + [f"witness {k}" for k in args.witness_key]
    lines += [f"root {k}" for k in args.root_key] + ([f"ledger {args.ledger_id}"] if args.ledger_id else [])
    given = trust.parse("\n".join(lines))
    return found.merged(trust.Trust(given.ledger_id, given.roots, given.log_keys, given.witness_keys, args.quorum))


def verify_receipts(args, pins: trust.Trust) -> int:
    """Kept receipts against a ledger or a served log (SPEC 12.2, R1)."""
    from verifier import receipt_check as rc

    if not pins.log_keys:
        print("verify: checking receipts needs the pinned log key (--log-vkey or --trust)", file=sys.stderr)
        return 2
    try:
        verdicts = rc.check_receipts(args.path, args.receipt, pins.log_keys[-1], args.checkpoint)
    except rc.ReceiptsUnusable as exc:
        print(f"verify: the receipts cannot be checked: {exc}", file=sys.stderr)
        return 2
    code = rc.exit_code(verdicts)
    if args.json:
        json.dump({"log": args.path, "receipts": [v.as_dict() for v in verdicts], "exit_code": code}, sys.stdout,
                  indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return code
    for v in verdicts:
        where = f"record {v.receipt.record.hex()[:16]} at position #{v.receipt.position} of checkpoint {v.checkpoint_size}"
        if v.status == rc.KEPT:
            print(f"R1 ok {v.path}: {where}")
        elif v.status == rc.NOT_YET:
            print(f"R1 warning {v.path}: {where} is not yet covered; check again later")
        else:
            print(f"R1 error {v.path}: the log promised {where} and does not hold it ({v.detail}); "
                  "this receipt and checkpoint are evidence against the log operator")
    return code


def verify_bundle(args, pins: trust.Trust) -> int:
    """An evidence bundle: B1-B10 against the pins and the section 8 checks on its trail (SPEC 11.5,
    11.6), then what it proves, what it cannot, and the fingerprints to compare (11.7)."""
    path = args.path
    if args.checkpoint:
        print("verify: --checkpoint applies to ledgers; a bundle carries its own checkpoint", file=sys.stderr)
        return 2
    try:
        result = bundle.verify_file(path, bundle.Pins.from_trust(pins))
    except OSError as exc:
        print(f"verify: {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump({"bundle": path, **result.as_dict()}, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return result.exit_code
    if result.unusable:
        print(f"verify: {path}: {result.findings[0].check}: {result.findings[0].message}", file=sys.stderr)
        return result.exit_code
    print(f"bundle {path}")
    for text in bundle.report_lines(result):
        print(text)
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
    if report.handover:
        text += f"; handover {report.handover[:16]}"
    return text


if __name__ == "__main__":
    sys.exit(main())
