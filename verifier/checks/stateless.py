"""V1, V2 and V4 (and V6's key check): what one record's bytes show alone.

These need no ledger context, so worker processes run them on batches of
rows (``verifier.pipeline``): decoding, schema, SHA-256 and signatures, the
expensive part of a verification. Each record comes back as one compact
list that the sequential rules (``verifier.checks.rules``) take in global
order.
"""

from __future__ import annotations

import hashlib

from verifier import edwards, records
from verifier.records import SIG_PREFIX, Invalid
from verifier.report import fingerprint

_sha256 = hashlib.sha256


def examine(raw: bytes, backend) -> tuple:
    """V1, V2 and V4 on one envelope.

    Returns ``(record_id, type, body, cosigners, problems, signatures)`` where
    ``type``/``body`` are None when the body cannot be read, ``cosigners`` is
    the tuple of co-signing keys, ``problems`` a list of
    ``(check, code, params)`` (or None) and ``signatures`` how many were
    verified.
    """
    return tuple(examine_batch([(None, raw)], backend)[0][1:])


def examine_batch(rows, backend, ship: bool = False) -> list:
    """V1, V2 and V4 on ``rows`` (``[(where, raw), ...]``), keeping ``where``.

    Each result is ``[where, record_id, type, body, cosigners, problems,
    signatures]`` as in ``examine``. With ``ship`` the body is returned as its
    SCE bytes (for a worker: bytes cross a process boundary far more cheaply
    than a tree of dicts, and the parent decodes them in C).

    Signatures are verified after the whole batch is decoded, in one tight
    loop: the Ed25519 code and tables stay in the CPU cache, which is worth
    about a fifth of the verification time.
    """
    out = []
    pending = []  # (result index, signature index, key, signature, message)
    for where, raw in rows:
        rid = _sha256(raw).digest()
        try:
            body_bytes, sigs = v1_envelope(raw)
        except Invalid as bad:
            out.append([where, rid, None, None, (), [(bad.check, bad.code, bad.params)], 0])
            continue
        problems = None
        kind = body = None
        try:
            kind, body = v1_v2_body(body_bytes)
        except Invalid as bad:
            problems = [(bad.check, bad.code, bad.params)]
        if kind == "genesis" and body is not None and not records.is_ledger_name(body["name"]):
            problems = [(2, "schema_bad_value", dict(_BAD_NAME))]  # V2, but the roots stay usable (Rules.record)
        if (kind == "enrol" or kind == "genesis") and body is not None:
            weak = v6_weak_keys(kind, body)
            if weak:
                problems = (problems or []) + weak
        message = SIG_PREFIX + body_bytes
        number = len(out)
        if len(sigs) == 1:  # the common case, written out
            key, sig = sigs[0]
            pending.append((number, 0, key, sig, message))
            cosigners = ()
            if body is not None and (key != body["author"] or kind == "genesis"):
                problems = (problems or []) + (v4_signers(sigs, body, kind) or [])
        else:
            for index, (key, sig) in enumerate(sigs):
                pending.append((number, index, key, sig, message))
            cosigners = tuple([pair[0] for pair in sigs[1:]])
            if body is not None:
                shape = v4_signers(sigs, body, kind)
                if shape:
                    problems = (problems or []) + shape
        shipped = body_bytes if (ship and body is not None) else body
        out.append([where, rid, kind, shipped, cosigners, problems, len(sigs)])
    v4_signatures(pending, out, backend)
    return out


def v6_weak_keys(kind: str, body: dict) -> list:
    """V6, SPEC 4.2: an enrolled or root key is a point of order exactly L (not the
    identity, not small or mixed order). Checked here, in the workers, once per
    key; the record then takes no effect (SPEC 5), like one that fails V4."""
    keys = [body["key"]] if kind == "enrol" else [root["key"] for root in body["roots"]]
    return [(6, "enrol_weak_key", {"subject": fingerprint(key)}) for key in keys if not edwards.prime_order(key)]


# SPEC 4.1: the genesis name is a signed-note key name (it is the log origin).
_BAD_NAME = {"field": "name", "expected": records.TYPE_NAMES[records.is_ledger_name]}

# V1 (and V2 for the envelope's shape): "the envelope [is] SCE (section 2);
# re-encoding gives the same bytes". SPEC 3.1: the envelope is
# ``{"body": bytes, "sigs": [[key, signature], ...]}`` with at least one entry.
# Returns ``(body_bytes, sigs)``; raises ``Invalid``. (Aliases, not wrappers:
# these run once per record.)
v1_envelope = records.open_envelope

# V1: the body is SCE. V2: "`v` known, `type` known, required fields present
# with the right types, no unknown fields, lines sorted and unique".
# Returns ``(type, body)``; raises ``Invalid``.
v1_v2_body = records.open_body


def v4_signatures(pending: list, out: list, backend) -> None:
    """V4: "every signature verifies (section 3.1)", with the strict rules of
    RFC 8032 (``verifier.sign``). Adds a finding to the record in ``out``."""
    for number, index, key, _sig, _message in backend.verify_many(pending):
        result = out[number]
        result[5] = (result[5] or []) + [(4, "bad_signature", {"signer": fingerprint(key), "index": index})]


def v4_signers(sigs: list, body: dict, kind: str | None) -> list | None:
    """V4: "`sigs[0]` is the author; co-signatures sorted and unique; genesis
    co-signed by every root" (SPEC 3.1: no co-signer repeated or equal to the author)."""
    problems = None
    author = body["author"]
    if sigs[0][0] != author:
        problems = [(4, "author_sig_mismatch", {"signer": fingerprint(sigs[0][0]), "author": fingerprint(author)})]
    previous = None
    for key, _ in sigs[1:]:
        if key == author or (previous is not None and not previous < key):
            problems = problems or []
            problems.append((4, "cosig_order", {"signer": fingerprint(key)}))
            break
        previous = key
    if kind == "genesis":
        signed = {key for key, _ in sigs}
        for root in body["roots"]:
            if root["key"] not in signed:
                problems = problems or []
                problems.append((4, "genesis_root_unsigned", {"root": fingerprint(root["key"])}))
    return problems
