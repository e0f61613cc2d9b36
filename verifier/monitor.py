"""Monitor mode: ``python -m verifier https://log.example/`` / ``serah verify https://...``.

A monitor (a Bawaslu office, a party, a journalist) follows a served log
over C2SP tlog-tiles with nothing but the log's URL, the pinned log key and
the witnesses' keys:

1. fetch ``/checkpoint``; it must carry the pinned log key's signature (T1)
   and cosignatures of at least ``quorum`` pinned witnesses (T2);
2. compare it with the last checkpoint this monitor verified (kept in its
   state folder): a smaller tree, or the same size with another root, or a
   consistency proof (computed from the tiles) that fails is a split view
   (T6): both signed notes are written to an evidence file;
3. fetch only the entry bundles and level-0 tiles of the new records, in
   parallel (gzip accepted, every body bounded), check each entry's leaf
   hash against its tile, extend the saved tree frontier with them and
   require the checkpoint's root (T4), and run every V check on the new
   records, resuming the checks' state saved by the previous run;
4. save the new checkpoint, frontier and checks' state atomically.

Memory is bounded by a window of bundles in flight, not by the log's size.
The state folder is read as data only (``verifier.monitor_state``: JSON and
msgpack, bounded, versioned, no pickle): a folder someone swapped makes the
monitor refuse (exit 2) or re-check, never run code. Standard library and
msgpack only (HTTP with ``http.client``).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from verifier import checks, note, sign
from verifier import tiles as vt
from verifier.merkle import RootBuilder, VerificationError, hash_leaf, verify_consistency
from verifier.monitor_state import MonitorFolder, StateError, encode_rules
from verifier.report import ERROR, Finding, Report

MAX_CHECKPOINT = 64 * 1024
MAX_TILE = vt.WIDTH * vt.HASH
MAX_BUNDLE = vt.WIDTH * (2 + 0xFFFF)
WINDOW = 32  # bundles in flight: ~8k records, a few MB
WORKERS = 8


class FetchError(Exception):
    """The log did not serve something it must (status, size, encoding)."""


class HttpLog:
    """GETs under one URL prefix: one keep-alive connection per thread, gzip, bounded bodies."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.bytes_fetched = 0
        self.requests = 0
        self._local = threading.local()
        self._count = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            conn = kind(self.host, self.port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def get(self, path: str, limit: int) -> bytes:
        for attempt in (1, 2):  # a keep-alive connection the server closed is opened once more
            conn = self._connection()
            try:
                conn.request("GET", f"{self.prefix}/{path}", headers={"Accept-Encoding": "gzip, identity",
                                                                       "User-Agent": "serah-monitor"})
                response = conn.getresponse()
                wire = limit + limit // 64 + 1024  # gzip of incompressible bytes is a little longer
                raw = response.read(wire + 1)
                if len(raw) > wire:
                    conn.close()
                    self._local.conn = None
                    raise FetchError(f"{path}: more than {limit} bytes")
                status, encoding = response.status, (response.getheader("Content-Encoding") or "").lower()
                break
            except (http.client.HTTPException, OSError) as error:
                conn.close()
                self._local.conn = None
                if attempt == 2:
                    raise FetchError(f"{path}: {type(error).__name__}: {error}") from None
        with self._count:
            self.bytes_fetched += len(raw)
            self.requests += 1
        if status != 200:
            raise FetchError(f"{path}: HTTP {status}")
        if encoding == "gzip":
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            body = inflater.decompress(raw, limit + 1)
            if len(body) > limit or inflater.unconsumed_tail:
                raise FetchError(f"{path}: decompresses to more than {limit} bytes")
            return body
        if encoding not in ("", "identity"):
            raise FetchError(f"{path}: unsupported Content-Encoding {encoding!r}")
        return raw

    def many(self, paths: Sequence[str], limit: int, pool: ThreadPoolExecutor) -> list[bytes]:
        return list(pool.map(lambda p: self.get(p, limit), paths))


@dataclass
class MonitorResult:
    """A run's report plus what the monitor did."""

    report: Report
    url: str
    size: int = 0  #: the checkpoint size verified this run (or still the previous one)
    previous_size: int = 0
    new_records: int = 0
    bytes_fetched: int = 0
    requests: int = 0
    seconds: float = 0.0
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**self.report.as_dict(), "monitor": {
            "url": self.url, "size": self.size, "previous_size": self.previous_size, "new_records": self.new_records,
            "bytes_fetched": self.bytes_fetched, "requests": self.requests, "seconds": round(self.seconds, 3),
            "evidence": self.evidence}}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class MonitorState:
    """The folder: ``state.json`` and its checks file (``verifier.monitor_state``), and evidence files."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self._files = MonitorFolder(self.folder)

    def load(self, report: Report | None = None) -> tuple[dict | None, checks.Rules | None]:
        """The last verified checkpoint and the checks' state; StateError for a folder that is not one."""
        return self._files.load(report)

    def save(self, data: dict, rules_blob: bytes) -> None:
        self._files.save(data, rules_blob)

    def evidence(self, reason: str, first: str, second: str, detail: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        pair = hashlib.sha256(first.encode() + b"\x00" + second.encode()).hexdigest()[:16]
        kept = sorted(self.folder.glob(f"split-view-*-{pair}.json"))
        if kept:
            return str(kept[0])  # this pair of notes is already kept: one file, however often it is seen
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = self.folder / f"split-view-{stamp}-{pair}.json"
        record = {"reason": reason, "detail": detail, "found": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "note_verified_before": first, "note_served_now": second,
                  "how_to_check": "both notes carry the log's signature (and witnesses' cosignatures): "
                                  "the log signed two histories that cannot both be true"}
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(json.dumps(record, indent=2) + "\n")
        return str(path)


class Monitor:
    """Follows one log URL; ``run()`` verifies what is new since the previous run."""

    def __init__(self, url: str, folder: str | os.PathLike, log_key: str, witness_keys: Sequence[str] = (),
                 quorum: int = 0, progress: Callable[[int, float | None], None] | None = None,
                 backend: str | None = None, workers: int = WORKERS) -> None:
        self.url = url.rstrip("/")
        self.http = HttpLog(self.url)
        self.state = MonitorState(folder)
        self.log_key = note.parse_verifier_key(log_key)
        self.witness_keys = [note.parse_verifier_key(k) for k in witness_keys]
        self.quorum = quorum
        self.progress = progress
        self.backend = sign.backend(backend)
        self.workers = workers

    def run(self) -> MonitorResult:
        started = time.perf_counter()
        report = Report(source=self.url)
        report.backend = self.backend.name
        result = MonitorResult(report, self.url)
        try:
            with ThreadPoolExecutor(self.workers) as pool:
                self._run(result, pool)
        except FetchError as error:
            report.fatal = ("monitor_fetch", {"url": self.url, "detail": str(error)})
        except StateError as error:
            report.fatal = ("monitor_state", {"url": self.url, "detail": str(error)})
        finally:
            result.bytes_fetched, result.requests = self.http.bytes_fetched, self.http.requests
            result.seconds = report.seconds = time.perf_counter() - started
        return result

    def _find(self, report: Report, check: str, code: str, position: int | None = None, **params) -> None:
        report.add(Finding(check, ERROR, code, params, None, None, position))

    def _run(self, result: MonitorResult, pool: ThreadPoolExecutor) -> None:
        report = result.report
        served = self.http.get("checkpoint", MAX_CHECKPOINT).decode("utf-8", "replace")
        try:
            checkpoint = note.verify_checkpoint(served, self.log_key, self.witness_keys, self.quorum)
        except note.NoteVerificationError as error:
            code = "tlog_quorum" if "quorum" in str(error) else "tlog_checkpoint_signature"
            self._find(report, "T2" if code == "tlog_quorum" else "T1", code, size="?", source=self.url,
                       detail=str(error), have="?", quorum=self.quorum)
            return
        saved, rules = self.state.load(report)
        old_size = saved["size"] if saved else 0
        old_root = bytes.fromhex(saved["root"]) if saved else hashlib.sha256(b"").digest()
        old_note = saved["note"] if saved else ""
        result.previous_size = result.size = old_size
        n, root = checkpoint.size, checkpoint.root_hash
        if n < old_size or (n == old_size and root != old_root):
            code = "tlog_split_view" if n == old_size else "tlog_inconsistent"
            path = self.state.evidence(code, old_note, served, f"verified {old_size} before, served {n} now")
            result.evidence.append(path)
            self._find(report, "T6", code, n, size=n, old=old_size, new=n, other=old_note.split("\n")[2],
                       source=path)
            return
        if n == old_size:
            return  # nothing new; the checkpoint is the same tree
        if old_size:
            ranges = vt.consistency_ranges(old_size, n)
            hashes = self._tiles(vt.tiles_for_ranges(ranges, n), pool)
            proof = [hashes.range_hash(lo, hi) for lo, hi in ranges]
            try:
                verify_consistency(old_size, n, old_root, root, proof)
            except VerificationError as error:
                path = self.state.evidence("tlog_inconsistent", old_note, served, str(error))
                result.evidence.append(path)
                self._find(report, "T6", "tlog_inconsistent", n, old=old_size, new=n, other=old_note.split("\n")[2],
                           source=path)
                return
        builder = RootBuilder()
        if saved:
            builder.count, builder._peaks = saved["count"], [bytes.fromhex(p) for p in saved["peaks"]]
        if rules is None:
            rules = checks.Rules(report)
        rules.report = report
        position = old_size
        ids: list[tuple[int, bytes]] = []
        bundles = [(i, vt.width_in(vt.BUNDLE, i, n)) for i in range(old_size // vt.WIDTH, (n - 1) // vt.WIDTH + 1)]
        for start in range(0, len(bundles), WINDOW):
            window = bundles[start : start + WINDOW]
            paths = [vt.tile_url_path((vt.BUNDLE, i, w)) for i, w in window]
            paths += [vt.tile_url_path((0, i, w)) for i, w in window]
            bodies = self.http.many(paths, MAX_BUNDLE, pool)
            for k, (index, width) in enumerate(window):
                entries = vt.split_bundle(bodies[k], width)
                level0 = vt.split_tile(bodies[len(window) + k], width)
                skip = position - index * vt.WIDTH
                rows = []
                for offset in range(skip, width):
                    entry = entries[offset]
                    leaf = hash_leaf(entry)
                    if leaf != level0[offset]:
                        self._find(report, "T4", "tlog_root_mismatch", position, size=n, source=self.url)
                    builder.add_hash(leaf)
                    rows.append((position, entry))
                    ids.append((position, hashlib.sha256(entry).digest()))
                    position += 1
                for (where, _raw), examined in zip(rows, checks.examine_batch(rows, self.backend), strict=True):
                    _w, rid, kind, body, cosigners, problems, count = examined
                    report.signatures += count
                    rules.record(where, rid, kind, body, cosigners, problems)
            if self.progress is not None:
                self.progress(position - old_size, (position - old_size) / (n - old_size))
        result.new_records = report.records = position - old_size
        if builder.root() != root:
            self._find(report, "T4", "tlog_root_mismatch", n, size=n, source=self.url)
            return  # the served entries are not the checkpoint's tree: keep the last verified state
        blob = encode_rules(rules)  # before finish(): the state after record n - 1, as the next run resumes it
        rules.finish(iter(ids))
        rules.v19_open_at_end()
        self.state.save({"url": self.url, "size": n, "root": root.hex(), "note": served,
                         "count": builder.count, "peaks": [p.hex() for p in builder._peaks],
                         "verified": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, blob)
        result.size = n

    def _tiles(self, need: set[vt.TileKey], pool: ThreadPoolExecutor) -> vt.TileHashes:
        keys = sorted(need)
        bodies = self.http.many([vt.tile_url_path(k) for k in keys], MAX_TILE, pool)
        hashes = vt.TileHashes()
        for (level, index, width), body in zip(keys, bodies, strict=True):
            hashes.add(level, index, vt.split_tile(body, width))
        return hashes


def compare_note(result: MonitorResult, state: MonitorState, other_note: str, log_key: str) -> None:
    """Another monitor's (or a witness's) checkpoint of the same log: same size and another root is a split view."""
    key = note.parse_verifier_key(log_key)
    try:
        saved, _ = state.load()
    except StateError:
        return  # the run itself reported the folder as unusable
    if not saved:
        return
    try:
        other = note.verify_checkpoint(other_note, key)
    except note.NoteVerificationError:
        return
    if other.size == saved["size"] and other.root_hash.hex() != saved["root"]:
        path = state.evidence("tlog_split_view", saved["note"], other_note, "two checkpoints of one size")
        result.evidence.append(path)
        result.report.add(Finding("T6", ERROR, "tlog_split_view",
                                  {"size": other.size, "other": _b64(other.root_hash), "source": path},
                                  None, None, other.size))


__all__ = ["FetchError", "HttpLog", "Monitor", "MonitorResult", "MonitorState", "StateError", "compare_note"]
