"""The HTTP face of the ledger service: routes, limits, error mapping.

``create_app(service)`` returns a Starlette application. Routes live under
``/v1/`` (JSON and record bytes for the CLI), ``/healthz``, and the C2SP
tlog-tiles paths; ``/`` is left free for the read-only dashboard, mounted
with ``extra_routes`` (Starlette routes or mounts, appended after ours).

Answers follow each refusal's category (``ledger.errors.Category``, the CLI's
exit status) through one table (``ledger.server.status``), which also names
the few refusals HTTP has a finer status for (413, 429, 404):

======================  =======  ====================================================
refusal                 status   examples
======================  =======  ====================================================
malformed, unusable     400      not SCE, not a record, bad JSON, unknown item
body too large          413
bad signature, tamper   422      signature does not verify, stale ``prev``, other ledger
refused by the rules    409      not the holder, in transit, revoked key, future time
conflict, busy          503      queue full, storage disagreement (``Retry-After``)
rate limited            429      ``Retry-After``
======================  =======  ====================================================

Every refusal is ``{"error": {"code", "class", "category", "params", "message"}}``: the
CLI turns ``code`` and ``params`` into the same translated line it prints
for a local refusal. Nothing else leaves: an unexpected fault is logged and
answered ``500 {"error": {"code": "internal"}}``, never with a traceback.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import AsyncIterator, MutableMapping, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ledger import records
from ledger.errors import SerahError
from ledger.server.errors import Busy, Malformed, TooLarge
from ledger.server.service import Service
from ledger.server.status import status_for

__all__ = ["create_app"]

access = logging.getLogger("serah.server.access")
log = logging.getLogger("serah.server")


def _error_body(error: SerahError) -> dict[str, Any]:
    params = {k: _plain(v) for k, v in (error.params or {}).items()}
    return {"error": {"code": error.code, "class": type(error).__name__, "category": error.category.name.lower(),
                      "params": params, "message": str(error)}}


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def refusal(error: SerahError) -> JSONResponse:
    status = status_for(error)
    headers = {}
    if status in (429, 503):
        retry = (error.params or {}).get("retry", 1)
        headers["Retry-After"] = str(retry if isinstance(retry, int) and retry > 0 else 1)
    return JSONResponse(_error_body(error), status_code=status, headers=headers)


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The request body, refused past ``limit`` bytes (from Content-Length
    before reading, else while reading) or when it trickles in slower than
    ``timeout`` seconds in all."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise Malformed(detail="bad Content-Length")
        if int(declared) > limit:
            raise TooLarge(limit=limit)
    chunks: list[bytes] = []
    size = 0

    async def collect() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise TooLarge(limit=limit)
            chunks.append(chunk)

    try:
        await asyncio.wait_for(collect(), timeout)
    except TimeoutError:
        raise Malformed(detail="the request body did not arrive in time") from None
    return b"".join(chunks)


def _hex_id(text: str, what: str) -> bytes:
    if len(text) != 64:
        raise Malformed(detail=f"{what} is 64 hex digits")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise Malformed(detail=f"{what} is 64 hex digits") from None


def create_app(service: Service, extra_routes: Sequence[BaseRoute] = (), *, manage: bool = True) -> Starlette:
    """The Starlette application over ``service``.

    ``extra_routes`` are appended after the API's (the dashboard mounts
    itself at ``/`` this way). With ``manage`` the application starts the
    service's sequencer on start-up and drains and stops it on shutdown
    (uvicorn's SIGTERM handling: stop accepting, finish requests, then this).
    """
    config = service.config

    async def submit(request: Request) -> Response:
        body = await read_body(request, config.max_body, config.body_timeout_s)
        # Parsing and one or two signature checks take well under a
        # millisecond: done on the event loop, not handed to a worker
        # thread, whose hand-offs under the GIL cost more than the work
        # when many clients submit at once.
        submission = service.admit(body)
        future = service.submit(submission)
        try:
            outcome = await asyncio.wait_for(asyncio.wrap_future(future), config.submit_timeout_s)
        except (TimeoutError, FutureTimeout):
            raise Busy(retry=2) from None
        receipts = service.receipts(outcome)
        written = any(a.new for a in outcome.records)
        return JSONResponse(
            {
                "records": [
                    {"record": a.record.hex(), "position": a.position, "new": a.new, "receipt": r.note}
                    for a, r in zip(outcome.records, receipts, strict=True)
                ],
                "time": outcome.time,
            },
            status_code=201 if written else 200,
        )

    async def record(request: Request) -> Response:
        rid = _hex_id(request.path_params["record"], "a record id")
        envelope, position = await run_in_threadpool(service.record, rid)
        return Response(
            envelope,
            media_type="application/octet-stream",
            headers={"Serah-Position": str(position), "Cache-Control": "public, max-age=31536000, immutable"},
        )

    async def item(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(service.item, _item_id(request)))

    async def history(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(service.history, _item_id(request)))

    async def custodian(request: Request) -> Response:
        found = await run_in_threadpool(service.custodian, _hex_id(request.path_params["key"], "a key"))
        if found is None:
            from ledger.errors import NotEnrolled
            from ledger.keys import fingerprint

            raise NotEnrolled(key=fingerprint(_hex_id(request.path_params["key"], "a key")))
        return JSONResponse(found)

    async def holdings(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(service.holdings, _hex_id(request.path_params["key"], "a key")))

    async def incoming(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(service.incoming, _hex_id(request.path_params["key"], "a key")))

    async def state(request: Request) -> Response:
        body = await read_body(request, 64 * 1024, config.body_timeout_s)
        try:
            asked = json.loads(body)
            ids = [UUID(hex=str(u)) for u in asked["ids"]]
        except (ValueError, KeyError, TypeError):
            raise Malformed(detail='expected {"ids": [uuid hex, ...]}') from None
        if len(ids) > 1000:
            raise Malformed(detail="at most 1000 ids at once")
        return JSONResponse(await run_in_threadpool(service.snapshots, ids))

    async def ledger_info(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(service.ledger_info))

    async def healthz(request: Request) -> Response:
        return JSONResponse(service.health())

    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/v1/ledger", ledger_info),
        Route("/v1/submissions", submit, methods=["POST"]),
        Route("/v1/records/{record}", record),
        Route("/v1/items/{item}", item),
        Route("/v1/items/{item}/history", history),
        Route("/v1/keys/{key}", custodian),
        Route("/v1/keys/{key}/holdings", holdings),
        Route("/v1/keys/{key}/incoming", incoming),
        Route("/v1/state", state, methods=["POST"]),
        *tile_routes(service),
        *extra_routes,
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage:
            service.start()
        try:
            yield
        finally:
            if manage:
                await run_in_threadpool(service.stop)

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(_Guard)
    app.state.service = service
    return app


def _item_id(request: Request) -> str:
    text = request.path_params["item"].strip().upper()
    if not records.ITEM_RE.fullmatch(text):
        raise Malformed(detail="not an item id")
    return text


def tile_routes(service: Service) -> list[BaseRoute]:
    """The C2SP tlog-tiles read API and ``/checkpoint`` (``ledger.server.tiles``)."""
    from ledger.server import tiles

    return tiles.routes(service)


class _Guard:
    """Turns refusals into their status, anything else into a bare 500,
    and writes one structured access-log line per request."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status = {"code": 0, "sent": False}

        async def sending(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["sent"] = True
            await send(message)

        error_code = None
        try:
            await self.app(scope, receive, sending)
        except SerahError as error:
            error_code = error.code
            if not status["sent"]:
                await refusal(error)(scope, receive, sending)
        except ClientDisconnect:
            # The client left before its body arrived: nobody to answer, and
            # not a fault of ours (a slow or vanishing client must not fill
            # the error log); the access line says so.
            error_code = "client_disconnected"
        except Exception:
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            error_code = "internal"
            if not status["sent"]:
                body = {"error": {"code": "internal", "class": "Internal", "category": "internal", "params": {},
                                  "message": "internal error"}}
                await JSONResponse(body, status_code=500)(scope, receive, sending)
        finally:
            client = scope.get("client") or ("", 0)
            access.info(
                json.dumps(
                    {
                        "t": round(time.time(), 3),
                        "client": client[0],
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status["code"],
                        "ms": round((time.monotonic() - started) * 1000, 1),
                        **({"error": error_code} if error_code else {}),
                    }
                )
            )


def envelope_b64(envelope: bytes) -> str:
    return base64.b64encode(envelope).decode()
