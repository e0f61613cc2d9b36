"""The dashboard's HTTP face: one page, its two assets, JSON reads.

Read-only: every route answers GET (and HEAD) only. Every input is checked
here before anything reads the database (a region code of a known length,
an item id of SPEC 2.2's form, a record id of 64 hex digits, a filter from
a fixed list, a bounded page offset, a time of a fixed format); a bad one
is answered with status 400 and one line, ``{"error": key, "message":
text}``, in the page's language.

The page is static HTML, CSS and JavaScript shipped in the package
(``static/``): no CDN, no web fonts, nothing fetched from elsewhere (the
machines in a command centre may be offline), and the Content-Security-
Policy says so to the browser too. Texts come from the same catalogue as
the CLI's (``cli/i18n/catalog/dashboard.py`` plus the views' own keys):
the page gets the catalogue of its language inlined as JSON, and the
English switch fetches the other one.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from cli import i18n
from ledger import regions
from ledger.errors import SerahError
from ledger.server.dashboard import timeline
from ledger.server.dashboard.data import DISCREPANCY_KINDS, Dashboard

__all__ = ["catalog", "dashboard_app", "dashboard_routes"]

ITEM_ID = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,63}$")  # SPEC 2.2 (as cli.commands.common)
PREFIX = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,63}$")
RECORD_ID = re.compile(r"^[0-9a-f]{64}$")
MAX_OFFSET = 10_000_000
# Catalogue families the page uses besides its own dash.* keys.
SHARED_PREFIXES = ("dash.", "views.state.", "views.discrepancy.", "record_type.", "field.", "condition.",
                   "incident_kind.", "item_kind.", "role_name.", "word.")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}


class BadInput(Exception):
    """An input the dashboard refuses: status 400 with the key's text."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@cache
def catalog(lang: str) -> dict[str, str]:
    """The page's texts in ``lang``: dash.* and the views' shared families."""
    return {
        key: texts.get(lang) or texts[i18n.DEFAULT]
        for key, texts in i18n.messages().items()
        if key.startswith(SHARED_PREFIXES)
    }


@cache
def _asset(name: str) -> bytes:
    return resources.files("ledger.server.dashboard").joinpath("static", name).read_bytes()


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("serah_lang") or i18n.DEFAULT
    return lang if lang in i18n.LANGS else i18n.DEFAULT


