"""The dashboard's data and HTTP answers, on the demo ledger, over a real
loopback server (the browser tests are in test_dashboard_browser.py).

The SQL drill-down must agree with the CLI's readiness rule TPS by TPS, and
an item's trail followed through the records' ``prev`` links must be the
trail ``serah history`` shows."""

from __future__ import annotations

import hashlib
import sqlite3

import httpx
import pytest

from cli import demo
from ledger.application import Ledger
from ledger.projections import Views
from ledger.projections import readiness as readiness_view
from ledger.server.dashboard import dashboard_app, readiness_rollup, timeline
from ledger.server.dashboard.times import parse_local
from support.cli import PASSPHRASE
from support.dashboard import serving
from support.serve import Server

SHORT_ITEM = demo.ballots_id(demo.SHORT_TPS, demo.SHORT_TYPE)  # KS-3101021003002-DPD-SS


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    demo.build(path)
    return Ledger(path)


@pytest.fixture(scope="module")
def base(ledger):
    with serving(dashboard_app(ledger)) as url:
        yield url


def get(base: str, path: str, **params) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=30)


# --- the rules are the CLI's ---------------------------------------------------------


MOMENTS = ["2024-02-09T12:00", "2024-02-12T08:00", "2024-02-12T09:00", "H-1", "2024-02-14T09:00", "2024-02-20T00:00"]


def _at(moment: str) -> int:
    return readiness_view.deadline_ms(demo.VOTE_DATE, 420) if moment == "H-1" else parse_local(moment, 420)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """bench_projections' generator (real signed records over DKI: short
    counts, refusals, late deliveries, incidents), 300 TPS, views built."""
    import importlib.util

    from support import REPO_ROOT

    source = REPO_ROOT / "bench" / "bench_projections.py"
    spec = importlib.util.spec_from_file_location("bench_projections", source)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path_factory.mktemp("generated") / "ledger.sqlite"
    bench.generate(path, 300)
    views = Views(Ledger(str(path)))
    views.catch_up()
    return views


@pytest.mark.parametrize("moment", MOMENTS)
def test_sql_verdicts_are_the_readiness_rule_tps_by_tps(generated, moment):
    at = _at(moment)
    checked = 0
    with generated.store.reading() as cur:
        for regency in ("3171", "3172", "3173", "3174", "3175"):  # 3101 has reference data: see the next test
            report = readiness_view.report(cur, regency, at)
            by_rule = {s["tps"]: (s["required"], s["present"], s["ready"]) for s in report["tps"]}
            assert readiness_rollup.tps_verdicts(cur, regency, at) == by_rule
            total, page = readiness_rollup.not_ready(cur, regency, at, limit=10_000)
            wrong = {s["tps"]: s for s in report["tps"] if not s["ready"]}
            assert total == len(wrong) and [s["tps"] for s in page] == sorted(wrong)
            for station in page:
                expected = wrong[station["tps"]]
                assert station["missing"] == sorted(expected["missing"], key=lambda m: m["item"])
                assert station["ballots_short"] == expected["ballots_short"]
            counted = readiness_rollup.children(cur, regency, at)["children"]
            assert sum(n for n, _ in counted.values()) == len(by_rule)
            assert sum(r for _, r in counted.values()) == sum(1 for v in by_rule.values() if v[2])
            checked += len(by_rule)
    assert checked > 250 or moment == "2024-02-09T12:00" and checked >= 0


@pytest.mark.parametrize("moment", MOMENTS)
def test_sql_counts_agree_with_the_readiness_rule_on_the_demo(ledger, moment):
    views = Views(ledger)
    views.catch_up()
    at = _at(moment)
    with views.store.reading() as cur:
        report = readiness_view.report(cur, "3101", at)
        verdicts = readiness_rollup.tps_verdicts(cur, "3101", at)
    # Kepulauan Seribu's ballots are judged against the reference data, which
    # the SQL leaves to report(): compare the items part here.
    assert {tps: v[:2] for tps, v in verdicts.items()} == {s["tps"]: (s["required"], s["present"]) for s in report["tps"]}


