"""The numbered checks of SPEC section 8, one module per concern.

Two halves, because they run in different processes:

* ``examine`` (V1, V2, V4) needs nothing but the record's bytes. Worker
  processes run it on batches of rows: decoding, schema, hashing and
  signatures, the expensive part. It returns a compact tuple.
* ``Rules`` (V3, V5-V19) needs everything before the record, so it runs in
  one process, in global order, on those tuples, and keeps ``State``.

Where each check lives:

=============  ===============================================================
module         checks
=============  ===============================================================
stateless      V1 encoding, V2 schema, V4 signatures, V6 key order (workers)
chains         V3 ledger binding, V7 chains, replay, witness targets, V8 forks
signers        V5 authority (signers, roles, regions), V6 enrolment, revocation
custody        V9 custody (holder, receiver, answers), V10 path,
               V11 destination, V12 nothing after destruction
contents       V13 counts and conditions, V14 seals and packing
witnessed      V15 opening, V18 witnessed acts and listed events
times          V16 record times, V17 H-1 deadline, V19 custody gaps
rules          ``Rules``: one handler per record type, combining the above
files          a handover file (SPEC 7.1) or a record file (7.4) alone
base           ``Rec`` and what every concern's class shares (``emit``)
=============  ===============================================================

Each ``vN_...`` method's docstring quotes the rule it enforces. Finding
codes are stable identifiers (``verifier.messages`` has their English text,
``cli/i18n/catalog/verify.py`` the translations). This package's names are
what the rest of the verifier uses (``checks.Rules``, ``checks.examine``...).
"""

from __future__ import annotations

from verifier.checks.base import Rec
from verifier.checks.files import check_handover_file, check_record_file
from verifier.checks.rules import Rules
from verifier.checks.signers import AUTHOR_ROLES, ENROL_REGION_LENGTHS
from verifier.checks.stateless import (
    examine,
    examine_batch,
    v1_envelope,
    v1_v2_body,
    v4_signatures,
    v4_signers,
    v6_weak_keys,
)
from verifier.checks.times import AHEAD_MS, GAP_MS

__all__ = [
    "AHEAD_MS",
    "AUTHOR_ROLES",
    "ENROL_REGION_LENGTHS",
    "GAP_MS",
    "Rec",
    "Rules",
    "check_handover_file",
    "check_record_file",
    "examine",
    "examine_batch",
    "v1_envelope",
    "v1_v2_body",
    "v4_signatures",
    "v4_signers",
    "v6_weak_keys",
]
