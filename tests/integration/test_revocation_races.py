"""A revocation racing with a use of the key (SPEC 4.3): from the revoke's
position on, the key must not author, co-sign or be named as receiver,
escort or witness. Every record appends an event to the custodian of each
key it needs active, and a revoke to the revoked key's, so the two writers
collide on that aggregate's version instead of both landing."""

from __future__ import annotations

import multiprocessing

import pytest

from ledger import records
from ledger.application import Ledger
from ledger.domain import Custodian, key_uuid
from ledger.errors import Conflict, KeyRevoked
from support.scenario import BOX, TPS1, Cast, Clock

REASON = "kunci hilang"


def _world(path: str) -> Ledger:
    clock, cast = Clock(), Cast()
    ledger = Ledger(path, clock=clock)
    cast.setup(ledger, clock)
    clock.set("2024-02-08 07:00")
    ledger.register(cast.kpu_kab, [{"item": BOX, "kind": "box", "dest": TPS1, "election": "PPWP"}])
    ledger.accept(cast.ppk, ledger.prepare(cast.kpu_kab, cast.ppk.public, [BOX], "310101", "Dermaga", "distribusi"))
    return ledger


def _prepare_by_ppk(ledger: Ledger, time_ms: int, work=None):
    """The ppk's handover to the pps, checked into ``work`` but not saved."""
    cast = Cast()
    work = work or ledger._work()
    body = records.build(
        "handover.prepare", cast.ppk, ledger.ledger_id, time_ms, to=cast.pps.public, place="3101011001",
        site="Kantor Kelurahan", purpose="distribusi",
        lines=[{"item": BOX, "prev": ledger.item(BOX).head, "seals": [], "contents": []}],
    )
    rec = records.sign_record(body, cast.ppk)
    ledger._apply(rec, work, fresh=True)
    return rec, work


def _order(ledger: Ledger) -> list[records.Record]:
    return [records.parse(e) for _, e in ledger.records()]


def _signed_or_named_after_revoke(ledger: Ledger, key: bytes) -> list[str]:
    """Records after ``key``'s revocation that sign with it or name it."""
    seen_revoke, bad = False, []
    for rec in _order(ledger):
        if seen_revoke and (key in rec.signers or key in (rec.body.get("to"), *rec.body.get("escorts", ()))):
            bad.append(rec.type)
        if rec.type == "revoke" and rec.body["key"] == key:
            seen_revoke = True
    return bad


def test_a_use_checked_before_a_revocation_commits_conflicts(db_url):
    ledger = _world(db_url)
    cast = Cast()
    other = Ledger(db_url, clock=lambda: ledger._clock() + 5)
    rec, work = _prepare_by_ppk(ledger, ledger._clock())  # checked: the ppk is active
    other.revoke(cast.kpu_kab, cast.ppk.public, REASON)  # another writer revokes it meanwhile
    before = len(_order(ledger))
    with pytest.raises(Conflict):
        ledger._commit(work)
    assert len(_order(ledger)) == before and ledger.item(BOX).head != rec.id
    assert _signed_or_named_after_revoke(ledger, cast.ppk.public) == []
    with pytest.raises(KeyRevoked):  # asked again, the refusal says why
        _prepare_by_ppk(ledger, ledger._clock())
    other.close()
    ledger.close()


def test_a_revocation_checked_before_a_use_commits_lands_after_it(db_url):
    ledger = _world(db_url)
    cast = Cast()
    other = Ledger(db_url, clock=lambda: ledger._clock() + 5)
    body = records.build("revoke", cast.kpu_kab, ledger.ledger_id, ledger._clock(), key=cast.ppk.public, reason=REASON)
    revoke = records.sign_record(body, cast.kpu_kab)
    work = ledger._work()
    ledger._apply(revoke, work, fresh=True)  # checked before the ppk's prepare is saved
    prep = other.prepare(cast.ppk, cast.pps.public, [BOX], "3101011001", "Kantor Kelurahan", "distribusi")
    ledger._commit(work)  # its save conflicts; re-checked, it still holds, and goes in after
    ids = [r.id for r in _order(ledger)]
    assert ids.index(records.record_id(prep)) < ids.index(revoke.id)
    assert ledger.custodian(cast.ppk.public).revoked
    other.close()
    ledger.close()