def test_drill_down_counts_add_up_at_every_level(base):
    top = get(base, "/api/readiness").json()
    assert (top["tps"], top["ready"]) == (88, 87)
    assert [c["code"] for c in top["children"]] == ["31"]
    for place, child_level in [("31", "regency"), ("3101", "district"), ("310102", "village"), ("3101021003", "tps")]:
        r = get(base, "/api/readiness", place=place).json()
        assert r["child_level"] == child_level
        assert sum(c["tps"] for c in r["children"]) == r["tps"]
        assert sum(c["ready"] for c in r["children"]) == r["ready"]
        assert r["not_ready_total"] == r["tps"] - r["ready"]
    village = get(base, "/api/readiness", place="3101021003").json()
    late = next(c for c in village["children"] if c["code"] == demo.LATE_TPS)
    assert (late["tps"], late["ready"], late["name"]) == (1, 0, "TPS 005 Pulau Pari")
    assert [s["tps"] for s in village["not_ready"]] == [demo.LATE_TPS]
    assert len(village["not_ready"][0]["missing"]) == 12
    assert [c["code"] for c in village["crumbs"]] == ["31", "3101", "310102", "3101021003"]


def test_readiness_at_a_later_time_counts_the_late_island(base):
    after = get(base, "/api/readiness", place="3101", at="2024-02-14T12:00").json()
    assert (after["tps"], after["ready"]) == (88, 88)
    assert after["at_local"] == "2024-02-14 12:00 WIB"


def test_item_trail_is_the_trail_serah_history_shows(ledger):
    views = Views(ledger)
    for item in [SHORT_ITEM, demo.box_id(demo.SHORT_TPS, "DPD"), demo.form_id(demo.LATE_TPS, "PPWP"),
                 demo.extra_id(demo.SHORT_TPS, demo.SHORT_TYPE), demo.ballots_id(demo.LATE_TPS, "DPR")]:
        trail = timeline.trail(ledger, views, item)
        history = ledger.history(item)
        assert [e["id"] for e in trail["entries"]] == [v.id.hex() for v in history], item
        assert [e["position"] for e in trail["entries"]] == [v.position for v in history], item


def test_item_timeline_shows_the_short_count_as_a_discrepancy(base):
    r = get(base, "/api/item", id=SHORT_ITEM.lower()).json()  # a label typed in lower case is found
    accept = next(e for e in r["entries"] if e["discrepancies"])
    assert accept["type"] == "handover.accept"
    assert accept["declared"]["qty"] - accept["line"]["qty"] == demo.SHORT_BY
    assert [d["kind"] for d in accept["discrepancies"]] == ["qty"]
    assert accept["local"].endswith(" WIB")
    assert r["item"]["dest"] == {"code": demo.SHORT_TPS, "name": "TPS 002 Pulau Pari"}
    boxed = [e for e in r["entries"] if e["via"]]
    assert boxed and all(e["via"] == demo.box_id(demo.SHORT_TPS, "DPD") for e in boxed)
    prepare = next(e for e in r["entries"] if e["type"] == "handover.prepare")
    assert prepare["receiver"]["answer"] == "accept" and not prepare["named_not_signed"]


def test_discrepancy_register_filters(base):
    everything = get(base, "/api/discrepancies").json()
    assert everything["total"] == len(everything["rows"]) > 0
    qty = get(base, "/api/discrepancies", kind="qty").json()
    assert [r["item"] for r in qty["rows"]] == [SHORT_ITEM]
    assert qty["rows"][0]["declared"] == 260 and qty["rows"][0]["observed"] == 254
    pari = get(base, "/api/discrepancies", place="3101021003").json()
    assert pari["total"] and all(r["place"]["code"].startswith("3101021003") for r in pari["rows"])
    resolved = get(base, "/api/discrepancies", status="resolved").json()
    opened = get(base, "/api/discrepancies", status="open").json()
    assert resolved["total"] + opened["total"] == everything["total"]
    assert everything["kinds"]["qty"] == {"all": 1, "open": qty["rows"][0]["resolved"] is False and 1 or 0}


def test_integrity_panel_shows_checkpoint_witness_and_quorum(ledger, base):
    r = get(base, "/api/integrity").json()
    c = r["checkpoint"]
    assert c["size"] == r["ledger"]["records"] and c["behind"] == 0
    assert [w["name"] for w in c["witnesses"]] == [demo.WITNESS_NAME]
    assert c["quorum_met"] and r["quorum"] == 1
    assert len(c["log_key"]["fingerprint"]) == 23 and c["witnesses"][0]["fingerprint"].count("-") == 3
    verified = r["verified"]  # when the log was last checked, and by whom, in local time
    assert verified["now"]["ok"] and verified["now"]["time"].endswith(" WIB")
    assert verified["witness"]["name"] == demo.WITNESS_NAME
    assert verified["witness"]["fingerprint"] == c["witnesses"][0]["fingerprint"]
    assert verified["witness"]["time"] == c["witnesses"][0]["time"] and verified["witness"]["time"].endswith(" WIB")
    assert verified["log"] == {"time": c["signed"], "size": c["size"]}
    with serving(dashboard_app(ledger, quorum=2)) as other:
        assert get(other, "/api/integrity").json()["checkpoint"]["quorum_met"] is False


