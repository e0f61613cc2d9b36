"""The evidence bundle file (SPEC 11.1-11.3): parts, manifest, SCE bytes.

Each part is encoded on its own and the manifest records the SHA-256 of
those exact bytes, so a part can be checked, extracted or quoted without
re-encoding anything. The records are signed by their authors and the checkpoint by the log and
the witnesses; the manifest says what the exporter claims (the scope it
applied, the subject it found, against which checkpoint through the part
hashes). Given a key (``serah export --as``), the exporter signs that claim
(SPEC 11.1 ``signature``), so that nobody can edit the scope afterwards and
recompute the hashes; the verifier checks it (B11) and checks the scope
against the subject in any case (B12).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ledger.encoding import encode
from ledger.export.trail import Entry, Trail

FORMAT = "serah-bundle"
VERSION = 1
PARTS = ("checkpoint", "keys", "proofs", "records")
ATTACHMENTS = "attachments"  # SPEC 11.8: the optional part carrying attached files
# SPEC 11.1: what the exporter's key signs, the manifest's exact bytes after this prefix.
MANIFEST_PREFIX = b"serah/bundle-manifest/v1\x00"


def keys_part(entries: list[Entry]) -> list[dict]:
    """The ``keys`` part: every key the bundle's genesis and enrol records establish."""
    table: dict[bytes, dict] = {}
    for entry in entries:
        body = entry.body
        if entry.type == "genesis":
            for root in body["roots"]:
                table.setdefault(root["key"], {"enrol": entry.id, "key": root["key"], "name": root["name"],
                                               "org": "", "region": root["region"], "role": "kpu"})
        elif entry.type == "enrol":
            table.setdefault(body["key"], {"enrol": entry.id, "key": body["key"], "name": body["name"],
                                           "org": body["org"], "region": body["region"], "role": body["role"]})
        elif entry.type == "revoke" and body["key"] in table:
            table[body["key"]].setdefault("revoke", entry.id)
    return [table[key] for key in sorted(table)]


class Proofs(Protocol):
    """One checkpoint of the log and proofs into it (``ledger.tlog.log.ExportView``)."""

    size: int

    def inclusion_proofs(self, indexes: Sequence[int]) -> list[list[bytes]]:
        """The inclusion proof of each leaf in the checkpoint's tree."""

    def checkpoint(self) -> dict:
        """The ``checkpoint`` part: ``{"log", "note", "witnesses"}`` (SPEC 11.3)."""


def attached(trail: Trail) -> dict[bytes, dict]:
    """SPEC 3.8: every file the trail's records attach, by SHA-256 (the first record's entry for it)."""
    found: dict[bytes, dict] = {}
    for entry in trail.entries:
        for attachment in entry.body.get("attachments") or ():
            found.setdefault(attachment["sha256"], attachment)
    return found


def encode_bundle(trail: Trail, proofs: Proofs, *, created: int, software: str, signer=None,
                  files: dict[bytes, bytes] | None = None) -> bytes:
    """The bundle's bytes for ``trail``, proven against ``proofs``' checkpoint; with ``signer`` (a
    ``ledger.keys.Signer`` of a ``kpu`` key the bundle establishes), its manifest signed. ``files``
    (SHA-256 -> bytes, files the records attach) become the ``attachments`` part (SPEC 11.8)."""
    genesis = trail.entries[0]
    parts = {
        "checkpoint": encode(proofs.checkpoint()),
        "keys": encode(keys_part(trail.entries)),
        "proofs": encode(proofs.inclusion_proofs([e.index for e in trail.entries])),
        "records": encode([[e.index, e.envelope] for e in trail.entries]),
    }
    if files:
        parts[ATTACHMENTS] = encode([[digest, files[digest]] for digest in sorted(files)])
    manifest = {
        "created": created,
        "ledger": genesis.id,
        "name": genesis.body["name"],
        "parts": {name: hashlib.sha256(data).digest() for name, data in parts.items()},
        "scope": trail.scope.as_manifest(),
        "software": software,
        "subject": trail.subject,
    }
    manifest_bytes = encode(manifest)
    top: dict[str, object] = {"format": FORMAT, "manifest": manifest_bytes, "parts": parts, "v": VERSION}
    if signer is not None:
        top["signature"] = {"key": signer.public, "sig": signer.sign(MANIFEST_PREFIX + manifest_bytes)}
    return encode(top)


def write_bundle(path: str | os.PathLike, data: bytes) -> str:
    """Write ``data`` to ``path`` atomically (never a half-written exhibit); return the fingerprint."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)  # an exhibit, not a secret
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return fingerprint(data)


def fingerprint(data: bytes) -> str:
    """``sha256:<64 hex>`` of the whole file (SPEC 11.1)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()
