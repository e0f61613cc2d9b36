"""Hostile evidence bundles are refused fast and in little memory (SPEC 11.1 limits).

    python bench/bench_hostile_bundle.py            # writes ~2.3 GB of files in a temp folder, then deletes them

Each file is checked by ``python -m verifier FILE`` in a child process; the
wall time and the child's peak resident memory (``wait4``'s ``ru_maxrss``) are
printed. The files:

* ``2gb-ints``: a bundle whose records part is one array of 2 GB of small
  integers (the adversarial review's 200 MB case, ten times larger);
* ``255mb-ints``: the same just under the 256 MiB cap, so that the shape walk
  (not the size) refuses it: an array whose first element is an integer;
* ``255mb-count``: an array header claiming four billion records;
* ``255mb-manifest``: a manifest of 200 MB (an array of integers).

Targets (issue #13): every file refused (exit 2) in under 10 s with a peak
under 100 MB. The load of the machine is printed with the figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgpack

ROOT = Path(__file__).resolve().parent.parent
GB = 2**30
MB = 2**20


def _bin_header(length: int) -> bytes:
    return b"\xc6" + length.to_bytes(4, "big")


def hostile(path: Path, records_payload_bytes: int, *, count: int | None = None, manifest_bytes: int = 0) -> None:
    """A bundle container around a records part of ``records_payload_bytes`` bytes of 0x01 (small ints)."""
    small = {name: msgpack.packb(value, use_bin_type=True) for name, value in
             {"checkpoint": {"log": "x", "note": "x", "witnesses": []}, "keys": [], "proofs": []}.items()}
    manifest = msgpack.packb({"created": 0}, use_bin_type=True)
    if manifest_bytes:
        manifest = b"\xdd" + (manifest_bytes - 5).to_bytes(4, "big")  # array 32 of small ints follows
    records_head = b"\xdd" + (count if count is not None else records_payload_bytes).to_bytes(4, "big")
    with open(path, "wb") as out:
        out.write(b"\x84\xa6format\xacserah-bundle\xa8manifest" + _bin_header(max(len(manifest), manifest_bytes)))
        out.write(manifest)
        _fill(out, manifest_bytes - len(manifest))
        out.write(b"\xa5parts\x84")
        for name in ("checkpoint", "keys", "proofs"):
            out.write(msgpack.packb(name) + msgpack.packb(small[name], use_bin_type=True))
        out.write(msgpack.packb("records") + _bin_header(len(records_head) + records_payload_bytes) + records_head)
        _fill(out, records_payload_bytes)
        out.write(b"\xa1v\x01")


def _fill(out, n: int) -> None:
    chunk = b"\x01" * (16 * MB)
    while n > 0:
        out.write(chunk[: min(n, len(chunk))])
        n -= len(chunk)


def measure(path: Path) -> tuple[int, float, float, str]:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "verifier", str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    err = child.stderr.read().decode(errors="replace").strip()
    return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024, err


def main() -> int:
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores")
    cases = {
        "2gb-ints": dict(records_payload_bytes=2 * GB),
        "255mb-ints": dict(records_payload_bytes=255 * MB, count=255 * MB // 200),
        "255mb-count": dict(records_payload_bytes=255 * MB, count=2**32 - 1),
        "255mb-manifest": dict(records_payload_bytes=1 * MB, manifest_bytes=200 * MB),
    }
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for name, spec in cases.items():
            path = Path(folder) / f"{name}.bukti"
            hostile(path, **spec)
            code, seconds, peak, err = measure(path)
            ok = code == 2 and seconds < 10 and peak < 100
            failed |= not ok
            print(f"{name:15} {path.stat().st_size / MB:8,.0f} MB  exit {code}  {seconds:6.2f} s  peak {peak:6.1f} MB  "
                  f"{'ok' if ok else 'OVER TARGET'}  | {err[:110]}")
            path.unlink()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
