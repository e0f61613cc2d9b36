"""Benchmark: rebuild every view from a ledger of one million records.

    python bench/bench_projections.py [--tps 36000 | --records N] [--batch 5000] [--repeat 1] [--fresh]

(``--records 100000`` makes a ledger of about that many records: the TPS
count is derived from it, about 28 records per TPS.)

The ledger follows the 2024 logistics flow over DKI Jakarta's 267 kelurahan
(the default 36,000 TPS gives just over a million records; DKI really has
30,766, which gives 0.86 million):
per TPS 4 boxes, 4 ballot batches (one per DKI election type, DPT + 2 %),
seal stock and forms, registered, handed printer -> KPU kab/kota (per
kelurahan), packed and sealed, handed KPU -> PPK (per kecamatan) -> PPS
(per kelurahan) -> KPPS (per TPS), opened on voting day with a witness
co-signature, tallied, repacked, resealed and returned. A handover is
written as one prepare + accept per consignment of at most 250 lines (whole
TPS together), as an office writes one berita acara per truck: a record is
at most 65,535 bytes (SPEC 3.7), and a whole kecamatan's boxes in one
record would be 550 KB. The largest record is now 34 KB (1,015,864
records for 36,000 TPS, generated in 105 s at load 1.5). Against the
generator that wrote one record per handover (until December 2026:
1,010,570 records, 0.5 % fewer), every item, line and view row is the same
(each item is still on one prepare and one accept line per handover); only
the record count grows, by 5,294 prepare/accept pairs with their headers
and signatures. So the ratio printed (rebuild over the library's read of
the same records) and the per-line figures (us per line, over the same
3.8 million lines) compare directly with earlier runs, and records/s
within 0.5 %. About 1 % of
acceptances count short, 0.5 % of TPS handovers are refused and redone,
0.2 % of boxes meet an incident: the views have discrepancies to keep.

Records are real: SPEC 3 envelopes built and signed with
:mod:`ledger.records` and real Ed25519 keys, chains linked by ``prev``. They
are written straight into the event table (topic ``serah:record``, state =
envelope, as the ledger stores them) in large transactions rather than
through the ledger's commands, because signing and validating a million
commands would take most of an hour; the core's index events are therefore
absent, which leaves the notification log *smaller* than a real ledger's and
so makes the read baseline, not the views, look better. The ledger is
cached under bench/out/.

Measured in fresh child processes, one after the other in the same run
(read, rebuild, read again; the two reads averaged, so that a change in the
machine's load during the run favours neither side), so that each has the
same start-up and the rebuild's peak RSS is its own:

* reading the notification log through the library: the application
  recorder's ``select_notifications`` with the record topic, in pages of
  ``--batch``, each row made into the library's ``Notification`` as any
  consumer gets it. (``app.notification_log.select`` is the same call but
  capped at the log's section size, 10 by default: a baseline read ten rows
  at a time would be slower and flatter the ratio, so it is not used.)
  Also, for reference, the views' own direct query (rows as tuples), and
  that query with every record decoded as a rebuild decodes it (id hashed,
  body decoded into the views' structs): the floor under any rebuild;
* ``Views.rebuild()``: drop every view table, replay every record, write
  the final rows, create the read indexes.

Both wall-clock and CPU time (``time.process_time``) are shown: on a shared
machine the wall clock also measures the neighbours. The ratio is rebuild
records/s over library-read records/s (target >= 0.5). With ``--repeat N``
the cycle runs N times and the median of each figure is shown.

The floor is measured too, in the same run: "read log + decode records"
plus writing the rebuilt views' final rows into empty tables (the same
statements, then the indexes and the commit) with no replay at all. From
it the bench prints the best ratio any rebuild of these views through
Python's sqlite3 could reach, and how fast the replay would have to be for
the target. December 2026, 2-core development machine, 1,010,570 records,
3.8 million lines, CPU seconds: read + decode 7-8.6, writing 9-11.5 (the
360,000 rows of proj_item alone 3.5-4.7: sqlite3 binds a str or a blob far
slower than an int), so the best possible ratio is about 0.57, and at 0.5
the replay would have to take 0.7 us a line; it takes 4-5 (a Python loop
that only finds each line's item and sets its head already takes 0.5).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ledger import keys, records, regions
from ledger.domain import RECORD_TOPIC, record_uuid

OUT = Path(__file__).resolve().parent / "out"
ELECTIONS = ("PPWP", "DPR", "DPD", "DPRD_PROV")
DAY = 86_400_000
RECORDS_PER_TPS = 28.22  # of the generated flow (1,015,864 records for 36,000 TPS)
WIB = 7 * 3_600_000


HANDOVER_LINES = 250  # lines per handover record: the largest (boxes with seals and contents) is 34 KB


def _tps_of(item: str) -> str:
    """The TPS code inside a generated item id (``BX-<tps>-DPR``, ``SG-<tps>``)."""
    return item.split("-")[1]


def _remove_db(path: Path, suffixes: tuple[str, ...] = ("", "-wal", "-shm")) -> None:
    """Delete a SQLite file and its WAL companions, where they exist."""
    for suffix in suffixes:
        Path(str(path) + suffix).unlink(missing_ok=True)


def _ms(date: str, hour: int = 8) -> int:
    import datetime

    d = datetime.date.fromisoformat(date)
    return int(datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.UTC).timestamp() * 1000) + hour * 3_600_000 - WIB


class Writer:
    """Appends signed records to the event table, keeping item chain heads."""

    def __init__(self, path: Path):
        from eventsourcing.application import Application

        from ledger import persistence

        _ = Application(env=persistence.environment(str(path))).recorder  # reading it creates the table
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA synchronous=OFF")
        self.rows: list[tuple] = []
        self.heads: dict[str, bytes] = {}
        self.ledger: bytes | None = None
        self.count = 0
        self.phase = self.tick = 0

    def time(self, at: int) -> int:
        # Distinct, increasing times within a phase; phases are hours apart,
        # so times never decrease along an item's chain (SPEC V16).
        if at != self.phase:
            self.phase, self.tick = at, 0
        self.tick += 1
        return at + self.tick

    def add(self, rtype: str, author, at: int, cosigners=(), **fields) -> bytes:
        body = records.build(rtype, author, self.ledger, self.time(at), **fields)
        envelope = records.sign(body, author, cosigners)
        rid = records.record_id(envelope)
        for line in fields.get("lines", ()):
            self.heads[line["item"]] = rid
        self.rows.append((record_uuid(rid).hex, 1, RECORD_TOPIC, envelope))
        self.count += 1
        if len(self.rows) >= 20_000:
            self.flush()
        return rid

    def lines(self, items, **extra) -> list[dict]:
        out = []
        for item in sorted(items):
            line = {"item": item, "prev": self.heads[item]}
            line.update(extra.get(item, {}))
            out.append(line)
        return out

    def flush(self) -> None:
        self.conn.execute("BEGIN")
        self.conn.executemany("INSERT INTO stored_events VALUES (?,?,?,?)", self.rows)
        self.conn.execute("COMMIT")
        self.rows = []


def _tps_codes(total: int) -> list[str]:
    """``total`` TPS spread over DKI's kelurahan in proportion to the real
    TPS count of each kab/kota."""
    data = regions.dki_election()["tps_by_regency"]["value"]
    villages = [r.code for r in regions.dki_regions() if r.level == "village"]
    by_regency: dict[str, list[str]] = {}
    for v in villages:
        by_regency.setdefault(v[:4], []).append(v)
    whole = sum(data.values())
    codes = []
    for regency, vs in sorted(by_regency.items()):
        n = round(total * data[regency] / whole)
        for i in range(n):
            village = vs[i % len(vs)]
            codes.append(f"{village}{i // len(vs) + 1:03d}")
    return sorted(codes)


def generate(path: Path, tps_total: int, seed: int = 2024) -> int:
    rnd = random.Random(seed)
    w = Writer(path)
    key = lambda label: keys.from_seed(hashlib.sha256(f"bench:{label}".encode()).digest())  # noqa: E731
    root, dki, printer = key("kpu-ri"), key("kpu-dki"), key("printer")
    tps_codes = _tps_codes(tps_total)
    regencies = sorted({c[:4] for c in tps_codes})
    districts = sorted({c[:6] for c in tps_codes})
    villages = sorted({c[:10] for c in tps_codes})
    kab = {r: key(f"kpu-{r}") for r in regencies}
    bawaslu = {r: key(f"bawaslu-{r}") for r in regencies}
    ppk = {d: key(f"ppk-{d}") for d in districts}
    pps = {v: key(f"pps-{v}") for v in villages}
    kpps = {t: key(f"kpps-{t}") for t in tps_codes}

    t0 = _ms("2023-11-01")
    gid = w.add(
        "genesis", root, t0, name="serah.bench/31/pemilu-2024", election="Pemilu 2024",
        vote_date="2024-02-14", utc_offset=420, roots=[{"key": root.public, "name": "KPU RI", "region": ""}],
    )  # fmt: skip
    w.ledger = gid

    def enrol(author, who, role, region, name, org):
        w.add("enrol", author, t0, key=who.public, role=role, region=region, name=name, org=org)

    enrol(root, dki, "kpu", "31", "KPU DKI", "KPU Provinsi DKI Jakarta")
    enrol(root, printer, "printer", "", "Percetakan", "PT Percetakan")
    for r in regencies:
        enrol(dki, kab[r], "kpu", r, f"KPU {r}", f"KPU {r}")
        enrol(kab[r], bawaslu[r], "witness", r, f"Bawaslu {r}", f"Bawaslu {r}")
    for d in districts:
        enrol(kab[d[:4]], ppk[d], "ppk", d, f"PPK {d}", f"PPK {d}")
    for v in villages:
        enrol(kab[v[:4]], pps[v], "pps", v, f"PPS {v}", f"PPS {v}")
    for t in tps_codes:
        enrol(kab[t[:4]], kpps[t], "kpps", t, f"KPPS {t}", f"KPPS {t}")

    qty: dict[str, int] = {}
    seals: dict[str, list[str]] = {}
    contents: dict[str, list[str]] = {}
    boxes = lambda t: [f"BX-{t}-{e}" for e in ELECTIONS]  # noqa: E731
    ballots = lambda t: [f"SS-{t}-{e}" for e in ELECTIONS]  # noqa: E731
    loose = lambda t: [f"SG-{t}"]  # noqa: E731  (seal stock travels loose)

    # Registration: the printer per TPS (ballots), the KPU kab/kota per TPS (the rest).
    at = _ms("2023-11-15")
    for t in tps_codes:
        voters = rnd.randint(230, 300)
        per_type = regions.ballots_with_reserve(voters)
        reg = []
        for e in ELECTIONS:
            item = f"SS-{t}-{e}"
            qty[item] = per_type
            reg.append({"item": item, "prev": None, "kind": "ballots", "dest": t, "qty": per_type, "election": e, "dapil": f"DKI-{e}-{t[:4]}"})
        w.add("register", printer, at, lines=sorted(reg, key=lambda ln: ln["item"]))
        reg = [{"item": f"BX-{t}-{e}", "prev": None, "kind": "box", "dest": t, "election": e} for e in ELECTIONS]
        reg.append({"item": f"SG-{t}", "prev": None, "kind": "seal", "dest": t, "qty": 20})
        reg.append({"item": f"FM-{t}", "prev": None, "kind": "form", "dest": t, "qty": 30, "label": "C.Hasil"})
        qty[f"SG-{t}"], qty[f"FM-{t}"] = 20, 30
        w.add("register", kab[t[:4]], at, lines=sorted(reg, key=lambda ln: ln["item"]))

    def handover(giver, receiver, items, place, at, short_rate=0.0):
        """One handover, written as one prepare + accept per consignment of
        at most HANDOVER_LINES lines (whole TPS kept together): a record is
        at most 65,535 bytes (SPEC 3.7), so an office handing over a whole
        kecamatan writes several berita acara, as a real one does per truck."""
        batch: list[str] = []
        for _, group in itertools.groupby(items, key=_tps_of):
            group = list(group)
            if batch and len(batch) + len(group) > HANDOVER_LINES:
                consignment(giver, receiver, batch, place, at, short_rate)
                batch = []
            batch.extend(group)
        if batch:
            consignment(giver, receiver, batch, place, at, short_rate)

    def consignment(giver, receiver, items, place, at, short_rate):
        declared = {}
        for i in items:
            d = {}
            if i in qty:
                d["qty"] = qty[i]
            if i in seals:
                d["seals"] = seals[i]
            if i.startswith("BX-") and contents.get(i):
                d["contents"] = [[c, qty[c]] for c in sorted(contents[i])]
            declared[i] = d
        pid = w.add(
            "handover.prepare", giver, at, to=receiver.public, place=place, site="gudang", purpose="distribusi",
            lines=w.lines(items, **declared),
        )  # fmt: skip
        observed = {}
        for i in items:
            o = {"condition": "ok"}
            if i in qty:
                o["qty"] = qty[i]
                if short_rate and rnd.random() < short_rate:
                    o["qty"] = max(0, qty[i] - rnd.randint(1, 20))
                    o["note"] = "kurang"
                qty[i] = o["qty"]
            if i in seals:
                o["seals"] = seals[i]
            observed[i] = o
        w.add("handover.accept", receiver, at, handover=pid, lines=w.lines(items, **observed))

    # Printer -> KPU kab/kota, per kelurahan.
    at = _ms("2023-12-10")
    by_village: dict[str, list[str]] = {}
    for t in tps_codes:
        by_village.setdefault(t[:10], []).append(t)
    for v, ts in sorted(by_village.items()):
        handover(printer, kab[v[:4]], [b for t in ts for b in ballots(t)], v[:4], at, short_rate=0.01)

    # Packing and sealing at the KPU kab/kota warehouse.
    at = _ms("2024-01-10")

    def pack_and_seal(holder, t, at, round_):
        for e in ELECTIONS:
            box = f"BX-{t}-{e}"
            inside = [f"SS-{t}-{e}"] + ([f"FM-{t}"] if e == "PPWP" else [])
            w.add("pack", holder, at, box=box, lines=w.lines([box, *inside]))
            contents[box] = inside
            seals[box] = [f"{t}{e}-{round_}"]
            w.add("seal", holder, at, box=box, seals=seals[box], lines=w.lines([box]))

    for t in tps_codes:
        pack_and_seal(kab[t[:4]], t, at, 1)

    # KPU kab/kota -> PPK per kecamatan, PPK -> PPS per kelurahan.
    by_district: dict[str, list[str]] = {}
    for t in tps_codes:
        by_district.setdefault(t[:6], []).append(t)
    at = _ms("2024-02-05")
    for d, ts in sorted(by_district.items()):
        handover(kab[d[:4]], ppk[d], [i for t in ts for i in boxes(t) + loose(t)], d, at)
    at = _ms("2024-02-10")
    for v, ts in sorted(by_village.items()):
        handover(ppk[v[:6]], pps[v], [i for t in ts for i in boxes(t) + loose(t)], v, at)
    for t in tps_codes:  # a few boxes get wet at the PPS
        if rnd.random() < 0.002:
            box = boxes(t)[0]
            w.add("incident", pps[t[:10]], at, kind="flood", description="banjir di gudang PPS",
                  lines=w.lines([box], **{box: {"condition": "wet"}}))  # fmt: skip

    # PPS -> KPPS per TPS, on H-2 / H-1; some refused first, some late.
    late = set()
    for t in tps_codes:
        at = _ms("2024-02-12", 9)
        items = boxes(t) + loose(t)
        if rnd.random() < 0.005:
            pid = w.add(
                "handover.prepare", pps[t[:10]], at, to=kpps[t].public, place=t, site="TPS", purpose="distribusi",
                lines=w.lines(items, **{i: ({"qty": qty[i]} if i in qty else {"seals": seals[i], "contents": [[c, qty[c]] for c in sorted(contents[i])]}) for i in items}),
            )  # fmt: skip
            w.add("handover.refuse", kpps[t], at, handover=pid, reason="segel rusak", lines=w.lines(items))
        if rnd.random() < 0.003:
            at = _ms("2024-02-14", 6)  # after H-1
            late.add(t)
        handover(pps[t[:10]], kpps[t], items, t, at, short_rate=0.0)

    # Voting day: open with a witness, tally, repack, reseal.
    for t in tps_codes:
        at = _ms("2024-02-14", 9 if t in late else 7)
        for e in ELECTIONS:
            box = f"BX-{t}-{e}"
            w.add("open", kpps[t], at, cosigners=[bawaslu[t[:4]]], box=box, seals=seals[box], intact=True,
                  reason="pemungutan suara", lines=w.lines([box]))  # fmt: skip
            seals.pop(box)
            contents[box] = []
        at = _ms("2024-02-14", 14)
        tally = {}
        for b in ballots(t):
            used = rnd.randint(qty[b] * 6 // 10, qty[b] * 9 // 10)
            spoiled = rnd.randint(0, 3)
            tally[b] = {"used": used, "spoiled": spoiled, "unused": qty[b] - used - spoiled}
        w.add("tally", kpps[t], at, lines=w.lines(ballots(t), **tally))
        pack_and_seal(kpps[t], t, _ms("2024-02-14", 20), 2)

    # Return: KPPS -> PPS per TPS, PPS -> PPK per kelurahan, PPK -> KPU per kecamatan.
    at = _ms("2024-02-15", 9)
    for t in tps_codes:
        handover(kpps[t], pps[t[:10]], boxes(t), t[:10], at)
    at = _ms("2024-02-16", 9)
    for v, ts in sorted(by_village.items()):
        handover(pps[v], ppk[v[:6]], [b for t in ts for b in boxes(t)], v[:6], at)
    at = _ms("2024-02-20", 9)
    for d, ts in sorted(by_district.items()):
        handover(ppk[d], kab[d[:4]], [b for t in ts for b in boxes(t)], d[:4], at)
    w.flush()
    w.conn.close()
    return w.count


# --- measuring (in a child process) -------------------------------------------------


def measure_read(path: Path, batch: int) -> dict:
    """Reading the notification log, two ways (wall and CPU seconds)."""
    from eventsourcing.application import Application

    from ledger import persistence
    from ledger.projections.store import Store

    app = Application(env=persistence.environment(str(path)))
    store = Store(app)
    total = store.count_records()
    out = {"records": total}
    t, c = time.perf_counter(), time.process_time()
    n, after = 0, 0
    while True:
        page = app.recorder.select_notifications(after, batch, topics=[RECORD_TOPIC], inclusive_of_start=False)
        if not page:
            break
        n += len(page)
        after = page[-1].id
    out["library_read_s"], out["library_read_cpu_s"] = time.perf_counter() - t, time.process_time() - c
    assert n == total, (n, total)
    _, out["direct_read_s"], out["direct_read_cpu_s"] = _direct_read(store, batch, len)
    # The direct query again, each record decoded as a rebuild decodes it
    # (record id hashed, body decoded into the views' structs) and dropped:
    # the part of a rebuild that no view logic or writing can avoid.
    from ledger.projections.model import decode

    lines = 0

    def decode_page(rows):
        nonlocal lines
        n = 0
        for rec in decode(rows):
            n += 1
            lines += len(rec.lines)
        return n

    n, out["decode_read_s"], out["decode_read_cpu_s"] = _direct_read(store, batch, decode_page)
    assert n == total, (n, total)
    out["lines"] = lines
    return out


def _direct_read(store, batch: int, count) -> tuple[int, float, float]:
    """Read every record with the views' own query, in pages of ``batch``;
    ``count(rows)`` does the per-page work and says how many it saw.
    Returns (records, wall seconds, CPU seconds)."""
    t, c = time.perf_counter(), time.process_time()
    n, after = 0, 0
    while True:
        rows = store.records(after, batch)
        if not rows:
            break
        n += count(rows)
        after = rows[-1][0]
    return n, time.perf_counter() - t, time.process_time() - c


def measure_rebuild(path: Path, max_items: int) -> dict:
    """``Views.rebuild()`` in a fresh process, so its peak RSS is its own."""
    from eventsourcing.application import Application

    from ledger import persistence
    from ledger.projections import Views

    app = Application(env=persistence.environment(str(path)))
    views = Views(app)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    last = [time.perf_counter()]

    def progress(done, total_):
        now = time.perf_counter()
        if now - last[0] > 10:
            print(f"  rebuild {done:,}/{total_:,}", file=sys.stderr)
            last[0] = now

    t, c = time.perf_counter(), time.process_time()
    applied = views.rebuild(progress=progress, max_items=max_items)
    out = {"records": applied, "rebuild_s": time.perf_counter() - t, "rebuild_cpu_s": time.process_time() - c}
    out["peak_rss_mib_before_rebuild"] = rss_before / 1024
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with views.store.reading() as cur:
        out["rows"] = {
            table: cur.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("proj_item", "proj_inventory", "proj_stay", "proj_discrepancy", "proj_ballots")
        }
    out["write_s"], out["write_cpu_s"] = measure_write_floor(path)
    return out


def measure_write_floor(path: Path) -> tuple[float, float]:
    """Writing the rebuilt views' final rows, and nothing else: the rows
    are read back from the views just built, then timed as they are written
    into empty tables of a scratch database on the same disk, as a rebuild
    writes them (same statements and connection settings, then the read
    indexes and the commit). No replay can write less, so this with
    "read log + decode records" is the floor under any rebuild of these
    views from Python. Returns (wall, CPU) seconds."""
    from ledger.projections import runner
    from ledger.projections.model import ITEM_COLUMNS, Item
    from ledger.projections.store import SQLITE_TYPES, Cursor, tune_for_rebuild

    source = sqlite3.connect(path)
    tables = {t: source.execute(f"SELECT * FROM {t}").fetchall() for t in runner.TABLES}
    source.close()
    # proj_item's rows as custody.flush hands them over (Item.row: blobs as bytearray)
    tables["proj_item"] = [Item.from_row(row).row() for row in tables["proj_item"]]
    scratch = path.with_name(path.stem + "-write-floor.sqlite")
    _remove_db(scratch)
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # as the ledger's own file
    tune_for_rebuild(conn)
    for statement in runner._ddl(SQLITE_TYPES):
        conn.execute(statement)
    t, c = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    cur = Cursor(conn.cursor(), False)
    for table, rows in tables.items():
        if table == "proj_item":  # as custody.flush writes it: NULLs left out
            cur.insert_many(table, ITEM_COLUMNS, rows)
        elif rows:
            cur.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    for statement in runner._indexes(SQLITE_TYPES):
        conn.execute(statement)
    conn.execute("COMMIT")
    result = time.perf_counter() - t, time.process_time() - c
    conn.close()
    _remove_db(scratch)
    return result


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tps", type=int, default=36_000)
    parser.add_argument("--records", type=int, default=None, help="about this many records (sets --tps)")
    parser.add_argument("--repeat", type=int, default=1, help="measurement cycles; medians are shown")
    parser.add_argument("--batch", type=int, default=5000, help="page size of the read baselines")
    parser.add_argument("--fresh", action="store_true", help="regenerate the cached ledger")
    parser.add_argument("--max-items", type=int, default=None, help="items held in memory before a write (Views default)")
    parser.add_argument("--measure-read", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--measure-rebuild", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--generate", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps({"count": generate(Path(args.generate), args.tps)}))
        return
    if args.measure_read:
        print(json.dumps(measure_read(Path(args.measure_read), args.batch)))
        return
    if args.measure_rebuild:
        from ledger.projections.runner import MAX_ITEMS

        print(json.dumps(measure_rebuild(Path(args.measure_rebuild), args.max_items or MAX_ITEMS)))
        return

    if args.records:
        args.tps = max(1, round(args.records / RECORDS_PER_TPS))
    OUT.mkdir(exist_ok=True)
    path = OUT / f"projections-{args.tps}.sqlite"
    if args.fresh or not path.exists():
        _remove_db(path)
        tmp = path.with_suffix(".tmp")
        _remove_db(tmp)
        t = time.perf_counter()
        # In a child: Linux carries a process's peak RSS over fork and exec,
        # so a parent that had built the ledger itself would lend its peak
        # to the measuring children's getrusage figures.
        count = _child("--generate", str(tmp), "--tps", str(args.tps))["count"]
        _remove_db(tmp, ("-wal", "-shm"))
        tmp.rename(path)
        print(f"generated {count:,} records in {time.perf_counter() - t:.0f} s -> {path}")
    # Read, rebuild, read again: each in its own process, the two reads
    # averaged so that a change in the machine's load during the run does
    # not favour either side.
    keys = ("library_read_s", "library_read_cpu_s", "direct_read_s", "direct_read_cpu_s", "decode_read_s", "decode_read_cpu_s")
    cycles = []
    for _ in range(args.repeat):
        first = _child("--measure-read", str(path), "--batch", str(args.batch))
        rebuild = _child("--measure-rebuild", str(path), *(["--max-items", str(args.max_items)] if args.max_items else []))
        second = _child("--measure-read", str(path), "--batch", str(args.batch))
        assert rebuild["records"] == first["records"] == second["records"]
        cycle = dict(rebuild, lines=first["lines"])
        for key in keys:
            cycle[key] = (first[key] + second[key]) / 2
        cycles.append(cycle)
    r = dict(cycles[-1])
    for key in (*keys, "rebuild_s", "rebuild_cpu_s", "write_s", "write_cpu_s", "peak_rss_mib", "peak_rss_mib_before_rebuild"):
        r[key] = statistics.median(c[key] for c in cycles)
    n = r["records"]
    print(f"records {n:,}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
          + (f"; medians of {args.repeat} cycles" if args.repeat > 1 else ""))
    print(f"{'':32} {'records/s (wall)':>17} {'records/s (CPU)':>16}")
    for label, key in (
        ("read log (select_notifications)", "library_read"),
        ("read log (direct query)", "direct_read"),
        ("read log + decode records", "decode_read"),
        ("rebuild all views", "rebuild"),
    ):
        print(f"{label:32} {n / r[key + '_s']:>17,.0f} {n / r[key + '_cpu_s']:>16,.0f}   ({r[key + '_s']:.1f} s wall, {r[key + '_cpu_s']:.1f} s CPU)")
    for label, base in (("library read", "library_read"), ("direct read", "direct_read")):
        wall = r[base + "_s"] / r["rebuild_s"]
        cpu = r[base + "_cpu_s"] / r["rebuild_cpu_s"]
        print(f"ratio rebuild / {label:16} {wall:>17.2f} {cpu:>16.2f}" + ("   (target >= 0.5)" if base == "library_read" else ""))
    _print_floor(r)
    print(f"peak RSS of the rebuild process  {r['peak_rss_mib']:.0f} MiB (at start {r['peak_rss_mib_before_rebuild']:.0f} MiB)")
    print(f"view rows                       {r['rows']}")


def _print_floor(r: dict) -> None:
    """What the target leaves for replaying, against what replaying takes
    (CPU seconds: the wall clock here also measures the neighbours)."""
    floor = r["decode_read_cpu_s"] + r["write_cpu_s"]
    budget = 2 * r["library_read_cpu_s"]  # a rebuild at exactly 0.5 of the library read
    replay = r["rebuild_cpu_s"] - floor
    lines = r["lines"]
    print(f"floor (CPU): read + decode {r['decode_read_cpu_s']:.1f} s, write the final rows {r['write_cpu_s']:.1f} s"
          f" = {floor:.1f} s; best possible ratio {r['library_read_cpu_s'] / floor:.2f}")
    print(f"at 0.5 a rebuild may take {budget:.1f} s CPU: {budget - floor:.1f} s to replay {lines:,} lines"
          f" ({(budget - floor) / lines * 1e6:.2f} us/line); this rebuild replays in {replay:.1f} s"
          f" ({replay / lines * 1e6:.2f} us/line)")


if __name__ == "__main__":
    main()
