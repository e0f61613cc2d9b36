"""Records per second through ``serah serve`` with 1, 8 and 64 concurrent
clients, on SQLite and PostgreSQL, beside the direct-database path of
``bench_concurrency.py`` in the same run; on loopback and through a proxy
adding 10 ms of round-trip time between clients and server (and, for the
direct path on PostgreSQL, between the writers and the database).

Each client is a custodian pair (a KPU Kab. key and a PPK key) with its own
items, and submits handovers the way the field does: the giver's signed
prepare, then the receiver's signed accept, each one HTTP request; every
item moves once before any moves again (many items, not a few moved back
and forth). Clients know their items' heads from their own answers, as a
custodian's CLI knows the record it just signed. Clients run in up to four
processes (threads within), on the same 2-core machine as the server and
the database: their signing is counted against the figures.

Reported per row: records/s (prepare and accept both count), p50 and p99 of
one submission's latency (request to signed receipt). ``--paced R`` also
runs every backend at a fixed R records/s to read p99 at that load; ``cost``
prints the time of the same handover after an item's 10th and Nth move
(write cost flat in history length).

    python bench/bench_server.py [--clients 1,8,64] [--seconds 5] [--backends sqlite,postgres]
                                 [--rtt-ms 10] [--paced 200] [--direct] [--history 200]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402

from ledger import keys, records  # noqa: E402
from ledger.application import Ledger  # noqa: E402

TPS = "3101011001001"
NAME = "serah.kpu.go.id/3101/bench-server"
PASSPHRASE = "bench-server-log-key"
WARM_UP_S = 1.5  # clients submit this long before the measured window (connections, first batches)


def signer(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah-bench-server:" + name.encode()).digest())


# --- the ledger --------------------------------------------------------------------------

def setup(db: str, clients: int, items: int) -> dict[str, bytes]:
    """Genesis, and per client a KPU Kab. key, a PPK key and ``items`` items;
    returns each item's head (its register record)."""
    root, dki = signer("kpu-ri"), signer("kpu-dki")
    ledger = Ledger(db)
    heads = {}
    try:
        ledger.genesis([root], NAME, "Pemilu 2029", "2029-02-14", root_names=["Ketua KPU RI"])
        ledger.enrol(root, dki.public, "kpu", "31", "Ketua KPU DKI", "KPU Provinsi DKI Jakarta")
        for c in range(clients):
            kab, ppk = signer(f"kab-{c}"), signer(f"ppk-{c}")
            ledger.enrol(dki, kab.public, "kpu", "3101", f"KPU Kab. {c}", "KPU Kab. Kep. Seribu")
            ledger.enrol(kab, ppk.public, "ppk", "310101", f"PPK {c}", "PPK Kep. Seribu Utara")
            for start in range(0, items, 200):  # a record holds at most 65,535 bytes (SPEC 3.7)
                chunk = range(start, min(items, start + 200))
                rid = ledger.register(kab, [{"item": item_name(c, i), "kind": "form", "dest": TPS, "qty": 1}
                                            for i in chunk])
                heads.update({item_name(c, i): rid for i in chunk})
        return heads
    finally:
        ledger.close()


def item_name(client: int, i: int) -> str:
    return f"KS-BS-{client:03d}-{i:05d}"


def log_key(folder: Path) -> Path:
    path = folder / "log.key"
    if not path.exists():
        keys.save(signer("log"), path, PASSPHRASE)
    return path


# --- the server and the proxy --------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    def __init__(self, db: str, folder: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SERAH_PASSPHRASE": PASSPHRASE, "SERAH_LANG": "en"}
        self.log = open(folder / f"serve-{self.port}.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "--db", db, "serve", "--listen", f"127.0.0.1:{self.port}",
             "--log-key", str(log_key(folder)), "--rate", "1000000", "--burst", "1000000", "--quiet"],
            env=env, stdout=self.log, stderr=self.log, cwd=str(ROOT),
        )
        for _ in range(600):
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("server did not start")

    def health(self) -> dict:
        return httpx.get(self.url + "/healthz").json()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)
        self.log.close()


