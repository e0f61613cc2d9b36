"""What the dashboard's JSON endpoints answer, as plain functions of a ledger.

Every figure comes from the views the CLI reads (``ledger.projections``)
or from the records themselves; nothing here writes anything but the views'
own catch-up (derived data, as every ``serah`` read command does). Inputs
arrive already checked by :mod:`.routes`.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ledger import regions
from ledger.keys import fingerprint
from ledger.projections import Views
from ledger.projections import readiness as readiness_view
from ledger.projections.inventory import CHILD_LENGTH
from ledger.projections.runner import TRACKING_NAME
from ledger.projections.store import within
from ledger.server.dashboard import readiness_rollup, timeline, times

__all__ = ["DISCREPANCY_KINDS", "PAGE", "Dashboard"]

DISCREPANCY_KINDS = ("qty", "seals", "condition", "refused", "incident", "broken_seal", "seal_mismatch")
PAGE = 100  # discrepancy rows per page
SEARCH_LIMIT = 20
ROLLUPS_KEPT = 256  # readiness rollups kept (a view position, place and deadline each; ~500 kab/kota nationally)
# ...and at most this many TPS named in them all (not ready, or from the
# reference data): at an early deadline every TPS is not ready, and a
# national rollup would name 800,000; a client asking at many deadlines
# must not be able to fill the server's memory (about 200 bytes each).
ROLLUP_TPS_KEPT = 200_000


def place_name(code: str, lang: str) -> str | None:
    try:
        return regions.name(code, lang)
    except ValueError:
        return None


def _weight(rolled: dict[str, Any]) -> int:
    """How many TPS and regions a kept rollup names (its size in memory, roughly)."""
    reference = rolled["reference"]
    return 1 + len(rolled["children"]) + len(rolled["not_ready"]) + (len(reference["tps"]) if reference else 0)


class Dashboard:
    """One ledger's dashboard data. Reads are serialised by one lock: the
    ledger's SQLite connections are not shared between threads, and a
    command-centre page asks a handful of questions a minute."""

    def __init__(self, ledger: Any, quorum: int = 1) -> None:
        self.ledger = ledger
        self.views = Views(ledger)
        self.quorum = quorum
        self.lock = threading.RLock()
        self._rollups: OrderedDict[tuple[Any, str, int], dict[str, Any]] = OrderedDict()
        self._rollup_weight = 0  # TPS named in the kept rollups (see ROLLUP_TPS_KEPT)

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """A read transaction over the views, caught up first."""
        with self.lock:
            self.views.catch_up()
            with self.views.store.reading() as cur:
                yield cur

    def _locked(self, fn: Callable[[], Any]) -> Any:
        with self.lock:
            return fn()

    def offset(self) -> int:
        meta = self._locked(self.views.meta)
        try:
            return int(meta.get("utc_offset", "420"))
        except ValueError:
            return 420

    # --- live updates -----------------------------------------------------------

    def head(self) -> dict[str, Any]:
        """The newest record's storage position: a page polls this and
        reloads its data when it changes (one indexed read)."""
        return {"position": self._locked(self.views.store.last_position)}

    # --- readiness ------------------------------------------------------------------

    def deadline(self, at: str | None) -> int | None:
        meta = self._locked(self.views.meta)
        offset = self.offset()
        if at:
            return times.parse_local(at, offset)
        vote_date = meta.get("vote_date")
        if not vote_date:
            return None
        return readiness_view.deadline_ms(vote_date, offset)

    def readiness(self, place: str, at_ms: int, lang: str, offset_page: int = 0) -> dict[str, Any]:
        with self.reading() as cur:
            rolled = self._rollup(cur, place, at_ms)
            total, page = readiness_rollup.not_ready(cur, place, at_ms, rolled, offset_page)
        children = [
            {"code": code, "name": place_name(code, lang), "tps": n, "ready": ready}
            for code, (n, ready) in rolled["children"].items()
        ]
        not_ready = [
            {
                "tps": s["tps"], "name": place_name(s["tps"], lang), "required": s["required"],
                "present": s["present"], "missing": s["missing"],
                "ballots_short": [b for b in s["ballots"] if b["have"] < b["need"]],
            }
            for s in page
        ]  # fmt: skip
        chain = sorted({*regions.ancestors(place), place} - {""}, key=len) if place else []
        crumbs = [{"code": c, "name": place_name(c, lang)} for c in chain]
        return {
            "place": place,
            "name": place_name(place, lang),
            "crumbs": crumbs,
            "child_level": regions.LEVELS.get(CHILD_LENGTH.get(len(place)) or 13),
            "at": at_ms,
            "at_local": times.local(at_ms, self.offset()),
            "tps": sum(c["tps"] for c in children),
            "ready": sum(c["ready"] for c in children),
            "children": children,
            "not_ready_total": total,
            "not_ready": not_ready,
            "offset": offset_page,
            "missing_by_kind": readiness_rollup.roll_up_missing(page),
        }

    def _rollup(self, cur: Any, place: str, at_ms: int) -> dict[str, Any]:
        """:func:`readiness_rollup.rollup`, kept for the views' position.

        Correct by construction: the views are derived from the records
        alone, and the position (the row id of the last record applied,
        read in the same read transaction as the rollup) changes with
        every record applied, so an answer is reused only while the views
        it was counted from are exactly as they were. A page that polls
        between records (many screens on one view) gets it without the
        scan; the first request after a new record counts again.
        """
        cur.execute("SELECT position, records FROM proj_tracking WHERE name = ?", (TRACKING_NAME,))
        row = cur.fetchone()
        key = (tuple(row) if row else None, place, at_ms)
        found = self._rollups.get(key)
        if found is not None:
            self._rollups.move_to_end(key)
            return found
        if len(place) < 4:  # the country or a province: its kab/kota's rollups added up
            parts = [self._rollup(cur, code, at_ms) for code in readiness_rollup.regencies(cur, place)]
            rolled = readiness_rollup.compose(place, parts)
        else:
            rolled = readiness_rollup.rollup(cur, place, at_ms)
        weight = _weight(rolled)
        if weight <= ROLLUP_TPS_KEPT:
            self._rollups[key] = rolled
            self._rollup_weight += weight
        while len(self._rollups) > ROLLUPS_KEPT or self._rollup_weight > ROLLUP_TPS_KEPT:
            _, dropped = self._rollups.popitem(last=False)
            self._rollup_weight -= _weight(dropped)
        return rolled

    # --- items ----------------------------------------------------------------------

    def item(self, item_id: str) -> dict[str, Any] | None:
        with self.lock:
            self.views.catch_up()
            return timeline.trail(self.ledger, self.views, item_id)

    def search(self, prefix: str) -> list[str]:
        """Item ids starting with ``prefix`` (an indexed range on the key)."""
        low, high = prefix, prefix + "\uffff"
        with self.reading() as cur:
            cur.execute("SELECT item FROM proj_item WHERE item >= ? AND item < ? ORDER BY item LIMIT ?",
                        (low, high, SEARCH_LIMIT))
            return [row[0] for row in cur.fetchall()]

    def record(self, record_id: bytes) -> dict[str, Any] | None:
        """One record: its body, signers, position and inclusion proof in the
        newest checkpoint that covers it (checked with the verifier's own
        Merkle code before it is shown)."""
        from ledger.errors import UnknownRecord

        with self.lock:
            try:
                envelope = self.ledger.record(record_id)
            except UnknownRecord:
                return None
            rec = timeline._parse(envelope)
            out: dict[str, Any] = {
                "id": record_id.hex(),
                "type": rec.type,
                "local": times.local(rec.time, self.offset()),
                "body": timeline._plain({k: v for k, v in rec.body.items()}),
                "signers": [{"key": k.hex(), "fingerprint": fingerprint(k)} for k in [rec.author, *rec.cosigners]],
                "bytes": len(envelope),
            }
            out["proof"] = self._proof(envelope, record_id)
        return out

    def _proof(self, envelope: bytes, record_id: bytes) -> dict[str, Any] | None:
        from ledger.tlog.log import TransparencyLog
        from verifier import merkle

        try:
            log = TransparencyLog(self.ledger)
            index = log.leaf_index(record_id)
            stored = log.covering_checkpoint(index)
            if stored is None:
                return {"index": index, "checkpoint": None}
            proof = log.inclusion_proof(index, stored.size)
            merkle.verify_inclusion(merkle.hash_leaf(envelope), index, stored.size, proof, stored.root)
        except Exception:  # noqa: BLE001 - no log, or a log that cannot prove: shown as no proof
            return None
        return {"index": index, "checkpoint": stored.size, "root": stored.root.hex(),
                "hashes": [p.hex() for p in proof], "verified": True}  # fmt: skip

    # --- evidence -------------------------------------------------------------------

    def evidence(self, item_id: str) -> bytes:
        """An evidence bundle (SPEC 11) of one item's trail, proved against
        the newest stored checkpoint, as ``serah export --item`` writes it.
        Raises the export's own errors (no checkpoint, not checkpointed)."""
        from ledger.export import Scope, encode_bundle
        from ledger.export.ledger_source import checkpointed_trail
        from ledger.records import now_ms
        from ledger.tlog.log import TransparencyLog

        with self.lock:
            log = TransparencyLog(self.ledger)
            log.catch_up()
            trail, proofs = checkpointed_trail(self.ledger, Scope(items=(item_id,)), log=log)
            return encode_bundle(trail, proofs, created=now_ms(), software="serah dashboard")

    # --- discrepancies --------------------------------------------------------------

    def discrepancies(self, place: str, kind: str | None, status: str, offset: int, lang: str) -> dict[str, Any]:
        where, params = within("place", place)
        filters = list(where)
        fparams = list(params)
        if kind:
            filters.append("kind = ?")
            fparams.append(kind)
        if status == "open":
            filters.append("resolved_by IS NULL")
        elif status == "resolved":
            filters.append("resolved_by IS NOT NULL")
        clause = (" WHERE " + " AND ".join(filters)) if filters else ""
        by_place = (" WHERE " + " AND ".join(where)) if where else ""
        with self.reading() as cur:
            cur.execute(f"SELECT count(*) FROM proj_discrepancy{clause}", fparams)
            total = cur.fetchone()[0]
            cur.execute(
                "SELECT record, item, kind, time, record_type, author, place, declared, observed, detail, "
                f"resolved_by, resolution FROM proj_discrepancy{clause} ORDER BY position DESC, item, kind "
                "LIMIT ? OFFSET ?",
                [*fparams, PAGE, offset],
            )
            rows = cur.fetchall()
            cur.execute(
                "SELECT kind, count(*), sum(CASE WHEN resolved_by IS NULL THEN 1 ELSE 0 END) "
                f"FROM proj_discrepancy{by_place} GROUP BY kind",
                params,
            )
            kinds = {k: {"all": n, "open": int(o or 0)} for k, n, o in cur.fetchall()}
        authors = self._locked(lambda: self.views.custodians(sorted({bytes(r[5]) for r in rows})))
        out = []
        for record, item, rkind, time, rtype, author, rplace, declared, observed, detail, resolved_by, resolution in rows:
            who = authors.get(bytes(author))
            out.append({
                "record": bytes(record).hex(), "item": item, "kind": rkind,
                "local": times.local(time, times.zone_of(rplace, self.offset())), "record_type": rtype,
                "author": {"name": who["name"], "role": who["role"], "org": who["org"]} if who else
                          {"fingerprint": fingerprint(bytes(author))},
                "place": {"code": rplace, "name": place_name(rplace, lang)},
                "declared": json.loads(declared) if declared is not None else None,
                "observed": json.loads(observed) if observed is not None else None,
                "detail": detail, "resolved": resolved_by is not None,
                "resolved_by": bytes(resolved_by).hex() if resolved_by is not None else None,
                "resolution": resolution,
            })  # fmt: skip
        return {"total": total, "offset": offset, "page": PAGE, "rows": out, "kinds": kinds}

    # --- integrity ------------------------------------------------------------------

    def integrity(self) -> dict[str, Any]:
        from ledger.tlog.log import TransparencyLog
        from ledger.tlog.note import NoteError, VerifierKey

        def key_info(text: str) -> dict[str, Any]:
            try:
                parsed = VerifierKey.parse(text)
            except NoteError:
                return {"verifier_key": text, "fingerprint": None}
            return {"verifier_key": text, "name": parsed.name, "key_id": parsed.key_id.hex(),
                    "fingerprint": fingerprint(parsed.public_key)}  # fmt: skip

        offset = self.offset()
        with self.lock:
            meta = self.views.meta()
            records = self.views.store.count_records()
            log = TransparencyLog(self.ledger)
            latest = log.latest_checkpoint()
            checked_now = self._check_tree(log, latest)
        out: dict[str, Any] = {
            "ledger": {"name": meta.get("name"), "election": meta.get("election"), "vote_date": meta.get("vote_date"),
                       "id": meta.get("ledger_id"), "records": records},
            "quorum": self.quorum,
            "checkpoint": None,
        }  # fmt: skip
        if latest is not None:
            witnesses: dict[str, dict[str, Any]] = {}
            for c in latest.cosignatures:
                witnesses.setdefault(c.witness_key, {**key_info(c.witness_key), "time": times.local(c.time * 1000, offset)})
            out["checkpoint"] = {
                "origin": latest.origin, "size": latest.size, "root": latest.root.hex(),
                "signed": times.local(latest.created, offset), "log_key": key_info(latest.log_key),
                "witnesses": list(witnesses.values()), "quorum_met": len(witnesses) >= self.quorum,
                "behind": max(0, records - latest.size), "note": latest.full_note,
            }  # fmt: skip
            newest = max(latest.cosignatures, key=lambda c: c.time, default=None)
            out["verified"] = {
                # the log's own check, stored with the checkpoint: before signing,
                # the tree held exactly the ledger's records and extended the
                # previous checkpoint (TransparencyLog.sign_checkpoint)
                "log": {"time": times.local(latest.created, offset), "size": latest.size},
                # a witness's check, in its cosignature: the log's signature and
                # that this checkpoint extends the one it saw before (append-only);
                # a witness does not read the records
                "witness": None if newest is None else {
                    "time": times.local(newest.time * 1000, offset), **key_info(newest.witness_key)},
                # this server, now: the tree still has the checkpoint's root at its size
                "now": {"time": times.local(checked_now[0], offset), "ok": checked_now[1]},
            }  # fmt: skip
        return out

    def _check_tree(self, log: Any, latest: Any) -> tuple[int, bool]:
        """(now in ms, whether the log's tree still gives ``latest``'s root at
        its size): a rewrite of any record the checkpoint covers would change
        it. Reads stored tree nodes only (logarithmic in the size)."""
        from ledger.records import now_ms

        if latest is None:
            return now_ms(), False
        try:
            return now_ms(), log.root(latest.size) == latest.root
        except Exception:  # noqa: BLE001 - a tree that cannot answer is a failed check, shown as such
            return now_ms(), False