def test_record_page_carries_a_checked_inclusion_proof(base):
    item = get(base, "/api/item", id=SHORT_ITEM).json()
    first = item["entries"][0]
    r = get(base, "/api/record", id=first["id"]).json()
    assert r["type"] == "register" and r["proof"]["verified"] and r["proof"]["index"] == first["position"]


def test_evidence_bundle_of_an_item_verifies_and_has_a_report(base):
    from verifier.bundle import verify

    r = get(base, "/api/evidence", item=SHORT_ITEM)
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"] == f'attachment; filename="{SHORT_ITEM}.bukti"'
    result = verify(r.content)
    assert result.exit_code == 0 and not result.unusable
    report = get(base, "/api/evidence", item=SHORT_ITEM, report="1")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert SHORT_ITEM in report.text and "https://" not in report.text
    assert get(base, "/api/evidence", item="KS-NOPE").status_code == 404


# --- bad input: one line, the right status, nothing else ---------------------------


@pytest.mark.parametrize(
    "path, params, status, key",
    [
        ("/api/readiness", {"place": "abc"}, 400, "dash.error.place"),
        ("/api/readiness", {"place": "310"}, 400, "dash.error.place"),
        ("/api/readiness", {"place": "3" * 5000}, 400, "dash.error.place"),
        ("/api/readiness", {"at": "tomorrow"}, 400, "dash.error.at"),
        ("/api/readiness", {"offset": "-1"}, 400, "dash.error.offset"),
        ("/api/readiness", {"offset": "99999999999"}, 400, "dash.error.offset"),
        ("/api/item", {"id": "<script>"}, 400, "dash.error.item"),
        ("/api/item", {"id": "KS-" + "9" * 100}, 400, "dash.error.item"),
        ("/api/item", {"id": "KS-NOPE"}, 404, "dash.error.unknown_item"),
        ("/api/record", {"id": "zz"}, 400, "dash.error.record"),
        ("/api/record", {"id": "0" * 64}, 404, "dash.error.unknown_record"),
        ("/api/discrepancies", {"kind": "drop table"}, 400, "dash.error.kind"),
        ("/api/evidence", {"item": "../../etc/passwd"}, 400, "dash.error.item"),
        ("/api/discrepancies", {"status": "x"}, 400, "dash.error.status"),
        ("/api/i18n/fr", {}, 400, "dash.error.lang"),
    ],
)
def test_bad_input_is_one_line_and_a_status(base, path, params, status, key):
    r = get(base, path, **params)
    assert r.status_code == status
    body = r.json()
    assert body["error"] == key and "\n" not in body["message"] and len(body["message"]) < 200


def test_errors_follow_the_language(base):
    assert get(base, "/api/item", id="KS-NOPE").json()["message"] == "barang tidak dikenal: KS-NOPE"
    assert get(base, "/api/item", id="KS-NOPE", lang="en").json()["message"] == "unknown item: KS-NOPE"


def test_nothing_but_get_is_answered(base):
    for path in ("/", "/api/head", "/api/readiness", "/api/item"):
        assert httpx.post(base + path, content=b"x").status_code == 405
        assert httpx.delete(base + path).status_code == 405


def test_unknown_asset_is_404_and_no_path_leaves_the_package(base):
    assert get(base, "/static/../routes.py").status_code == 404
    assert get(base, "/static/index.html").status_code == 404
    assert get(base, "/static/%2e%2e%2f__init__.py").status_code == 404