def _text(lang: str, key: str, **params: Any) -> str:
    text = catalog(lang).get(key, key)
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _error_text(error: Any, lang: str) -> str:
    """A ledger error in ``lang``, by its code's ``error.*`` text in the catalogue."""
    texts = i18n.messages().get("error." + str(getattr(error, "code", "")), {})
    text = texts.get(lang) or str(error)
    for name, value in (getattr(error, "params", None) or {}).items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _json(value: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(value, status_code=status, headers={"Cache-Control": "no-store", **SECURITY_HEADERS})


def _place(request: Request) -> str:
    text = request.query_params.get("place", "").strip()
    if not text:
        return ""
    try:
        code = regions.normalize(text)
    except ValueError:
        raise BadInput("dash.error.place", value=text[:40]) from None
    if len(code) not in regions.LEVELS:
        raise BadInput("dash.error.place", value=text[:40])
    return code


def _offset(request: Request) -> int:
    text = request.query_params.get("offset", "0")
    if not text.isdigit() or int(text) > MAX_OFFSET:
        raise BadInput("dash.error.offset", value=text[:20])
    return int(text)


def _checked(handler):
    """Turn :class:`BadInput` into a 400 with one line in the page's language."""

    def endpoint(request: Request) -> Response:
        try:
            return handler(request)
        except BadInput as bad:
            lang = _lang(request)
            return _json({"error": bad.key, "message": _text(lang, bad.key, **bad.params)}, 400)

    endpoint.__name__ = handler.__name__
    return endpoint


def dashboard_routes(ledger: Any, quorum: int = 1) -> list[BaseRoute]:
    """The dashboard's routes over ``ledger`` (a :class:`ledger.application.Ledger`),
    for ``serah serve`` to mount at ``/``. ``quorum``: how many distinct
    witnesses a checkpoint needs, as the integrity panel reports it."""
    board = Dashboard(ledger, quorum=quorum)
    page_template = _asset("index.html").decode()

    def index(request: Request) -> Response:
        lang = _lang(request)
        texts = json.dumps(catalog(lang), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        html = page_template.replace("{{lang}}", lang).replace("{{catalog}}", texts)
        html = html.replace("{{title}}", catalog(lang).get("dash.title", "Serah"))
        return Response(html, media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache", **SECURITY_HEADERS})  # fmt: skip

    def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return Response("not found\n", status_code=404, media_type="text/plain")
        body = _asset(name)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(body, media_type=ASSETS[name],
                        headers={"ETag": etag, "Cache-Control": "no-cache", **SECURITY_HEADERS})  # fmt: skip

    def texts(request: Request) -> Response:
        lang = request.path_params["lang"]
        if lang not in i18n.LANGS:
            raise BadInput("dash.error.lang", value=lang[:10])
        response = _json(catalog(lang))
        response.set_cookie("serah_lang", lang, max_age=365 * 86400, samesite="strict", httponly=True)
        return response

    def head(request: Request) -> Response:
        return _json(board.head())

    def readiness(request: Request) -> Response:
        place = _place(request)
        at = request.query_params.get("at", "").strip()
        at_ms = board.deadline(at or None)
        if at_ms is None:
            raise BadInput("dash.error.at" if at else "dash.error.no_vote_date", value=at[:40])
        return _json(board.readiness(place, at_ms, _lang(request), _offset(request)))

    def item(request: Request) -> Response:
        text = request.query_params.get("id", "").strip().upper()
        if not ITEM_ID.match(text):
            raise BadInput("dash.error.item", value=text[:70])
        try:
            found = board.item(text)
        except (SerahError, timeline.BrokenChain) as error:  # a record the ledger cannot read: say so, not 500
            lang = _lang(request)
            return _json({"error": "dash.error.trail", "message": _text(lang, "dash.error.trail", item=text, detail=_error_text(error, lang))}, 409)
        if found is None:
            lang = _lang(request)
            return _json({"error": "dash.error.unknown_item", "message": _text(lang, "dash.error.unknown_item", item=text),
                          "suggestions": board.search(text[:-1] if len(text) > 1 else text)}, 404)  # fmt: skip
        return _json(found)

    def search(request: Request) -> Response:
        text = request.query_params.get("q", "").strip().upper()
        if not PREFIX.match(text):
            raise BadInput("dash.error.item", value=text[:70])
        return _json({"items": board.search(text)})

    def record(request: Request) -> Response:
        text = request.query_params.get("id", "").strip().lower()
        if not RECORD_ID.match(text):
            raise BadInput("dash.error.record", value=text[:70])
        found = board.record(bytes.fromhex(text))
        if found is None:
            lang = _lang(request)
            return _json({"error": "dash.error.unknown_record", "message": _text(lang, "dash.error.unknown_record", id=text)}, 404)
        return _json(found)

    def evidence(request: Request) -> Response:
        """The item's evidence bundle (``?report=1``: the report on it that
        the independent verifier's result renders, as ``serah export --html``)."""
        text = request.query_params.get("item", "").strip().upper()
        if not ITEM_ID.match(text):
            raise BadInput("dash.error.item", value=text[:70])
        lang = _lang(request)
        if board.item(text) is None:
            return _json({"error": "dash.error.unknown_item", "message": _text(lang, "dash.error.unknown_item", item=text)}, 404)
        try:
            data = board.evidence(text)
        except SerahError as error:
            return _json({"error": "dash.error.evidence", "message": _text(lang, "dash.error.evidence", detail=_error_text(error, lang))}, 409)
        if request.query_params.get("report") != "1":
            name = re.sub(r"[^A-Za-z0-9._-]", "_", text) + ".bukti"
            return Response(data, media_type="application/octet-stream", headers={
                "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store", **SECURITY_HEADERS})
        from cli.report import html as html_report
        from cli.report import model
        from verifier.bundle import verify

        page = html_report.render(model.build(verify(data)))
        return Response(page, media_type="text/html; charset=utf-8", headers={
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"})

    def discrepancies(request: Request) -> Response:
        place = _place(request)
        kind = request.query_params.get("kind", "") or None
        if kind is not None and kind not in DISCREPANCY_KINDS:
            raise BadInput("dash.error.kind", value=kind[:30])
        status = request.query_params.get("status", "all")
        if status not in ("all", "open", "resolved"):
            raise BadInput("dash.error.status", value=status[:30])
        return _json(board.discrepancies(place, kind, status, _offset(request), _lang(request)))

    def integrity(request: Request) -> Response:
        return _json(board.integrity())

    get = ["GET"]  # Starlette answers HEAD for GET routes too; anything else is 405
    return [
        Route("/", index, methods=get),
        Route("/static/{name}", asset, methods=get),
        Route("/api/i18n/{lang}", _checked(texts), methods=get),
        Route("/api/head", head, methods=get),
        Route("/api/readiness", _checked(readiness), methods=get),
        Route("/api/item", _checked(item), methods=get),
        Route("/api/search", _checked(search), methods=get),
        Route("/api/record", _checked(record), methods=get),
        Route("/api/evidence", _checked(evidence), methods=get),
        Route("/api/discrepancies", _checked(discrepancies), methods=get),
        Route("/api/integrity", integrity, methods=get),
    ]


def dashboard_app(ledger: Any, quorum: int = 1) -> Starlette:
    """The dashboard alone, as an ASGI app (tests and the benchmark run it
    under uvicorn; ``serah serve`` mounts :func:`dashboard_routes`)."""
    return Starlette(routes=dashboard_routes(ledger, quorum=quorum))