def _proxy(listen_port: int, target_port: int, one_way_s: float, ready) -> None:
    """An asyncio TCP proxy on loopback that delays every chunk by ``one_way_s``
    in each direction (so a round trip gains twice that), keeping order."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                if data is None:
                    writer.close()
                    return
                writer.write(data)
                await writer.drain()

        task = asyncio.create_task(deliver())
        try:
            while True:
                data = await reader.read(65536)
                await queue.put((time.monotonic() + one_way_s, data or None))
                if not data:
                    break
        except (ConnectionError, asyncio.CancelledError):
            await queue.put((0.0, None))
        await task

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(pipe(client_r, server_w), pipe(server_r, client_w), return_exceptions=True)

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())


class Proxy:
    def __init__(self, target_port: int, rtt_ms: float) -> None:
        self.port = free_port()
        context = multiprocessing.get_context("spawn")
        ready = context.Event()
        self.process = context.Process(target=_proxy, args=(self.port, target_port, rtt_ms / 2000, ready), daemon=True)
        self.process.start()
        ready.wait(30)

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


# --- clients -----------------------------------------------------------------------------------

def _client(url: str, c: int, items: int, all_heads: dict[str, bytes], ledger_id: bytes, end: float, pace: float,
            out: list) -> None:
    """One custodian pair: prepare + accept of each of its items in turn."""
    kab, ppk = signer(f"kab-{c}"), signer(f"ppk-{c}")
    heads = {item_name(c, i): all_heads[item_name(c, i)] for i in range(items)}
    holder = {name: 0 for name in heads}
    people = [kab, ppk]
    samples: list[tuple[float, float, bool]] = []  # (wall-clock start, latency, appended)
    names = list(heads)
    n = 0
    next_at = time.perf_counter()
    client = _Http(url)
    try:
        while time.time() < end:
            item = names[n % len(names)]
            n += 1
            giver, taker = people[holder[item]], people[1 - holder[item]]
            place = "3101" if holder[item] == 0 else "310101"
            body = records.build("handover.prepare", giver, ledger_id, records.now_ms(), to=taker.public, place=place,
                                 site="Dermaga Kali Adem", purpose="distribusi",
                                 lines=[{"item": item, "prev": heads[item], "qty": 1}])
            prep = records.sign_record(body, giver)
            for rec_builder in ("prepare", "accept"):
                if pace:
                    next_at += pace
                    delay = next_at - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                if rec_builder == "prepare":
                    rec = prep
                else:
                    body = records.build("handover.accept", taker, ledger_id, records.now_ms(), handover=prep.id,
                                         lines=[{"item": item, "prev": prep.id, "condition": "ok", "qty": 1}])
                    rec = records.sign_record(body, taker)
                wall, t0 = time.time(), time.perf_counter()
                status = client.post("/v1/submissions", rec.raw)
                samples.append((wall, time.perf_counter() - t0, status == 201))
                if status != 201:
                    break
                heads[item] = rec.id
            else:
                holder[item] = 1 - holder[item]
    finally:
        client.close()
    out.append(samples)


class _Http:
    """A keep-alive HTTP/1.1 connection from the standard library: the load
    generator shares the 2 cores with the server, so its clients should cost
    little (httpx, the CLI's client, costs several times more CPU a request)."""

    def __init__(self, url: str) -> None:
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def post(self, path: str, body: bytes) -> int:
        self._connection.request("POST", path, body=body, headers={"Content-Type": "application/octet-stream"})
        response = self._connection.getresponse()
        response.read()
        return response.status

    def close(self) -> None:
        self._connection.close()


def _process(url: str, clients: list[int], items: int, heads: dict[str, bytes], ledger_id: bytes, start: float,
             seconds: float, pace: float, results) -> None:
    out: list = []
    while time.time() < start:
        time.sleep(0.005)
    end = start + WARM_UP_S + seconds
    threads = [threading.Thread(target=_client, args=(url, c, items, heads, ledger_id, end, pace, out))
               for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(out)


def load(url: str, clients: int, items: int, heads: dict[str, bytes], ledger_id: bytes, seconds: float,
         rate: float = 0.0) -> dict:
    """``clients`` concurrent clients for ``seconds``; with ``rate``, paced to that many records/s in all."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    nproc = min(clients, 4)
    groups = [list(range(p, clients, nproc)) for p in range(nproc)]
    pace = clients / rate if rate else 0.0
    start = time.time() + 1.0
    procs = [context.Process(target=_process, args=(url, g, items, heads, ledger_id, start, seconds, pace, results))
             for g in groups]
    for p in procs:
        p.start()
    outs = [results.get(timeout=seconds + 300) for _ in procs]
    for p in procs:
        p.join(60)
    window = (start + WARM_UP_S, start + WARM_UP_S + seconds)
    measured = [x for o in outs for samples in o for x in samples if window[0] <= x[0] < window[1]]
    latencies = sorted(lat for _, lat, _ in measured)
    refused = sum(1 for _, _, ok in measured if not ok)
    return {
        "records": len(latencies) - refused,
        "rate": (len(latencies) - refused) / seconds,
        "p50": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else 0.0,
        "refused": refused,
    }


def history_cost(url: str, ledger_id: bytes, moves: int) -> tuple[float, float]:
    """Median latency of one prepare+accept of the same item after 10 and after ``moves`` moves."""
    kab, ppk = signer("kab-0"), signer("ppk-0")
    item = item_name(0, 0)
    with httpx.Client(base_url=url, timeout=60) as client:
        head = bytes.fromhex(client.get(f"/v1/items/{item}").json()["head"])
        holder = client.get(f"/v1/items/{item}").json()["holder"]
        people = [kab, ppk] if holder == kab.public.hex() else [ppk, kab]
        timings = []
        for n in range(moves):
            giver, taker = people[n % 2], people[1 - n % 2]
            place = "3101" if giver is kab else "310101"
            prep = records.sign_record(records.build(
                "handover.prepare", giver, ledger_id, records.now_ms(), to=taker.public, place=place, site="s",
                purpose="p", lines=[{"item": item, "prev": head, "qty": 1}]), giver)
            acc = records.sign_record(records.build(
                "handover.accept", taker, ledger_id, records.now_ms(), handover=prep.id,
                lines=[{"item": item, "prev": prep.id, "condition": "ok", "qty": 1}]), taker)
            t0 = time.perf_counter()
            for rec in (prep, acc):
                assert client.post("/v1/submissions", content=rec.raw).status_code == 201
            timings.append(time.perf_counter() - t0)
            head = acc.id
    return statistics.median(timings[5:15]) * 1000, statistics.median(timings[-10:]) * 1000


# --- the direct path, from bench_concurrency ---------------------------------------------------

def direct(db_factory, n: int, seconds: float, rtt_ms: float = 0.0) -> dict:
    """bench_concurrency's writers, each opening the database itself; with
    ``rtt_ms``, through the same latency proxy as the clients of the served
    rows, placed between the writers and PostgreSQL (setup goes direct)."""
    import bench_concurrency as bc

    db = db_factory()
    bc.setup(db, n, 4)
    if not rtt_ms:
        row = bc.run(db, n, 4, seconds)
    else:
        proxy = Proxy(_pg_port(db), rtt_ms)
        try:
            row = bc.run(_over_tcp(db, proxy.port), n, 4, seconds)
        finally:
            proxy.stop()
    return {"records": 2 * row["handovers"], "rate": 2 * row["rate"], "p50": row["p50"] / 2, "p99": row["p99"] / 2,
            "refused": row["conflicts"]}


def _pg_port(url: str) -> int:
    from urllib.parse import parse_qs, urlsplit

    return int(parse_qs(urlsplit(url).query)["port"][0])


def _over_tcp(url: str, port: int) -> str:
    """The same database, reached over TCP on 127.0.0.1:``port`` (the proxy)
    instead of the cluster's Unix socket."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"postgresql://{parts.username}@127.0.0.1:{port}{parts.path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="1,8,64")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--items", type=int, default=0, help="items per client (default: enough for the run)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--rtt-ms", type=float, default=10.0, help="round trip added by the proxy (0: no proxy rows)")
    parser.add_argument("--paced", type=float, default=200.0, help="records/s of the paced row (0: none)")
    parser.add_argument("--direct", action=argparse.BooleanOptionalAction, default=True,
                        help="also run bench_concurrency's direct-database writers")
    parser.add_argument("--history", type=int, default=200, help="moves of one item for the cost row (0: none)")
    args = parser.parse_args()
    counts = [int(n) for n in args.clients.split(",")]
    backends = args.backends.split(",")
    folder = Path(tempfile.mkdtemp(prefix="serah-bench-server-"))
    pg = None
    if "postgres" in backends:
        from support.pgserver import PgServer

        pg = PgServer.start(durable=True)
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, str, int, dict]] = []
    extra: list[str] = []
    try:
        for backend in backends:
            def new_db(backend: str = backend) -> str:
                if backend == "sqlite":
                    return str(folder / f"bench-{time.monotonic_ns()}.sqlite")
                return pg.create_database(prefix="serah_bench")  # type: ignore[union-attr]

            plans = [("loopback", n, 0.0) for n in counts]
            if args.rtt_ms:
                plans += [(f"+{args.rtt_ms:g} ms RTT", n, 0.0) for n in counts]
            if args.paced:
                plans.append((f"paced {args.paced:g} rec/s", min(64, max(counts)), args.paced))
            for path, n, rate in plans:
                items = args.items or max(20, int(1200 * args.seconds / n) + 20)
                db = new_db()
                heads = setup(db, n, items)
                served = Served(db, folder)
                proxy = Proxy(served.port, args.rtt_ms) if path.startswith("+") else None
                try:
                    url = f"http://127.0.0.1:{proxy.port}" if proxy else served.url
                    ledger_id = bytes.fromhex(httpx.get(served.url + "/v1/ledger").json()["ledger"])
                    before = served.health()
                    row = load(url, n, items, heads, ledger_id, args.seconds, rate=rate)
                    health = served.health()
                    row["per_tx"] = health["appended"] / max(1, health["batches"])
                    done = max(1, health["appended"] - before["appended"])
                    row["cpu_ms"] = (health["cpu_s"] - before["cpu_s"]) * 1000 / done
                    rows.append((backend, path, n, row))
                    print(f"  {backend:8} {path:16} {n:3} clients: {row['rate']:7.1f} records/s", file=sys.stderr,
                          flush=True)
                    if args.history and path == "loopback" and n == counts[0]:
                        early, late = history_cost(served.url, ledger_id, args.history)
                        extra.append(f"{backend}: one handover (2 records) of an item after 10 moves {early:.1f} ms, "
                                     f"after {args.history} moves {late:.1f} ms (ratio {late / early:.2f})")
                finally:
                    if proxy:
                        proxy.stop()
                    served.stop()
            if args.direct:
                for n in counts:
                    row = direct(new_db, n, args.seconds)
                    row["per_tx"] = 1.0
                    row["cpu_ms"] = float("nan")
                    rows.append((backend, "direct (bench_concurrency)", n, row))
                    print(f"  {backend:8} direct           {n:3} writers: {row['rate']:7.1f} records/s",
                          file=sys.stderr, flush=True)
                if backend == "postgres" and args.rtt_ms:
                    for n in counts:
                        row = direct(new_db, n, args.seconds, args.rtt_ms)
                        row["per_tx"] = 1.0
                        row["cpu_ms"] = float("nan")
                        rows.append((backend, f"direct +{args.rtt_ms:g} ms RTT", n, row))
                        print(f"  {backend:8} direct +{args.rtt_ms:g} ms   {n:3} writers: {row['rate']:7.1f} records/s",
                              file=sys.stderr, flush=True)
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{os.cpu_count()} CPUs; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
          f"(clients, server and database share the machine); {args.seconds:g} s per row; "
          "PostgreSQL: throwaway cluster, fsync, synchronous_commit, full_page_writes on")
    header = (f"{'backend':9} {'path':28} {'clients':>7} {'records':>8} {'rec/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'refused':>7} {'rec/tx':>6} {'srv CPU ms/rec':>14} {'vs loopback':>11}")
    print(header)
    print("-" * len(header))
    for backend, path, n, row in rows:
        print(f"{backend:9} {path:28} {n:7} {row['records']:8} {row['rate']:8.1f} {row['p50']:8.1f} {row['p99']:8.1f} "
              f"{row['refused']:7} {row['per_tx']:6.1f} {row['cpu_ms']:14.2f} {_vs_loopback(rows, backend, path, n, row)}")
    for line in extra:
        print(line)


def _vs_loopback(rows: list[tuple[str, str, int, dict]], backend: str, path: str, n: int, row: dict) -> str:
    """A proxied row's records/s over the same path's loopback row (same backend, same clients)."""
    if "RTT" not in path:
        return ""
    base = "direct (bench_concurrency)" if path.startswith("direct") else "loopback"
    for b, p, m, other in rows:
        if (b, p, m) == (backend, base, n) and other["rate"]:
            return f"{row['rate'] / other['rate']:11.3f}"
    return ""


if __name__ == "__main__":
    main()