def test_serah_serve_mounts_the_dashboard_at_the_root(tmp_path):
    from ledger import keys

    db = tmp_path / "demo.sqlite"
    demo.build(str(db))
    log_key = tmp_path / "home" / "keys" / "log-key.key"
    log_key.parent.mkdir(parents=True)
    keys.save(keys.from_seed(hashlib.sha256(b"serah-demo/v1/log-key").digest()), log_key, PASSPHRASE, "log-key")
    with Server(str(db), log_key, tmp_path / "home") as server:
        page = httpx.get(server.url + "/")
        assert page.status_code == 200 and "static/app.js" in page.text
        ready = httpx.get(server.url + "/api/readiness", params={"place": "3101"}).json()
        assert (ready["ready"], ready["tps"]) == (87, 88)
        assert httpx.get(server.url + "/healthz").status_code == 200  # the service's own routes still answer


# --- the page ------------------------------------------------------------------------


def test_first_load_is_small_and_self_contained(base):
    page = get(base, "/")
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    total = len(page.content)
    for path in ("/static/app.js", "/static/app.css", "/api/head"):
        r = get(base, path)
        assert r.status_code == 200
        total += len(r.content)
        if path.endswith((".js", ".css")):
            assert "http://" not in r.text and "https://" not in r.text and "@import" not in r.text
    total += len(get(base, "/api/readiness").content)
    assert total < 200_000
    assert "https://" not in page.text and "http://" not in page.text
    assert '<html lang="id">' in page.text and "Kesiapan TPS" in page.text
    english = httpx.get(base + "/", cookies={"serah_lang": "en"})
    assert '<html lang="en">' in english.text and "TPS readiness" in english.text


