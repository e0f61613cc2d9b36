"""Exporting from a served log: ``serah export --server URL`` (SPEC 11.4 over 10.9).

The exporter holds no database, only the server's URL. It trusts nothing
the server says that it cannot check:

1. ``/v1/ledger`` names the log key and the witness keys; ``/checkpoint``
   is the newest checkpoint the witnesses cosigned to the server's quorum.
   The note must carry the log key's signature; the witness keys kept are
   those whose cosignature on it verifies.
2. Every entry bundle of the checkpoint's tree is read (C2SP tlog-tiles),
   in order, and the root of their leaf hashes must be the checkpoint's
   root: then the records are exactly the log's first *n* records, whatever
   the server's JSON reads say. While reading, a small index is kept (per
   item its records' positions and destination, per key its enrolments and
   revocations, per record the attestations naming it, each record's time
   and leaf hash), not the records themselves: memory follows the number of
   records times a few dozen bytes, not their size.
3. The rules of SPEC 11.4 (``ledger.export.trail.collect``) run over that
   index; the bundles holding the chosen records are read again and each
   record's leaf hash compared with the one kept.
4. Each inclusion proof is folded from the served hash tiles and verified
   against the checkpoint's root before it goes into the bundle.

The cost is one pass over the log up to the checkpoint (the same bytes a
monitor's first run reads), whatever the scope: the only way to know, with
nothing but the tiles, which records name an item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from ledger.errors import Category, SerahError
from ledger.export.trail import Entry, Scope, Trail, collect
from ledger.records import record_id
from ledger.tlog import tiles as T
from ledger.tlog.note import Ed25519Verifier, NoteError, open_checkpoint
from ledger.tlog.tree import ProofError, fold_right, inclusion_plan, leaf_hash, node_hash, verify_inclusion
from ledger.tlog.witness import CosignatureVerifier

__all__ = ["ServedLog", "ServedSource", "ServedUnusable", "served_trail", "served_utc_offset"]

MAX_JSON = 1024 * 1024
MAX_CHECKPOINT = 64 * 1024
MAX_TILE = T.TILE_WIDTH * T.HASH_SIZE
MAX_BUNDLE = T.TILE_WIDTH * (2 + T.MAX_ENTRY_SIZE)


class ServedUnusable(SerahError):
    """The server did not serve what it must, or what it served does not check."""

    category = Category.REFUSED
    code = "export_served_unusable"
    template = "{url}: {detail}"


class ServedLog:
    """GETs under one server URL with bounded bodies (one keep-alive connection)."""

    def __init__(self, url: str, client: Any = None, timeout: float = 30.0) -> None:
        import httpx

        self.url = url.rstrip("/")
        self.client = client or httpx.Client(timeout=timeout, headers={"User-Agent": "serah-export"})
        self.bytes_fetched = 0
        self.requests = 0

    def get(self, path: str, limit: int, *, missing_ok: bool = False) -> bytes | None:
        import httpx

        try:
            with self.client.stream("GET", f"{self.url}/{path}") as answer:
                if answer.status_code == 404 and missing_ok:
                    return None
                if answer.status_code != 200:
                    raise ServedUnusable(url=self.url, detail=f"{path}: HTTP {answer.status_code}")
                body = bytearray()
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise ServedUnusable(url=self.url, detail=f"{path}: more than {limit} bytes")
        except httpx.HTTPError as error:
            raise ServedUnusable(url=self.url, detail=f"{path}: {type(error).__name__}") from None
        self.bytes_fetched += len(body)
        self.requests += 1
        return bytes(body)

    def json(self, path: str) -> dict:
        import json

        data = self.get(path, MAX_JSON)
        try:
            value = json.loads(data or b"")
        except ValueError:
            raise ServedUnusable(url=self.url, detail=f"{path}: not JSON") from None
        if type(value) is not dict:
            raise ServedUnusable(url=self.url, detail=f"{path}: not a JSON object")
        return value

    def close(self) -> None:
        self.client.close()


class ServedSource:
    """``Source`` (ledger.export.trail) over the served log's first ``size`` records."""

    def __init__(self, log: ServedLog, size: int, root: bytes,
                 progress: Callable[[int], None] | None = None) -> None:
        self.log = log
        self.size = size
        self.root = root
        self.leaves = bytearray()  # 32 bytes per record: what re-read records are compared with
        self.chain: dict[str, list[int]] = defaultdict(list)  # item -> positions of records with a line naming it
        self.dest: dict[str, str] = {}  # item -> its register line's dest
        self.times: list[int] = []
        self.enrolments: dict[bytes, list[int]] = defaultdict(list)
        self.revocations: dict[bytes, list[int]] = defaultdict(list)
        self.attested: dict[bytes, list[int]] = defaultdict(list)  # target record id -> witness records
        self._cache: dict[int, list[bytes]] = {}
        self._scan(progress)

    # --- the one pass ------------------------------------------------------------

    def _bundle(self, number: int) -> list[bytes]:
        width = T.tile_width(T.ENTRIES, number, self.size)
        data = self.log.get(T.Tile(T.ENTRIES, number, width).path(), MAX_BUNDLE)
        try:
            return T.parse_bundle(data or b"", width)
        except T.TileError as error:
            raise ServedUnusable(url=self.log.url, detail=f"entry bundle {number}: {error}") from None

    def _scan(self, progress) -> None:
        peaks: list[bytes] = []
        for number in range((self.size + T.TILE_WIDTH - 1) // T.TILE_WIDTH):
            for offset, envelope in enumerate(self._bundle(number)):
                position = number * T.TILE_WIDTH + offset
                digest = leaf_hash(envelope)
                self.leaves += digest
                carries = position
                while carries & 1:
                    digest = node_hash(peaks.pop(), digest)
                    carries >>= 1
                peaks.append(digest)
                self._index(position, envelope)
            if progress is not None:
                progress(min(self.size, (number + 1) * T.TILE_WIDTH))
        if (fold_right(peaks) if peaks else b"") != self.root:
            raise ServedUnusable(url=self.log.url, detail="the entries served do not give the checkpoint's root hash")

    def _index(self, position: int, envelope: bytes) -> None:
        try:
            entry = Entry(position, envelope, b"")
            body, kind = entry.body, entry.type
            time = int(body["time"])
            lines = [(line["item"], line.get("dest")) for line in body.get("lines", ())]
            key: Any = body["key"] if kind in ("enrol", "revoke") else body["target"] if kind == "witness" else None
            for value in (key, *lines):
                hash(value)  # a value that cannot be a dict key is refused here, not half-way through indexing
        except (SerahError, KeyError, TypeError, ValueError, AttributeError):
            self.times.append(0)  # not a record this exporter can read: it can only be left out
            return
        self.times.append(time)
        for item, dest in lines:
            self.chain[item].append(position)
            if kind == "register" and isinstance(dest, str):
                self.dest.setdefault(item, dest)
        if kind == "enrol":
            self.enrolments[key].append(position)
        elif kind == "revoke":
            self.revocations[key].append(position)
        elif kind == "witness":
            self.attested[key].append(position)

    # --- Source --------------------------------------------------------------------

    def entries(self, positions: Sequence[int]) -> list[Entry]:
        found = []
        for position in sorted(set(positions)):
            number = position // T.TILE_WIDTH
            if number not in self._cache:
                if len(self._cache) > 64:
                    self._cache.clear()
                self._cache[number] = self._bundle(number)
            envelope = self._cache[number][position % T.TILE_WIDTH]
            if leaf_hash(envelope) != bytes(self.leaves[32 * position : 32 * position + 32]):
                raise ServedUnusable(url=self.log.url, detail=f"record {position} changed between two reads")
            found.append(Entry(position, envelope, record_id(envelope)))
        return found

    def genesis(self) -> Entry:
        return self.entries([0])[0]

    def chains(self, items: Sequence[str]) -> dict[str, list[Entry]]:
        return {item: self.entries(self.chain.get(item, [])) for item in items}

    def items_at(self, region: str) -> list[str]:
        return sorted(item for item, dest in self.dest.items() if dest.startswith(region))

    def items_touched(self, since: int | None, until: int | None) -> list[str]:
        scope = Scope(since=since, until=until)
        return sorted(item for item, positions in self.chain.items()
                      if any(scope.in_window(self.times[p]) for p in positions))

    def authority(self, keys: Sequence[bytes]) -> list[Entry]:
        positions = []
        for key in keys:
            positions += self.enrolments.get(key, [])[:1] + self.revocations.get(key, [])
        return self.entries(positions)

    def attestations(self, record_ids: Sequence[bytes]) -> list[Entry]:
        return self.entries([p for rid in record_ids for p in self.attested.get(rid, [])])


class ServedProofs:
    """``Proofs`` (ledger.export.bundle) from the served hash tiles, each proof verified against the root."""

    def __init__(self, log: ServedLog, size: int, root: bytes, leaves: bytearray, checkpoint_part: dict) -> None:
        self.log = log
        self.size = size
        self.root = root
        self.leaves = leaves
        self.part = checkpoint_part
        self._tiles: dict[tuple[int, int], list[bytes]] = {}

    def _node(self, level: int, index: int) -> bytes:
        if level % T.TILE_HEIGHT:
            return node_hash(self._node(level - 1, 2 * index), self._node(level - 1, 2 * index + 1))
        tile_level, number = level // T.TILE_HEIGHT, index // T.TILE_WIDTH
        if (tile_level, number) not in self._tiles:
            width = T.tile_width(tile_level, number, self.size)
            data = self.log.get(T.Tile(tile_level, number, width).path(), MAX_TILE)
            try:
                self._tiles[(tile_level, number)] = T.parse_tile(data or b"", width)
            except T.TileError as error:
                raise ServedUnusable(url=self.log.url, detail=f"tile {tile_level}/{number}: {error}") from None
        return self._tiles[(tile_level, number)][index % T.TILE_WIDTH]

    def inclusion_proofs(self, indexes: Sequence[int]) -> list[list[bytes]]:
        proofs = []
        for index in indexes:
            proof = [fold_right([self._node(level, i) for level, i in step]) for step in inclusion_plan(index, self.size)]
            try:
                verify_inclusion(bytes(self.leaves[32 * index : 32 * index + 32]), index, self.size, proof, self.root)
            except ProofError:
                raise ServedUnusable(url=self.log.url,
                                     detail=f"the hash tiles do not prove record {index} in the checkpoint") from None
            proofs.append(proof)
        return proofs

    def checkpoint(self) -> dict:
        return self.part


def _checked_checkpoint(log: ServedLog) -> tuple[int, bytes, dict]:
    info = log.json("v1/ledger")
    log_key, witness_keys = info.get("log_key"), info.get("witness_keys", [])
    if type(log_key) is not str or type(witness_keys) is not list or not all(type(k) is str for k in witness_keys):
        raise ServedUnusable(url=log.url, detail="v1/ledger: no log key")
    served = log.get("checkpoint", MAX_CHECKPOINT, missing_ok=True)
    if served is None:
        raise ServedUnusable(url=log.url, detail="no checkpoint cosigned by the witnesses' quorum yet (404)")
    try:
        text = served.decode("utf-8")
        checkpoint, note = open_checkpoint(text, Ed25519Verifier.from_verifier_key(log_key))
    except (UnicodeDecodeError, NoteError) as error:
        raise ServedUnusable(url=log.url, detail=f"checkpoint: {error}") from None
    cosigned = []
    for vkey in witness_keys:
        try:
            witness = CosignatureVerifier.from_verifier_key(vkey)
        except NoteError:
            continue
        if any(s.name == witness.name and s.key_id == witness.key_id and witness.verify(note.text, s.signature)
               for s in note.signatures):
            cosigned.append(vkey)
    if checkpoint.size == 0:
        raise ServedUnusable(url=log.url, detail="the checkpoint is of an empty log")
    return checkpoint.size, checkpoint.root_hash, {"log": log_key, "note": text, "witnesses": sorted(set(cosigned))}


def served_utc_offset(url: str, client: Any = None) -> int:
    """The ledger's ``utc_offset`` (minutes) from the genesis ``/v1/ledger`` returns: to read local times given."""
    import base64

    log = ServedLog(url, client)
    try:
        genesis = log.json("v1/ledger").get("genesis")
        offset = Entry(0, base64.b64decode(str(genesis), validate=True), b"").body["utc_offset"]
    except (SerahError, ValueError, KeyError, TypeError):
        raise ServedUnusable(url=url, detail="v1/ledger: no readable genesis") from None
    finally:
        log.close()
    if type(offset) is not int:
        raise ServedUnusable(url=url, detail="v1/ledger: no readable genesis")
    return offset


def served_trail(url: str, scope: Scope, *, client: Any = None, progress=None,
                 collecting=None) -> tuple[Trail, ServedProofs, ServedLog]:
    """The trail of ``scope`` in the served log and proofs against its cosigned checkpoint."""
    log = ServedLog(url, client)
    size, root, part = _checked_checkpoint(log)
    source = ServedSource(log, size, root, progress)
    trail = collect(source, scope, collecting)
    return trail, ServedProofs(log, size, root, source.leaves, part), log
