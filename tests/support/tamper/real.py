"""A clean ledger written with the real ``ledger.application.Ledger``, and tools to tamper with it.

Only the tests use ledger/ (to build what the verifier then audits); the
verifier itself never imports it. Tampering is done the way an insider with
the database file would: drop the append-only triggers, then rewrite rows of
``stored_events`` with SQL. Re-signing uses the keys this module generated.
"""

from __future__ import annotations

import datetime
import shutil
import sqlite3

from support.tamper.builder import Key, canonical, decode_envelope, envelope, record_id

TOPIC = "serah:record"
WIB = datetime.timezone(datetime.timedelta(hours=7))


class Clock:
    """Milliseconds that advance one minute per read; ``set`` jumps to a moment (WIB)."""

    def __init__(self, start: str = "2023-11-01T08:00:00"):
        self.now = self._ms(start)

    @staticmethod
    def _ms(text: str) -> int:
        return int(datetime.datetime.fromisoformat(text).replace(tzinfo=WIB).timestamp() * 1000)

    def set(self, text: str) -> None:
        self.now = max(self.now, self._ms(text))

    def __call__(self) -> int:
        self.now += 60_000
        return self.now


def build_clean(path) -> dict:
    """Write the Kepulauan Seribu trail with the real ledger; return keys and ids."""
    from ledger import keys as lkeys
    from ledger.application import Ledger

    clock = Clock()
    app = Ledger(str(path), clock=clock)
    # Keys made here, wrapped for the ledger, so the test can re-sign with them.
    keys = {n: Key(n) for n in ("root", "kab", "printer", "ppk", "pps", "pps2", "kpps", "escort", "witness", "spare")}
    signers = {n: lkeys.Signer(k.private) for n, k in keys.items()}
    pub = {n: s.public for n, s in signers.items()}
    s = signers
    tps = "3101011001001"
    ids = {}
    ids["genesis"] = app.genesis([s["root"]], "serah.test/3101/pemilu-2024", "Pemilu 2024", "2024-02-14")
    app.enrol(s["root"], pub["kab"], "kpu", "3101", "Ketua KPU Kab", "KPU Kab. Kep. Seribu")
    app.enrol(s["kab"], pub["printer"], "printer", "3101", "Percetakan", "PT Cetak")
    app.enrol(s["kab"], pub["ppk"], "ppk", "310101", "PPK", "PPK Kep. Seribu Utara")
    app.enrol(s["kab"], pub["pps"], "pps", "3101011001", "PPS", "PPS Pulau Panggang")
    app.enrol(s["kab"], pub["pps2"], "pps", "3101011002", "PPS 2", "PPS Pulau Kelapa")
    app.enrol(s["kab"], pub["kpps"], "kpps", tps, "KPPS", "KPPS TPS 001")
    app.enrol(s["kab"], pub["escort"], "escort", "3101", "Bripka Polair", "Polair Polda Metro Jaya")
    app.enrol(s["kab"], pub["witness"], "witness", "3101", "Panwas", "Bawaslu Kep. Seribu")
    app.enrol(s["kab"], pub["spare"], "kpps", "3101011001002", "KPPS cadangan", "KPPS TPS 002")
    ids["revoke"] = app.revoke(s["kab"], pub["spare"], "perangkat hilang")
    ids["register"] = app.register(s["printer"], [
        {"item": "SS-PPWP-001", "kind": "ballots", "dest": tps, "qty": 306, "election": "PPWP", "dapil": "DKI"},
        {"item": "SS-DPR-001", "kind": "ballots", "dest": tps, "qty": 306, "election": "DPR", "dapil": "DKI 3"},
    ])
    ids["register_box"] = app.register(s["kab"], [
        {"item": "KS-001-PPWP", "kind": "box", "dest": tps, "election": "PPWP"},
        {"item": "KS-002-PPWP", "kind": "box", "dest": "3101011001002", "election": "PPWP"},
        {"item": "FORM-C-001", "kind": "form", "dest": tps, "qty": 10, "label": "C.Hasil-PPWP"},
    ])
    env = app.prepare(s["printer"], pub["kab"], ["SS-DPR-001", "SS-PPWP-001"], "3101", "Gudang PT Cetak",
                      "pengiriman surat suara", escorts=[pub["escort"]], cosigners=[s["escort"]])
    ids["p1"] = record_id(env)
    ids["a1"] = app.accept(s["kab"], env, cosigners=[s["witness"]])
    ids["pack"] = app.pack(s["kab"], "KS-001-PPWP", ["FORM-C-001", "SS-PPWP-001"])
    ids["seal"] = app.seal(s["kab"], "KS-001-PPWP", ["A-0001", "A-0002"])
    ids["seal2"] = app.seal(s["kab"], "KS-002-PPWP", ["A-0003"])
    env = app.prepare(s["kab"], pub["ppk"], ["KS-001-PPWP", "SS-DPR-001"], "3101", "Gudang KPU", "distribusi",
                      cosigners=[s["escort"]])
    ids["p2"] = record_id(env)
    ids["a2"] = app.accept(s["ppk"], env)
    env = app.prepare(s["ppk"], pub["pps"], ["KS-001-PPWP", "SS-DPR-001"], "310101", "Kantor PPK", "distribusi")
    ids["p3"] = record_id(env)
    ids["a3"] = app.accept(s["pps"], env, observed={"SS-DPR-001": {"qty": 305, "condition": "damaged",
                                                                   "note": "1 lembar basah"}})
    ids["incident"] = app.incident(s["pps"], "damage", "1 lembar basah", {"SS-DPR-001": {"qty_lost": 1}})
    clock.set("2024-02-13T10:00:00")
    env = app.prepare(s["pps"], pub["kpps"], ["KS-001-PPWP", "SS-DPR-001"], "3101011001", "Dermaga",
                      "distribusi ke TPS")
    ids["p4"] = record_id(env)
    ids["a4"] = app.accept(s["kpps"], env)
    clock.set("2024-02-14T07:00:00")
    ids["open"] = app.open_box(s["kpps"], "KS-001-PPWP", ["A-0001", "A-0002"], True, "pemungutan suara",
                               [s["witness"]])
    ids["tally"] = app.tally(s["kpps"], {"SS-PPWP-001": {"used": 250, "unused": 50, "spoiled": 6},
                                         "SS-DPR-001": {"used": 250, "unused": 54, "spoiled": 0}})
    ids["repack"] = app.pack(s["kpps"], "KS-001-PPWP", ["FORM-C-001", "SS-PPWP-001"])
    ids["reseal"] = app.seal(s["kpps"], "KS-001-PPWP", ["B-0001"])
    env = app.prepare(s["kpps"], pub["pps"], ["KS-001-PPWP", "SS-DPR-001"], tps, "TPS 001", "pengembalian")
    ids["r1"] = record_id(env)
    ids["ra1"] = app.accept(s["pps"], env, cosigners=[s["witness"]])
    env = app.prepare(s["pps"], pub["ppk"], ["KS-001-PPWP", "SS-DPR-001"], "3101011001", "Kantor PPS",
                      "pengembalian")
    ids["r2"] = record_id(env)
    ids["ra2"] = app.accept(s["ppk"], env)
    env = app.prepare(s["ppk"], pub["kab"], ["KS-001-PPWP", "SS-DPR-001"], "310101", "Kantor PPK", "pengembalian")
    ids["r3"] = record_id(env)
    ids["ra3"] = app.accept(s["kab"], env)
    ids["destroy"] = app.destroy(s["kab"], ["SS-DPR-001"], "dibakar", "surplus", [s["witness"]])
    ids["witness"] = app.witness(s["witness"], ids["destroy"], "pemusnahan disaksikan")
    pins = witnessed_checkpoint(app, path)
    app.close()
    return {"ids": ids, "keys": keys, "clock": clock, **pins}


