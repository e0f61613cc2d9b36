"""The plain-language key printed with a report: what each kind of signature
and each check code means, so a reader who never saw SPEC.md can read a
finding's "V13" or a "named, did not sign" without asking an engineer.

The codes are SPEC's (section 8: V, 10.6: T, 11.5: B, 12.2: R); the words
are the catalogue's (``cli/i18n/catalog/court_report.py``).
"""

from __future__ import annotations

from cli.i18n import t

SIGNATURES = ("author", "cosign", "attest", "named", "log", "witness", "exporter")
CHECKS = (*(f"V{n}" for n in range(1, 20)), *(f"T{n}" for n in range(1, 7)), *(f"B{n}" for n in range(1, 13)), "R1")


def signature_rows() -> list[str]:
    return [t(f"report.key.sig.{kind}") for kind in SIGNATURES]


def check_rows() -> list[tuple[str, str]]:
    return [(code, t(f"report.key.{code}")) for code in CHECKS]
