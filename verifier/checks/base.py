"""What every concern's checks share: the record as they see it, and ``emit``.

``Rules`` (``verifier.checks.rules``) is put together from one small class
per concern (signers, chains, custody, contents, witnessed acts, times); each
derives from ``RuleBase``, which declares the two things they all use: the
``Report`` findings go to and the ``State`` built from the records so far.
"""

from __future__ import annotations

from verifier.report import Finding, Report
from verifier.state import State


class Rec:
    """One record as the sequential checks see it."""

    __slots__ = ("position", "id", "kind", "body", "author", "time", "cosigners", "who")

    def __init__(self, position, rid, kind, body, cosigners, who=None):
        self.position = position
        self.id = rid
        self.kind = kind
        self.body = body
        self.author = body["author"]
        self.time = body["time"]
        self.cosigners = cosigners
        self.who = who  # the author's Custodian (None: not enrolled)

    @property
    def hex(self) -> str:
        return self.id.hex()


class RuleBase:
    """The report and the state every concern's checks read and write.

    Declared here, set by ``Rules.__init__``, which also sets what each
    concern keeps (declared in that concern's class): everything a
    verification holds is initialised in one place, and the monitor's saved
    state (``verifier.monitor_state``) restores exactly those fields.
    """

    report: Report
    state: State

    def emit(self, check, severity, code, rec=None, item=None, position=None, **params):
        """Report one finding about ``rec`` (its id and position) or, without a
        record, at ``position``; ``params`` fill the code's message."""
        self.report.add(
            Finding(
                check,
                severity,
                code,
                params,
                None if rec is None else rec.hex,
                item,
                rec.position if rec is not None else position,
            )
        )
