"""V5 (authority) and V6 (enrolment and revocation), SPEC 8, 4.2, 4.3, 4.15.

Who may sign what: the author and co-signers are roots or enrolled keys, not
revoked; the author's role may write the record's type and its region covers
what it acts on; enrolments and revocations follow 4.2 and 4.3. V6's check
that a key is of prime order needs the key alone, so it runs in the workers
(``verifier.checks.stateless.v6_weak_keys``).
"""

from __future__ import annotations

from verifier.checks.base import Rec, RuleBase
from verifier.report import ERROR, fingerprint
from verifier.state import CUSTODY_ROLES, covers

# SPEC 4.15: who may author each type (None: any enrolled key).
AUTHOR_ROLES = {
    "enrol": frozenset({"kpu"}),
    "revoke": frozenset({"kpu"}),
    "register": frozenset({"printer", "kpu"}),
    "pack": CUSTODY_ROLES,
    "seal": CUSTODY_ROLES,
    "open": CUSTODY_ROLES,
    "handover.prepare": CUSTODY_ROLES,
    "tally": frozenset({"kpps"}),
    "destroy": frozenset({"kpu"}),
    "void": frozenset({"printer", "kpu"}),
}

# SPEC 4.2: expected region lengths per role (None: any).
ENROL_REGION_LENGTHS = {"kpu": (0, 2, 4), "ppk": (6,), "pps": (10,), "kpps": (13,)}


class Signers(RuleBase):
    """V5, V6."""

    def v5_signers(self, rec: Rec) -> None:
        """V5: "the author and every co-signer is a root or enrolled, and not
        revoked at that position" (SPEC 4.3, 4.15)."""
        who = rec.who
        if who is None or (who.revoked is not None and who.revoked < rec.position):
            self.v5_signer(rec, rec.author, who, "author")
        if rec.cosigners:
            custodians = self.state.custodians
            for key in rec.cosigners:
                self.v5_signer(rec, key, custodians.get(key), "cosigner")

    def v5_signer(self, rec: Rec, key: bytes, who, part: str) -> None:
        if who is None:
            self.emit(5, ERROR, "unknown_signer", rec, signer=fingerprint(key), part=part)
        elif not who.active_at(rec.position):
            self.emit(5, ERROR, "revoked_signer", rec, signer=fingerprint(key), part=part, revoked_at=who.revoked)

    def v5_role(self, rec: Rec) -> None:
        """V5: "the author's role may write this type" (SPEC 4.15)."""
        allowed = AUTHOR_ROLES.get(rec.kind)
        if allowed is not None and rec.who is not None and rec.who.role not in allowed:
            self.emit(5, ERROR, "role_not_allowed", rec, role=rec.who.role, type=rec.kind)

    def v5_region(self, rec: Rec, name: str, dest: str) -> None:
        """V5: the author's "region covers what it acts on" (SPEC 4.15)."""
        who = rec.who
        if who is not None and not dest.startswith(who.region):
            self.emit(5, ERROR, "out_of_region", rec, name, region=who.region, dest=dest)

    def v5_listed(self, rec: Rec) -> None:
        """V5, SPEC 4.8: the `escorts` and `witnesses` a prepare lists are
        enrolled (or root) and not revoked."""
        custodians = self.state.custodians
        for part in ("escorts", "witnesses"):
            for key in rec.body.get(part, ()):
                who = custodians.get(key)
                if who is None or not who.active_at(rec.position):
                    self.emit(5, ERROR, "listed_not_enrolled", rec, signer=fingerprint(key), part=part[:-1])

    def v6_enrolment(self, rec: Rec) -> None:
        """V6, SPEC 4.2: "The author MUST be a `kpu` key whose region covers
        `region`. A `kpu` key MAY enrol another `kpu` key only for a region
        strictly below its own. A key is enrolled at most once." Region
        lengths by role: `kpu` 0, 2 or 4; `ppk` 6; `pps` 10; `kpps` 13."""
        body = rec.body
        key, role, region = body["key"], body["role"], body["region"]
        author = rec.who
        if key in self.state.custodians:
            self.emit(6, ERROR, "enrol_twice", rec, subject=fingerprint(key))
        lengths = ENROL_REGION_LENGTHS.get(role)
        if lengths is not None and len(region) not in lengths:
            self.emit(6, ERROR, "enrol_region_shape", rec, role=role, region=region)
        if author is None or author.role != "kpu":
            return  # V5 has said so
        if not covers(author.region, region):
            self.emit(6, ERROR, "enrol_out_of_region", rec, region=region, author_region=author.region)
        elif role == "kpu" and len(region) <= len(author.region):
            self.emit(6, ERROR, "enrol_delegation", rec, region=region, author_region=author.region)

    def v6_revocation(self, rec: Rec) -> None:
        """V6, SPEC 4.3: "The author MUST be a `kpu` key whose region covers the
        revoked key's region. Root keys cannot be revoked." A key is revoked once."""
        key = rec.body["key"]
        subject = self.state.custodians.get(key)
        if subject is None:
            self.emit(6, ERROR, "revoke_unknown", rec, subject=fingerprint(key))
            return
        if subject.root:
            self.emit(6, ERROR, "revoke_root", rec, subject=fingerprint(key))
            return
        if subject.revoked is not None:
            self.emit(6, ERROR, "revoke_twice", rec, subject=fingerprint(key), revoked_at=subject.revoked)
        author = rec.who
        if author is not None and author.role == "kpu" and not covers(author.region, subject.region):
            self.emit(6, ERROR, "revoke_out_of_region", rec, region=subject.region, author_region=author.region)

    def v5_v6_genesis(self, rec: Rec) -> None:
        """V5, V6 for the genesis, SPEC 4.1: its author is one of its roots; no
        root is listed twice; every root's region has a `kpu` region's shape.
        Runs before the roots are taken into ``State`` (a repeated root would
        otherwise look enrolled twice)."""
        body = rec.body
        keys = [root["key"] for root in body["roots"]]
        if rec.author not in keys:
            self.emit(5, ERROR, "genesis_author_not_root", rec, author=fingerprint(rec.author))
        for i, key in enumerate(keys):
            if key in keys[:i]:
                self.emit(6, ERROR, "root_duplicate", rec, root=fingerprint(key))
        for root in body["roots"]:
            if len(root["region"]) not in ENROL_REGION_LENGTHS["kpu"]:
                self.emit(6, ERROR, "enrol_region_shape", rec, role="kpu", region=root["region"])

    def v5_genesis_cosigners(self, rec: Rec) -> None:
        """V5 for the genesis: every co-signer is a root (checked once the
        roots are in ``State``; V4 has checked that every root co-signed)."""
        for key in rec.cosigners:
            if key not in self.state.roots:
                self.emit(5, ERROR, "unknown_signer", rec, signer=fingerprint(key), part="cosigner")