def test_asset_revalidation_answers_304(base):
    first = get(base, "/static/app.js")
    again = httpx.get(base + "/static/app.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and not again.content


def test_page_texts_come_from_the_shared_catalogue(base):
    from cli import i18n

    texts = get(base, "/api/i18n/en").json()
    assert texts["dash.nav.readiness"] == i18n.messages()["dash.nav.readiness"]["en"]
    assert texts["views.state.in_transit"] == i18n.messages()["views.state.in_transit"]["en"]
    import re
    from importlib import resources

    source = resources.files("ledger.server.dashboard").joinpath("static", "app.js").read_text()
    families = "dash|views|record_type|field|condition|incident_kind|item_kind|role_name|word"
    used = set(re.findall(r'"((?:' + families + r')\.[a-z_.]+[a-z_])"', source))
    assert {"word.yes", "field.condition", "dash.field.serial"} <= used
    assert not {k for k in used if k not in texts}


def test_a_record_over_the_size_limit_is_still_shown_flagged():
    """Records written before SPEC 3.7's limit: parse() refuses them, the
    timeline decodes them without the form checks and flags them."""
    from ledger import keys, records
    from ledger.encoding import encode
    from ledger.errors import BadRecord

    signer = keys.from_seed(bytes(32))
    body = {"v": 1, "type": "incident", "time": 1, "author": signer.public, "ledger": bytes(32), "kind": "other",
            "description": "x" * 70_000, "lines": [{"item": "KS-1", "prev": bytes(32)}]}
    envelope = encode({"body": encode(body), "sigs": [[signer.public, bytes(64)]]})
    with pytest.raises(BadRecord):
        records.parse(envelope, verify=False)
    shown = timeline._parse(envelope)
    assert shown.type == "incident" and shown.lines[0]["item"] == "KS-1" and shown.id == records.record_id(envelope)
    assert shown.cosigners == []


def test_a_new_record_changes_the_readiness_a_screen_was_already_shown(tmp_path, monkeypatch):
    """The rollup is kept for the views' position only: asked again with no
    new record it is not counted again; after a record it is."""
    from ledger import keys
    from ledger.records import now_ms
    from ledger.server.dashboard.data import Dashboard
    from ledger.server.dashboard.times import local

    path = str(tmp_path / "demo.sqlite")
    demo.build(path)
    led = Ledger(path)
    board = Dashboard(led)
    counted = []
    real = readiness_rollup.rollup
    monkeypatch.setattr(readiness_rollup, "rollup", lambda *a: counted.append(a[1:]) or real(*a))
    later = now_ms() + 86_400_000  # a deadline after the record below
    place = "3101021003"
    before = board.readiness(place, later, "id")
    assert board.readiness(place, later, "id") == before and len(counted) == 1  # same views: counted once
    kab = keys.from_seed(hashlib.sha256(b"serah-demo/v1/kpu-3101").digest())
    led.register(kab, [{"item": "KS-EXTRA-FORM-001", "kind": "form", "dest": demo.SHORT_TPS, "qty": 1}])
    after = board.readiness(place, later, "id")
    assert len(counted) == 2

    def lacking(answer):
        return {m["item"] for s in answer["not_ready"] if s["tps"] == demo.SHORT_TPS for m in s["missing"]}

    assert "KS-EXTRA-FORM-001" in lacking(after) - lacking(before)  # the TPS now lacks the new form
    assert [s["required"] for s in after["not_ready"] if s["tps"] == demo.SHORT_TPS] == \
        [s["required"] + 1 for s in before["not_ready"] if s["tps"] == demo.SHORT_TPS]
    assert local(later, 420) == after["at_local"]


def test_generated_bench_ledger_is_one_todays_code_could_have_written(generated):
    """bench_projections writes no record over SPEC 3.7's 65,535 bytes (a
    whole kecamatan's handover is split into consignments), and every record
    passes the ledger's own parse (form, schema, signatures)."""
    from ledger import records

    sizes = []
    for _, envelope in generated.store.records(0, 1_000_000):
        sizes.append(len(envelope))
        records.parse(bytes(envelope))
    assert sizes and max(sizes) <= records.MAX_RECORD_BYTES
    with generated.store.reading() as cur:
        cur.execute("SELECT count(DISTINCT item) FROM proj_item WHERE dest LIKE '31%'")
        assert cur.fetchone()[0] == 300 * 10  # 4 boxes, 4 ballot batches, seal stock, forms per TPS


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_country_added_up_from_its_kab_kota_is_the_country_counted_whole(generated, ledger, moment):
    """National and province readiness are their kab/kota's rollups added
    up: the same counts and TPS not ready as one rollup over the whole."""
    at = _at(moment)
    for views in (generated, Views(ledger)):
        views.catch_up()
        with views.store.reading() as cur:
            for place in ("", "31"):
                codes = readiness_rollup.regencies(cur, place)
                assert codes == sorted({tps[:4] for tps in readiness_rollup.tps_verdicts(cur, place, at)})
                parts = [readiness_rollup.rollup(cur, code, at) for code in codes]
                composed = readiness_rollup.compose(place, parts)
                whole = readiness_rollup.rollup(cur, place, at)
                assert composed["children"] == whole["children"] and composed["not_ready"] == whole["not_ready"]
                assert readiness_rollup.not_ready(cur, place, at, composed) == readiness_rollup.not_ready(cur, place, at, whole)


def test_a_stored_record_swapped_for_another_is_one_409_line(tmp_path):
    """The timeline decodes stored records without parse()'s form checks,
    but a row whose bytes are not the record its successor names (another
    record copied over it) breaks the trail: one line, status 409."""
    from ledger.domain import record_uuid
    from support.tamper.real import update

    path = str(tmp_path / "demo.sqlite")
    demo.build(path)
    views = Views(Ledger(path))
    views.catch_up()
    head = bytes(views.item(SHORT_ITEM)["head"])
    genesis = Ledger(path).ledger_id
    assert genesis is not None
    with sqlite3.connect(path) as conn:
        (rowid,) = conn.execute("SELECT rowid FROM stored_events WHERE originator_id = ?", (record_uuid(head).hex,)).fetchone()
    update(path, rowid, Ledger(path).record(genesis))
    with serving(dashboard_app(Ledger(path))) as url:
        r = get(url, "/api/item", id=SHORT_ITEM)
        assert r.status_code == 409 and r.json()["error"] == "dash.error.trail"
        assert head.hex() in r.json()["message"] and "\n" not in r.json()["message"]
        assert get(url, "/api/item", id=demo.box_id(demo.LATE_TPS, "DPR")).status_code == 200  # others still shown


def test_rollups_kept_are_bounded_by_the_tps_they_name(ledger, monkeypatch):
    """A client asking at many deadlines cannot fill the server's memory:
    the kept rollups name at most ROLLUP_TPS_KEPT TPS; one larger is
    answered but not kept."""
    from ledger.server.dashboard import data
    from ledger.server.dashboard.data import Dashboard

    board = Dashboard(ledger)
    monkeypatch.setattr(data, "ROLLUP_TPS_KEPT", 150)
    for minute in range(10):
        answer = board.readiness("3101", _at("2024-02-09T12:00") + minute * 60_000, "id")
        assert answer["tps"] == 88
    assert 0 < board._rollup_weight <= 150 and len(board._rollups) < 10
    monkeypatch.setattr(data, "ROLLUP_TPS_KEPT", 10)
    board.readiness("3101", _at("H-1"), "id")
    assert board._rollup_weight <= 10
