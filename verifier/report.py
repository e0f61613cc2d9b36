"""Findings and the report (SPEC section 8).

A finding is data, not prose: a check number, a severity, a stable ``code``
and ``params``. The words are added at the edge, by ``verifier.messages``
(English) or the CLI's translation layer (Bahasa Indonesia, English), so a
report means the same thing in both languages and in ``--json``.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

ERROR, WARNING, NOTICE = "error", "warning", "notice"
SEVERITIES = (ERROR, WARNING, NOTICE)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

# Stored findings per check; the summary still counts every one. A ledger
# with a million broken records must not need a million findings in memory.
DEFAULT_LIMIT = 10_000


def fingerprint(key: bytes) -> str:
    """SPEC 3.5: how a key is read aloud."""
    number = int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % 10**20
    text = f"{number:020d}"
    return "-".join(text[i : i + 5] for i in range(0, 20, 5))


def iso(time_ms: int) -> str:
    """A SPEC 2.2 time as UTC text, for findings (local time is a display concern)."""
    try:
        moment = datetime.datetime.fromtimestamp(time_ms / 1000, datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return f"{time_ms} ms"
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class Finding:
    check: int | str  # the N of VN; other families (SPEC 10.6 "T4") give the whole label
    severity: str
    code: str
    params: dict = field(default_factory=dict)
    record: str | None = None  # record id, hex
    item: str | None = None
    position: int | None = None  # SPEC 1: 0-based place in global order (genesis 0) = its log leaf index

    @property
    def label(self) -> str:
        """``V13``, ``T4``: the check as SPEC names it."""
        return self.check if isinstance(self.check, str) else f"V{self.check}"

    def as_dict(self) -> dict:
        return {
            "check": self.label,
            "severity": self.severity,
            "code": self.code,
            "params": self.params,
            "record": self.record,
            "item": self.item,
            "position": self.position,
        }


@dataclass
class Report:
    """Everything a run found, plus enough context to read it."""

    source: str = ""
    findings: list[Finding] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {s: 0 for s in SEVERITIES})
    by_check: dict = field(default_factory=dict)  # "V7" -> count
    omitted: int = 0  # findings counted but not stored (over the limit)
    records: int = 0
    signatures: int = 0
    seconds: float = 0.0
    backend: str = ""
    jobs: int = 1
    ledger_id: str | None = None
    utc_offset: int | None = None  # the genesis's (SPEC 4.1): lets a reader show local times
    handover: str | None = None  # a handover file's number (SPEC 7.1: its prepare's body id, hex)
    # Set when the input cannot be used at all: (code, params). Exit status 2.
    fatal: tuple | None = None
    limit: int | None = DEFAULT_LIMIT  # findings stored per check; None keeps them all

    def add(self, finding: Finding) -> None:
        self.counts[finding.severity] += 1
        name = finding.label
        stored = self.by_check.get(name, 0)
        self.by_check[name] = stored + 1
        if self.limit is None or stored < self.limit:
            self.findings.append(finding)
        else:
            self.omitted += 1

    @property
    def exit_code(self) -> int:
        if self.fatal is not None:
            return EXIT_UNUSABLE
        if self.counts[ERROR] or self.counts[WARNING]:
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def checks(self) -> set[int | str]:
        """Check numbers with at least one finding (handy in tests)."""
        return {f.check for f in self.findings}

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (-1 if f.position is None else f.position, SEVERITIES.index(f.severity), _label_key(f.label)))

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "exit_code": self.exit_code,
            "fatal": None if self.fatal is None else {"code": self.fatal[0], "params": self.fatal[1]},
            "ledger_id": self.ledger_id,
            **({"handover": self.handover} if self.handover is not None else {}),
            "records": self.records,
            "signatures": self.signatures,
            "seconds": round(self.seconds, 3),
            "backend": self.backend,
            "jobs": self.jobs,
            "summary": {**self.counts, "by_check": dict(sorted(self.by_check.items(), key=_check_order))},
            "omitted": self.omitted,
            "findings": [f.as_dict() for f in self.sorted_findings()],
        }


def _check_order(pair):
    return _label_key(pair[0])


def _label_key(label: str):
    # V checks first, then T (SPEC 10.6), each by number.
    return (label[0] != "V", label[0], int(label[1:]))