def test_custodian_state_is_read_from_its_first_and_last_events(tmp_path):
    ledger = _world(str(tmp_path / "ledger.sqlite"))
    cast = Cast()
    for _ in range(3):  # the ppk's key is used again and again
        prep = ledger.prepare(cast.ppk, cast.pps.public, [BOX], "3101011001", "Kantor", "distribusi")
        ledger.refuse(cast.pps, prep, "jadwal")
    events = list(ledger.events.get(key_uuid(cast.ppk.public)))
    assert type(events[0]).__name__ == "Enrolled" and len(events) == 1 + 2 + 3  # enrolled; named by a prepare, accepted it; 3 prepares
    assert {type(e).__name__ for e in events[1:]} == {"Used"}
    ledger.revoke(cast.kpu_kab, cast.ppk.public, REASON)
    replayed = ledger.repository.get(key_uuid(cast.ppk.public))
    loaded = ledger._work().custodian(cast.ppk.public)
    assert isinstance(loaded, Custodian) and loaded.version == replayed.version
    assert (loaded.revoked, loaded.revoked_by, loaded.reason) == (replayed.revoked, replayed.revoked_by, REASON)
    assert ledger.custodian(cast.ppk.public).revoked
    # A key may sign its own revocation (SPEC 4.3): one Revoked event, last.
    ledger.revoke(cast.kpu_kab, cast.kpu_kab.public, "masa jabatan habis")
    events = list(ledger.events.get(key_uuid(cast.kpu_kab.public)))
    assert type(events[-1]).__name__ == "Revoked" and type(events[-2]).__name__ == "Used"
    assert ledger.custodian(cast.kpu_kab.public).revoked
    ledger.close()


# --- two processes ---------------------------------------------------------------------

class _RacingLedger(Ledger):
    """Holds the first save at a barrier, so that both processes have
    checked the same state before either writes; counts lost races."""

    barrier = None
    conflicts = 0

    def _commit(self, work):
        self.barrier.wait(timeout=30)
        super()._commit(work)

    def _save(self, work):
        try:
            super()._save(work)
        except Conflict:
            type(self).conflicts += 1
            raise


def _act(path, what, barrier, start_lock, results, index):
    try:
        _RacingLedger.barrier = barrier
        with start_lock:  # opening is serialised (see test_ledger_concurrency)
            ledger = _RacingLedger(path, clock=lambda: records.now_ms() + index)
        cast = Cast()
        if what == "use":
            ledger.prepare(cast.ppk, cast.pps.public, [BOX], "3101011001", "Kantor Kelurahan", "distribusi")
        else:
            ledger.revoke(cast.kpu_kab, cast.ppk.public, REASON)
        results.put((what, "ok", _RacingLedger.conflicts))
    except Exception as e:  # noqa: BLE001 - report whatever happened
        results.put((what, getattr(e, "code", repr(e)), _RacingLedger.conflicts))


def test_two_processes_revoke_and_use_a_key_at_the_same_moment(tmp_path):
    path = str(tmp_path / "race.sqlite")
    _world(path).close()
    ctx = multiprocessing.get_context("fork")
    barrier, start_lock, results = ctx.Barrier(2), ctx.Lock(), ctx.Queue()
    procs = [ctx.Process(target=_act, args=(path, what, barrier, start_lock, results, i))
             for i, what in enumerate(["use", "revoke"])]
    for p in procs:
        p.start()
    outcomes = {what: (code, conflicts) for what, code, conflicts in (results.get(timeout=60) for _ in procs)}
    for p in procs:
        p.join(timeout=30)

    # Both checked the same state, so exactly one save lost the race on the
    # ppk's custodian; the revocation always goes in, the use only before it.
    assert outcomes["use"][1] + outcomes["revoke"][1] == 1, outcomes
    assert outcomes["revoke"][0] == "ok"
    assert outcomes["use"][0] in ("ok", "conflict")
    ledger = Ledger(path)
    cast = Cast()
    assert ledger.custodian(cast.ppk.public).revoked
    assert _signed_or_named_after_revoke(ledger, cast.ppk.public) == []
    prepares = [r for r in _order(ledger) if r.type == "handover.prepare" and r.author == cast.ppk.public]
    assert len(prepares) == (1 if outcomes["use"][0] == "ok" else 0)

    from verifier.api import verify  # the independent verifier agrees

    report = verify(path, jobs=1)
    assert report.counts.get("error", 0) == 0, [f.code for f in report.sorted_findings()]
    ledger.close()


def _register_many(path, prefix, barrier, start_lock, results):
    try:
        with start_lock:
            ledger = Ledger(path, clock=lambda: records.now_ms() + (0 if prefix == "A" else 500_000))
        barrier.wait(timeout=30)
        for i in range(15):
            ledger.register(Cast.signer("kpu_kab"), [{"item": f"KS-{prefix}-{i:03d}", "kind": "box", "dest": TPS1,
                                                      "election": "PPWP"}])
        results.put("ok")
    except Exception as e:  # noqa: BLE001 - report whatever happened
        results.put(getattr(e, "code", repr(e)))


def test_two_processes_signing_with_the_same_key_both_get_in(db_url):
    """Uses of one key collide on its custodian too; such a conflict changes
    nothing the record depends on, so the ledger re-checks and saves it."""
    _world(db_url).close()
    ctx = multiprocessing.get_context("fork")
    barrier, start_lock, results = ctx.Barrier(2), ctx.Lock(), ctx.Queue()
    procs = [ctx.Process(target=_register_many, args=(db_url, prefix, barrier, start_lock, results))
             for prefix in "AB"]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert outcomes == ["ok", "ok"]
    ledger = Ledger(db_url)
    registered = [r for r in _order(ledger) if r.type == "register" and r.lines[0]["item"].startswith(("KS-A", "KS-B"))]
    assert len(registered) == 30
    ledger.close()