LOG_NAME = "serah.test/3101/pemilu-2024"
WITNESS_NAME = "bawaslu.test/3101/w1"


def witnessed_checkpoint(app, path, log_key: Key | None = None, witness_key: Key | None = None) -> dict:
    """Sign a checkpoint of every record and have a witness cosign it, as an operator
    does after a day's work (SPEC 10.8): a clean ledger has a witnessed checkpoint."""
    from ledger import keys as lkeys
    from ledger.tlog.log import (
        KeyWitness,
        TransparencyLog,
        cosign_checkpoint,
        log_verifier_key,
        witness_verifier_key,
    )
    from ledger.tlog.note import Ed25519Verifier

    log_key = log_key or Key("log")
    witness_key = witness_key or Key("bawaslu")
    log_signer, witness_signer = lkeys.Signer(log_key.private), lkeys.Signer(witness_key.private)
    log = TransparencyLog(app)
    checkpoint, _ = log.sign_checkpoint(log_signer)
    state = path.parent / f"{path.name}.witness.json"
    witness = KeyWitness(WITNESS_NAME, witness_signer, state, {LOG_NAME: Ed25519Verifier(LOG_NAME, log_signer.public)},
                         clock=lambda: 1707868800)
    witness.first_time = True  # a new witness of this log
    log_vkey, witness_vkey = log_verifier_key(LOG_NAME, log_signer.public), witness_verifier_key(
        WITNESS_NAME, witness_signer.public)
    cosigned, _ = cosign_checkpoint(log, witness, checkpoint.note)
    log.add_cosignatures(cosigned, [witness_vkey])
    return {"log_vkey": log_vkey, "witness_vkey": witness_vkey, "log_key": log_key, "witness_key": witness_key,
            "note": log.checkpoint(checkpoint.size).full_note, "witness_state": state}


