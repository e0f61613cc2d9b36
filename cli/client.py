"""The one place the CLI talks to a ``serah serve`` server (``--server URL``).

:class:`ServerClient` is a thin httpx client: one method per route, every
answer bounded and checked, a refusal turned back into the ledger error the
server raised (same ``code``, same class name, so the same translated line
and exit status as a local refusal), a network failure into one line.

:class:`RemoteLedger` lets every command that opens a ledger run against a
server unchanged: it is a :class:`~ledger.application.Ledger` whose storage
is the server. Records are still built and signed here, with the same code
as locally (``Ledger.prepare``, ``accept`` ...), from item and key state the
server derived from signed records; then they are submitted, and the
server checks them again. Private keys never leave this machine.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from cli import errors
from cli.errors import CliError

__all__ = ["MAX_ANSWER", "RemoteLedger", "ServerClient", "server_error"]

MAX_ANSWER = 64 * 1024 * 1024  #: the largest answer read from a server
TIMEOUT = float(os.environ.get("SERAH_SERVER_TIMEOUT", "60"))


def server_error(status: int, payload: Any) -> Exception:
    """The ledger error a server answered with, rebuilt: class name, code,
    category and params kept, so ``cli.errors.exit_code_for`` and the
    catalogue treat it exactly like the same refusal made locally (the exit
    status is the category the server named, else the one its HTTP status
    implies)."""
    from ledger.errors import Category, SerahError
    from ledger.server.status import category_for_status

    info = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(info, dict) or not isinstance(info.get("code"), str):
        return CliError("error.server_answer", errors.USAGE, status=status, detail="no error in the answer")
    name = str(info.get("class") or "SerahError")
    if not name.isidentifier():
        name = "SerahError"
    params = {str(k): _param(v) for k, v in (info.get("params") or {}).items()}
    named = info.get("category")
    if isinstance(named, str) and named.upper() in Category.__members__:
        category = Category[named.upper()]
    else:
        category = category_for_status(status)
    cls: Any = type(name, (SerahError,), {"code": info["code"], "category": category,
                                          "template": str(info.get("message") or "{detail}")})
    error = cls.__new__(cls)
    error.params = params
    Exception.__init__(error, str(info.get("message") or info["code"]))
    error.status = status
    return error


def _param(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"hex"}:
        try:
            return bytes.fromhex(str(value["hex"]))
        except ValueError:
            return str(value["hex"])
    if isinstance(value, list):
        return [_param(v) for v in value]
    return value


class ServerClient:
    """HTTP calls to one server. ``url``: ``http://host:port`` (or https)."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT, transport: Any = None) -> None:
        import httpx

        url = url.rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise CliError("error.bad_server", errors.USAGE, server=url)
        self.url = url
        self._http = httpx.Client(base_url=url, timeout=timeout, transport=transport, follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    # --- plumbing

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        import httpx

        try:
            with self._http.stream(method, path, **kwargs) as response:
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_ANSWER:
                        raise CliError("error.server_answer", errors.USAGE, status=response.status_code,
                                       detail="answer too large")
        except httpx.HTTPError as error:
            raise CliError("error.server_unreachable", errors.USAGE, server=self.url,
                           detail=type(error).__name__) from None
        if response.status_code >= 400:
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            raise server_error(response.status_code, payload)
        return response, body

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        _, body = self._call(method, path, **kwargs)
        try:
            return json.loads(body)
        except ValueError:
            raise CliError("error.server_answer", errors.USAGE, status=200, detail="not JSON") from None

    # --- routes

    def submit(self, body: bytes) -> dict[str, Any]:
        """POSTs an envelope or a handover file; the answer names each record's
        position and carries its signed receipt."""
        return self._json("POST", "/v1/submissions", content=body,
                          headers={"Content-Type": "application/octet-stream"})

    def record(self, record_id: bytes) -> tuple[bytes, int]:
        response, body = self._call("GET", f"/v1/records/{record_id.hex()}")
        from ledger import records

        if records.record_id(body) != record_id:
            raise CliError("error.server_answer", errors.TAMPER, status=200, detail="record bytes do not match their id")
        return body, int(response.headers.get("Serah-Position", "-1"))

    def ledger(self) -> dict[str, Any]:
        return self._json("GET", "/v1/ledger")

    def item(self, item_id: str) -> dict[str, Any]:
        return self._json("GET", f"/v1/items/{item_id}")

    def history(self, item_id: str) -> list[dict[str, Any]]:
        return self._json("GET", f"/v1/items/{item_id}/history")

    def holdings(self, key: bytes) -> list[dict[str, Any]]:
        return self._json("GET", f"/v1/keys/{key.hex()}/holdings")

    def incoming(self, key: bytes) -> list[dict[str, Any]]:
        return self._json("GET", f"/v1/keys/{key.hex()}/incoming")

    def state(self, ids: Sequence[UUID]) -> dict[str, Any]:
        return self._json("POST", "/v1/state", json={"ids": [u.hex for u in ids]})


def _transcoder() -> Any:
    """The JSON transcoder eventsourcing applications use by default (as the server's)."""
    from eventsourcing.persistence import (
        DatetimeAsISO,
        DecimalAsStr,
        JSONTranscoder,
        UUIDAsHex,
    )

    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    return transcoder


def _ledger_class() -> type:
    """``RemoteLedger``'s base, imported on use (``serah --help`` must not pay for eventsourcing)."""
    from ledger.application import Ledger

    return Ledger


class _RemoteMixin:
    """Storage calls of ``Ledger`` answered by a server (see the module docstring)."""

    def __init__(self, url: str) -> None:  # no Application.__init__: there is no database here
        from ledger import records

        self.client = ServerClient(url)
        self._clock = records.now_ms
        self._genesis = None
        self._genesis_body = None
        self._tlog = None
        self._transcoder = _transcoder()
        self.receipts: list[dict[str, Any]] = []  #: answers of this process's submissions

    def close(self) -> None:
        self.client.close()

    # --- storage, remotely

    def _load(self, ids: Sequence[UUID], key_ids: Sequence[UUID] = ()) -> dict[UUID, Any]:
        from eventsourcing.domain import Snapshot

        from ledger.application import _StoredRecord
        from ledger.server.service import SNAPSHOT_TOPICS

        wanted = list(dict.fromkeys([*ids, *key_ids]))
        found: dict[UUID, Any] = {}
        for start in range(0, len(wanted), 1000):
            page = wanted[start : start + 1000]
            answer = self.client.state(page)
            for uid in page:
                entry = answer.get(uid.hex)
                if entry is None:
                    continue
                if "envelope" in entry:
                    found[uid] = _StoredRecord(base64.b64decode(entry["envelope"]))
                    continue
                if entry.get("topic") not in SNAPSHOT_TOPICS:  # never resolve a topic the server makes up
                    raise CliError("error.server_answer", errors.USAGE, status=200, detail="unexpected aggregate")
                state = self._transcoder.decode(base64.b64decode(entry["state"]))
                snapshot = Snapshot(
                    originator_id=uid,
                    originator_version=int(entry["version"]),
                    timestamp=Snapshot.create_timestamp(),
                    topic=entry["topic"],
                    state=state,
                )
                found[uid] = snapshot.mutate(None)
        return found

    def _load_genesis(self) -> Any:
        if self._genesis is None:
            from ledger.domain import GENESIS_ID

            self._genesis = self._load([GENESIS_ID]).get(GENESIS_ID)
        return self._genesis

    def _record_envelopes(self, ids: Sequence[bytes]) -> dict[bytes, bytes]:
        out = {}
        for rid in ids:
            try:
                out[rid] = self.client.record(rid)[0]
            except Exception as error:
                if getattr(error, "code", None) != "unknown_record":
                    raise
        return out

    def positions(self, record_ids: Sequence[bytes]) -> dict[bytes, int]:
        out = {}
        for rid in record_ids:
            try:
                out[rid] = self.client.record(rid)[1]
            except Exception as error:
                if getattr(error, "code", None) != "unknown_record":
                    raise
        return out

    def _commit(self, work: Any) -> None:
        envelopes = [rec.raw for rec in work.new_records.values()]
        self._send(envelopes)

    def submit_many(self, envelopes: Iterable[bytes], *, skip_known: bool = False) -> list[bytes]:
        """Submits records signed elsewhere; the server skips those already
        present (a re-submission is answered, not refused)."""
        from ledger import records

        envelopes = [bytes(e) for e in envelopes]
        self._send(envelopes)
        return [records.record_id(e) for e in envelopes]

    def _send(self, envelopes: list[bytes]) -> None:
        from ledger import records
        from ledger.encoding import encode

        if len(envelopes) == 1:
            body = envelopes[0]
        else:
            body = encode({"format": records.HANDOVER_FORMAT, "v": 1, "records": envelopes})
        answer = self.client.submit(body)
        self.receipts += list(answer.get("records") or [])

    # --- reads the server answers from its own derived state

    def history(self, item_id: str) -> list[Any]:
        from ledger.application import RecordView

        views = []
        for v in self.client.history(item_id):
            views.append(
                RecordView(
                    v["position"], bytes.fromhex(v["id"]), v["type"], v["time"], bytes.fromhex(v["author"]),
                    [bytes.fromhex(c) for c in v["cosigners"]], _bytes_back(v["summary"]), _bytes_back(v["line"]),
                    v["via"],
                )
            )
        return views

    def holdings(self, key: bytes) -> list[Any]:
        return [_item_state(s) for s in self.client.holdings(key)]

    def records(self, after: int = 0) -> Any:
        raise CliError("error.not_over_server", errors.USAGE)

    _DATABASE_ONLY = frozenset({"recorder", "events", "repository", "factory", "notification_log", "snapshots"})

    def __getattr__(self, name: str) -> Any:
        """The database itself (views, checkpoints, exports read it) is not
        reachable through a server: one clear line instead of a fault."""
        if name in _RemoteMixin._DATABASE_ONLY:
            raise CliError("error.not_over_server", errors.USAGE)
        raise AttributeError(name)


_KEY_FIELDS = {"to", "author", "key", "handover", "target", "prev", "escorts", "witnesses", "ledger"}


def _bytes_back(value: Any, name: str = "") -> Any:
    """History summaries and lines come back with bytes as hex; the fields
    that are keys or ids are made bytes again, as ``Ledger.history`` gives them."""
    if isinstance(value, dict):
        return {k: _bytes_back(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_bytes_back(v, name) for v in value]
    if isinstance(value, str) and name in _KEY_FIELDS and len(value) == 64:
        try:
            return bytes.fromhex(value)
        except ValueError:
            return value
    return value


def _item_state(s: dict[str, Any]) -> Any:
    from ledger.application import ItemState

    return ItemState(
        id=s["id"], kind=s["kind"], dest=s["dest"], qty=s["qty"], election=s["election"], dapil=s["dapil"],
        holder=bytes.fromhex(s["holder"]), state=s["state"], location=s["location"], seals=list(s["seals"]),
        container=s["container"], contents=list(s["contents"]), head=bytes.fromhex(s["head"]),
        pending_handover=bytes.fromhex(s["pending_handover"]) if s["pending_handover"] else None,
        serial=s["serial"], label=s["label"], condition=s["condition"], tally=s["tally"], time=s["time"],
    )


def RemoteLedger(url: str) -> Any:
    """A ledger served by ``url`` (see :class:`_RemoteMixin`)."""
    global _REMOTE_CLASS
    if _REMOTE_CLASS is None:
        _REMOTE_CLASS = type("RemoteLedger", (_RemoteMixin, _ledger_class()), {})
    return _REMOTE_CLASS(url)


_REMOTE_CLASS: type | None = None
