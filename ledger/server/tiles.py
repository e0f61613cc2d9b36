"""The log's read API for everyone: C2SP tlog-tiles over HTTP, and the checkpoint.

- ``GET /checkpoint``: the newest checkpoint the server signed, with the
  cosignatures of the witnesses it was told to trust (``--witness-key``)
  that verify. A cosignature row in the database is NOT believed because
  it is there (issue 12's second attack: a fake key named like Bawaslu's
  added to ``serah_tlog_cosignature``): each is checked against the
  configured keys, by key and signature, every time.
- ``GET /tile/<L>/<N>[.p/<W>]`` and ``GET /tile/entries/<N>[.p/<W>]``: tiles
  and entry bundles (``ledger.tlog.tiles`` names them, ``TileSource`` reads
  them). Full tiles never change: cached for a year, ``immutable``; partial
  ones for a few seconds.

Record size: an entry bundle prefixes each entry with a uint16 length, so
the server refuses any record larger than 65,535 bytes (SPEC 12.3); every
record it appends can then be served in a bundle.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ledger.tlog.note import NoteError, open_note
from ledger.tlog.tile_source import TileNotFound, TileSource
from ledger.tlog.tiles import TileError, parse_path
from ledger.tlog.witness import CosignatureVerifier

__all__ = ["routes", "served_checkpoint"]

log = logging.getLogger("serah.server")

_IMMUTABLE = "public, max-age=31536000, immutable"
_SHORT = "public, max-age=5"
#: How many of the newest checkpoints are looked at for one that met the quorum;
#: witnesses away for longer are caught up to the newest one anyway.
QUORUM_LOOKBACK = 64


def served_checkpoint(service: Any) -> str | None:
    """The newest stored checkpoint with only the cosignatures that verify
    against the configured witness keys; None before the first checkpoint."""
    quorum = getattr(service.config, "quorum", 0)
    if quorum:
        return _quorum_checkpoint(service, quorum)
    latest = service.tlog.latest_checkpoint()
    if latest is None:
        return None
    verifiers = []
    for text in service.config.witness_keys:
        try:
            verifiers.append(CosignatureVerifier.from_verifier_key(text))
        except (NoteError, ValueError):
            log.warning("witness key %r is not a cosignature/v1 verifier key; ignored", text[:40])
    lines = []
    for cosignature in latest.cosignatures:
        try:
            open_note(latest.note + cosignature.line, verifiers)
        except NoteError:
            continue  # unknown key, or a known key's bad signature: not served
        lines.append(cosignature.line)
    return latest.note + "".join(lines)


def _quorum_checkpoint(service: Any, quorum: int) -> str | None:
    """The newest of the recent checkpoints that ``quorum`` configured witnesses cosigned
    (``ledger.server.witnessing`` collects them); None while none has."""
    verifiers = [endpoint.verifier for endpoint in service.config.witnesses]
    for stored in service.tlog.recent_checkpoints(QUORUM_LOOKBACK):
        lines = []
        for cosignature in stored.cosignatures:
            try:
                open_note(stored.note + cosignature.line, verifiers)
            except NoteError:
                continue
            lines.append(cosignature.line)
        if len(lines) >= quorum:
            return stored.note + "".join(lines)
    return None


def routes(service: Any) -> list[BaseRoute]:
    source = TileSource(service.tlog)

    async def checkpoint(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        note = await run_in_threadpool(served_checkpoint, service)
        if note is None:
            return Response("no checkpoint yet\n", status_code=404, media_type="text/plain")
        return Response(note, media_type="text/plain; charset=utf-8", headers={"Cache-Control": "no-cache"})

    async def tile(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        try:
            wanted = parse_path("tile/" + request.path_params["path"])
        except TileError:
            return Response("not a tile path\n", status_code=404, media_type="text/plain")
        try:
            body = await run_in_threadpool(source.read, wanted)
        except TileNotFound:
            return Response("no such tile yet\n", status_code=404, media_type="text/plain")
        return Response(body, media_type="application/octet-stream",
                        headers={"Cache-Control": _SHORT if wanted.is_partial else _IMMUTABLE})

    return [Route("/checkpoint", checkpoint), Route("/tile/{path:path}", tile)]