# --- tampering -----------------------------------------------------------------------------


def copy(src, dst) -> None:
    shutil.copyfile(src, dst)
    for suffix in ("-wal", "-shm"):
        try:
            shutil.copyfile(str(src) + suffix, str(dst) + suffix)
        except FileNotFoundError:
            pass


def _unguard(conn) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')


def read_records(path) -> list[tuple[int, bytes]]:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT rowid, state FROM stored_events WHERE topic = ? ORDER BY rowid", (TOPIC,)).fetchall()
    conn.close()
    return [(rowid, bytes(state)) for rowid, state in rows]


def update(path, rowid: int, state: bytes) -> None:
    """UPDATE one row's state in place (what the triggers normally refuse)."""
    conn = sqlite3.connect(path)
    _unguard(conn)
    conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state, rowid))
    conn.commit()
    conn.close()


def delete(path, rowid: int) -> None:
    conn = sqlite3.connect(path)
    _unguard(conn)
    conn.execute("DELETE FROM stored_events WHERE rowid = ?", (rowid,))
    conn.commit()
    conn.close()


def rewrite(path, states: list[bytes]) -> None:
    """Replace every record row by ``states``, in that order (insertions, reorderings)."""
    conn = sqlite3.connect(path)
    _unguard(conn)
    conn.execute("DELETE FROM stored_events WHERE topic = ?", (TOPIC,))
    for number, state in enumerate(states):
        conn.execute(
            "INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
            (f"tampered-{number}-{state[:8].hex()}", 1, TOPIC, state),
        )
    conn.commit()
    conn.close()


def append(path, state: bytes) -> None:
    conn = sqlite3.connect(path)
    _unguard(conn)
    conn.execute(
        "INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
        (f"appended-{record_id(state).hex()}", 1, TOPIC, state),
    )
    conn.commit()
    conn.close()


def resign(raw: bytes, keys_by_pub: dict, change=None, author=None) -> bytes:
    """Edit a record's body with ``change(body)`` and sign it again (same co-signers)."""
    body, sigs = decode_envelope(raw)
    if change is not None:
        change(body)
    signer = author or keys_by_pub[body["author"]]
    cosigners = [keys_by_pub[k] for k, _ in sigs[1:] if k in keys_by_pub and k != signer.pub]
    return envelope(canonical(body), signer, cosigners)


def rechain(states: list[bytes], index: int, new: bytes, keys_by_pub: dict) -> list[bytes]:
    """Put ``new`` at ``index`` and re-sign every later record that referred to the old id.

    This is a history rewrite by someone holding all the keys: only the rules
    (not the hashes or signatures) can tell that something is wrong.
    """
    states = list(states)
    renamed = {record_id(states[index]): record_id(new)}
    states[index] = new
    for i in range(index + 1, len(states)):
        body, _ = decode_envelope(states[i])
        touched = False
        for line in body.get("lines", ()):
            if line.get("prev") in renamed:
                line["prev"] = renamed[line["prev"]]
                touched = True
        for field in ("handover", "target"):
            if body.get(field) in renamed:
                body[field] = renamed[body[field]]
                touched = True
        if touched:
            old = states[i]
            states[i] = resign(old, keys_by_pub, lambda b, body=body: (b.clear(), b.update(body)))
            renamed[record_id(old)] = record_id(states[i])
    return states
