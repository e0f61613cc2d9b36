"""Benchmark of monitor mode (issue 16): a 1M-record served log, then 10k more.

    python bench/bench_monitor.py                      # 1,000,000 + 10,000 records
    python bench/bench_monitor.py --records 100000     # a quick run

1. Reuses (or generates with bench_verify.py's generator) a SQLite ledger of
   ``records + grow`` records.
2. Starts a tile server in its own process: the records' Merkle tree in
   Serah's own tree code (``ledger.tlog.tree``), tiles and entry bundles cut
   by ``ledger.tlog.tiles`` and served over HTTP on 127.0.0.1 with gzip, a
   checkpoint signed by a log key and cosigned by two witness keys. It
   serves the first ``records`` records until told to grow.
   This is not the whole ``serah serve`` (deriving the custody state of a
   million records at start-up is its own benchmark, bench_server.py); the
   bytes on the wire are the same C2SP tiles and bundles.
3. Runs the monitor (``verifier.monitor``, its own process) from an empty
   state folder: every record fetched and checked (T1, T2, T4, V1-V19).
4. Grows the served log by ``grow`` records, runs the monitor again on the
   same folder: only the new bundles and tiles plus a consistency proof.
   Prints both runs' seconds, bytes fetched and requests, and the ratios
   (target: the second run under 5% of the first's time).

Measured 2026-12-05 (2 shared cores, load 3.8 before, 9.1 after: other
engineers' jobs): run 1, 999,984 records in 224.5 s, 170.8 MiB in 7,815
requests, peak RSS 640 MB, state folder 56 MB; run 2, 10,000 new records in
9.14 s, 1.74 MiB in 85 requests: 4.07% of the time, 1.02% of the bytes.
Most of run 2 was loading and saving the checks' state (then a 56 MB pickle).

Measured again 16:19-16:23 UTC with the state in verifier/monitor_state.py's
format (state.json + msgpack, no pickle), load 4.2 before, 2.8 after (a CI
run beside it): ledger of 1,009,984 records generated in 100 s; run 1,
999,984 records in 131.3 s, 170.8 MiB in 7,815 requests, peak RSS 610 MB,
state 51 MB, no findings; run 2, 10,000 new records in 4.36 s, 1.74 MiB in
85 requests, peak RSS 478 MB: 3.32% of the time (target < 5%), 1.02% of
the bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

ORIGIN = "serah.bench/3101"  # the generator's genesis name


def seeded(label: str):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"bench-monitor:" + label.encode()).digest())


def keys() -> tuple[str, list[str]]:
    from ledger.tlog.note import Ed25519Signer
    from ledger.tlog.witness import CosignatureSigner

    log = Ed25519Signer(ORIGIN, seeded("log"))
    witnesses = [CosignatureSigner(f"bench.witness/w{i}", seeded(f"w{i}")) for i in (1, 2)]
    return log.verifier_key(), [w.verifier_key() for w in witnesses]


def serve(db: str, port: int, first: int) -> None:
    """The tile server (a child process): prints 'ready' when listening."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from ledger.tlog.note import Checkpoint, Ed25519Signer
    from ledger.tlog.tiles import TileError, bundle_bytes, parse_path, tile_bytes, tile_exists
    from ledger.tlog.tree import MemoryNodeStore, MerkleTree
    from ledger.tlog.witness import CosignatureSigner

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    envelopes = [bytes(row[0]) for row in conn.execute(
        "SELECT state FROM stored_events WHERE topic = 'serah:record' ORDER BY rowid")]
    conn.close()
    store = MemoryNodeStore()
    tree = MerkleTree(store)
    tree.extend(envelopes)
    log = Ed25519Signer(ORIGIN, seeded("log"))
    witnesses = [CosignatureSigner(f"bench.witness/w{i}", seeded(f"w{i}")) for i in (1, 2)]
    current = {"size": first}

    def note() -> str:
        text = Checkpoint(ORIGIN, current["size"], tree.root(current["size"])).body()
        signed = Checkpoint.parse(text).sign(log)
        return signed + "".join(w.sign(text).line() for w in witnesses)

    cached = {"size": -1, "note": ""}

    async def checkpoint(request: Request) -> Response:
        if cached["size"] != current["size"]:
            cached.update(size=current["size"], note=note())
        return Response(cached["note"], media_type="text/plain; charset=utf-8")

    async def tile(request: Request) -> Response:
        try:
            wanted = parse_path("tile/" + request.path_params["path"])
        except TileError:
            return Response(status_code=404)
        if not tile_exists(wanted, current["size"]):
            return Response(status_code=404)
        start, end = wanted.leaf_range()
        if wanted.is_entries:
            body = bundle_bytes(envelopes[start:end])
        else:
            found = store.get_nodes(wanted.node_keys())
            body = tile_bytes([found[k] for k in wanted.node_keys()])
        return Response(body, media_type="application/octet-stream")

    async def grow(request: Request) -> Response:
        current["size"] = int((await request.body()).decode())
        return Response("ok\n")

    app = Starlette(routes=[Route("/checkpoint", checkpoint), Route("/tile/{path:path}", tile),
                            Route("/grow", grow, methods=["POST"])])
    app.add_middleware(GZipMiddleware, minimum_size=512)
    print("ready", len(envelopes), flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def monitor_child(url: str, folder: str) -> None:
    """One monitor run in a fresh process; prints its figures as JSON."""
    from verifier.monitor import Monitor

    log_key, witness_keys = keys()
    result = Monitor(url, folder, log_key, witness_keys, quorum=2).run()
    report = result.report
    print(json.dumps({"seconds": result.seconds, "bytes": result.bytes_fetched, "requests": result.requests,
                      "new_records": result.new_records, "size": result.size, "counts": report.counts,
                      "by_check": report.by_check, "fatal": report.fatal,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "state_mb": sum(f.stat().st_size for f in Path(folder).iterdir()) / 2**20}))


def run_monitor(url: str, folder: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--monitor", url, "--folder", folder],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--grow", type=int, default=10_000)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--monitor", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.first)
        return
    if args.monitor:
        monitor_child(args.monitor, args.folder)
        return

    total = args.records + args.grow
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    db = out / f"ledger-{total}-v4.sqlite"
    if not db.exists():
        subprocess.run([sys.executable, str(HERE / "bench_verify.py"), "--generate", str(db), "--records",
                        str(total)], check=True)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        have = conn.execute("SELECT count(*) FROM stored_events").fetchone()[0]
    first = have - args.grow
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores", flush=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(db), "--port", str(port), "--first", str(first)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        started = time.perf_counter()
        print("server:", server.stdout.readline().strip(), f"records, tree built in {time.perf_counter() - started:.0f} s",
              flush=True)
        time.sleep(1.0)
        url = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as folder:
            one = run_monitor(url, folder)
            print(f"run 1: {one['new_records']:,} records in {one['seconds']:.1f} s, {one['bytes'] / 2**20:.1f} MiB in "
                  f"{one['requests']:,} requests, peak RSS {one['maxrss_mb']:.0f} MB, state {one['state_mb']:.0f} MB; "
                  f"findings {one['counts']} {one['by_check']} fatal={one['fatal']}", flush=True)
            import urllib.request

            urllib.request.urlopen(urllib.request.Request(f"{url}/grow", data=str(have).encode(), method="POST")).read()
            two = run_monitor(url, folder)
            print(f"run 2 (size {one['size']:,} -> {two['size']:,}): {two['new_records']:,} records in {two['seconds']:.2f} s, {two['bytes'] / 2**20:.2f} MiB in "
                  f"{two['requests']:,} requests, peak RSS {two['maxrss_mb']:.0f} MB; findings {two['counts']} "
                  f"{two['by_check']} fatal={two['fatal']}",
                  flush=True)
        print(f"second / first: time {two['seconds'] / one['seconds']:.2%} (target < 5%), "
              f"bytes {two['bytes'] / one['bytes']:.2%}", flush=True)
        print(f"load after: {os.getloadavg()[0]:.2f} (1 min)", flush=True)
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
