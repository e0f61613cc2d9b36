"""The independent Serah verifier, written from SPEC.md alone.

It imports nothing from ``ledger/`` or ``cli/`` and needs only the standard
library, ``cryptography``, ``msgpack`` and (optionally, for speed) PyNaCl, so
that Bawaslu, a defence expert or a university can read it against the
specification and trust its verdict without trusting the ledger's code.

    from verifier.api import verify
    report = verify("ledger.sqlite")          # or a postgresql:// URL, a stream or a .serah file
    report.exit_code                          # 0 clean, 1 errors or warnings, 2 unusable input
    for finding in report.findings: ...       # check, severity, code, params, record, item, position

    python -m verifier ledger.sqlite [--json] [--jobs N]

One concern per module:

``sce``       strict canonical decoding (SPEC 2)
``records``   envelope and body shapes per record type (SPEC 3, 4; checks V1, V2)
``sign``      Ed25519 with RFC 8032 strictness, libsodium or OpenSSL (SPEC 3.1; V4)
``state``     what is remembered per item and key while reading (SPEC 5)
``checks``    the numbered checks V1-V19 (SPEC 8), one function each
``source``    readers: SQLite (read-only), PostgreSQL, stream and handover files (SPEC 7, 9)
``pipeline``  one process, or worker processes for decoding and signatures
``report``    findings and the report; ``messages`` their English text
``api``       ``verify()``; ``__main__`` the command line

(``merkle``, ``note`` and ``bundle`` check the transparency log and evidence
bundles of SPEC 10 and 11.)
"""
