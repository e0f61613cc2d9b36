/* Serah command centre. Plain JavaScript, no libraries, nothing fetched but
   this server's own JSON. Every text comes from the catalogue the server
   inlines (cli/i18n/catalog/dashboard.py); data is written with textContent
   only, never as HTML. Pages are addressed by the URL fragment:
     #/readiness/<place>?at=...   #/item/<id>   #/record/<id>
     #/discrepancies?kind=&status=&place=&offset=   #/integrity          */
"use strict";

let T = JSON.parse(document.getElementById("catalog").textContent);
let lang = document.documentElement.lang || "id";
let headPosition = null;
let rendering = 0;

function t(key, params) {
  let text = Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key;
  if (params) {
    for (const [name, value] of Object.entries(params)) {
      text = text.split("{" + name + "}").join(typeof value === "number" ? num(value) : String(value));
    }
  }
  return text;
}

function num(n) {
  const text = Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return lang === "id" ? text.replace(/,/g, ".") : text;
}

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.message || response.statusText);
    error.body = body;
    throw error;
  }
  return body;
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const parts = path.split("/").map(decodeURIComponent);
  return { page: parts[0] || "readiness", arg: parts.slice(1).join("/"), params: new URLSearchParams(query || "") };
}

function go(hash) { location.hash = hash; }

function staticTexts() {
  document.title = t("dash.title");
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", t(el.dataset.tLabel));
  const button = document.getElementById("lang");
  button.textContent = t("dash.lang.switch");
  button.setAttribute("aria-label", t("dash.lang.switch_label"));
  button.setAttribute("lang", lang === "id" ? "en" : "id");
}

async function render(quiet) {
  const route = parseHash();
  const main = document.getElementById("main");
  for (const a of document.querySelectorAll("header nav a")) {
    if (a.dataset.page === route.page || (route.page === "record" && a.dataset.page === "item")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const mine = ++rendering;
  main.setAttribute("aria-busy", "true");
  if (!quiet) main.replaceChildren(h("p", { text: t("dash.loading") }));
  let content;
  try {
    const page = PAGES[route.page] || PAGES.readiness;
    content = await page(route);
  } catch (error) {
    content = [h("p", { class: "error", role: "alert", text: error.message })];
    if (error.body && error.body.suggestions && error.body.suggestions.length) {
      content.push(h("p", { text: t("dash.item.suggest") }),
        h("ul", {}, error.body.suggestions.map((id) => h("li", {}, h("a", { href: "#/item/" + encodeURIComponent(id), class: "mono", text: id })))));
    }
  }
  if (mine !== rendering) return;  // a newer render started meanwhile
  const scroll = window.scrollY;
  main.replaceChildren(...content.filter((c) => c !== null && c !== undefined));
  main.dataset.route = location.hash;
  main.setAttribute("aria-busy", "false");
  if (quiet) window.scrollTo(0, scroll);
  else {
    const heading = main.querySelector("h2");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
  }
}

/* --- readiness --------------------------------------------------------- */

function ratioClass(ready, total) {
  if (!total) return "c-none";
  const r = ready / total;
  if (r >= 1) return "c-ok";
  if (r >= 0.9) return "c-most";
  if (r >= 0.5) return "c-some";
  return "c-bad";
}

function placeText(code, name) {
  if (!code) return t("dash.indonesia");
  return name ? code + " " + name : code;
}

function readinessHash(place, at, offset) {
  const q = new URLSearchParams();
  if (at) q.set("at", at);
  if (offset) q.set("offset", offset);
  const qs = q.toString();
  return "#/readiness" + (place ? "/" + place : "") + (qs ? "?" + qs : "");
}

async function readinessPage(route) {
  const place = route.arg;
  const at = route.params.get("at") || "";
  const offset = route.params.get("offset") || "0";
  const q = new URLSearchParams({ place, offset, lang });
  if (at) q.set("at", at);
  const r = await api("api/readiness?" + q);
  const title = placeText(r.place, r.name);
  const out = [h("h2", { text: t("dash.readiness.title", { place: title }) })];
  const crumbs = h("nav", { class: "crumbs", "aria-label": "breadcrumbs" },
    h("a", { href: readinessHash("", at), text: t("dash.indonesia") }),
    r.crumbs.map((c, i) => i === r.crumbs.length - 1 ? h("span", { text: placeText(c.code, c.name) })
      : h("a", { href: readinessHash(c.code, at), text: placeText(c.code, c.name) })));
  out.push(crumbs);
  const atInput = h("input", { type: "datetime-local", id: "at", value: at || "" });
  out.push(h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); go(readinessHash(place, atInput.value)); } },
    h("label", { for: "at" }, t("dash.readiness.deadline"), atInput),
    h("button", { type: "submit", text: t("dash.readiness.show") }),
    h("a", { href: readinessHash(place, ""), text: t("dash.readiness.h1") })));
  out.push(h("p", { class: "summary", id: "readiness-summary", text: t("dash.readiness.summary", { ready: r.ready, total: r.tps, at: r.at_local }) }));
  const level = t("dash.level." + (r.child_level || "tps"));
  out.push(h("h3", { text: t("dash.readiness.grid", { level }) }));
  const cells = r.children.map((c) => {
    const label = t("dash.readiness.cell", { name: placeText(c.code, c.name), ready: c.ready, total: c.tps });
    const drill = c.code.length < 13 || c.code !== r.place;
    return h(drill ? "a" : "div", { class: "cell " + ratioClass(c.ready, c.tps), href: drill ? readinessHash(c.code, at) : null,
      "aria-label": label, title: label, "data-code": c.code },
      h("b", { text: c.name || c.code }), h("span", { text: num(c.ready) + " / " + num(c.tps) }));
  });
  out.push(h("div", { class: "grid" + (r.child_level === "tps" ? " tps" : ""), id: "grid" }, cells));
  out.push(h("p", { class: "legend", text: t("dash.readiness.legend") }));
  out.push(h("h3", { text: t("dash.readiness.not_ready", { n: r.not_ready_total }) }));
  if (!r.not_ready.length) {
    out.push(h("p", { text: t("dash.readiness.all_ready") }));
  } else {
    const rows = r.not_ready.map((s) => h("tr", {},
      h("td", {}, h("a", { href: readinessHash(s.tps, at), text: placeText(s.tps, s.name) }),
        h("br"), h("span", { class: "legend", text: t("dash.readiness.present", { present: s.present, required: s.required }) })),
      h("td", {}, s.missing.length ? h("ul", {}, s.missing.map((m) => h("li", {},
        h("a", { href: "#/item/" + encodeURIComponent(m.item), class: "mono", text: m.item }),
        " ", h("span", { class: "badge", text: t("views.state." + m.state) }),
        m.location ? " " + m.location : ""))) : "-"),
      h("td", {}, s.ballots_short.length ? s.ballots_short.map((b) => h("div", { text: b.election + " " + num(b.have) + "/" + num(b.need) })) : "-")));
    out.push(h("table", { id: "not-ready" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: t("dash.col.tps") }),
        h("th", { scope: "col", text: t("dash.readiness.missing") }), h("th", { scope: "col", text: t("dash.readiness.ballots") }))),
      h("tbody", {}, rows)));
    out.push(pager(r.offset, r.not_ready.length, r.not_ready_total, 50, (o) => readinessHash(place, at, o)));
  }
  return out;
}

function pager(offset, shown, total, size, hashOf) {
  offset = Number(offset);
  if (total <= shown && offset === 0) return null;
  return h("div", { class: "pager" },
    offset > 0 ? h("a", { href: hashOf(Math.max(0, offset - size)), text: t("dash.previous") }) : null,
    h("span", { text: t("dash.page_of", { from: offset + 1, to: offset + shown, total }) }),
    offset + shown < total ? h("a", { href: hashOf(offset + size), text: t("dash.more") }) : null);
}

/* --- an item's chain of custody ----------------------------------------- */

function person(p) {
  if (!p) return "-";
  if (p.name) return p.name + " (" + t("role_name." + p.role) + ", " + p.org + ")";
  return p.fingerprint || p.key;
}

function show(value) {
  if (value === null || value === undefined) return "-";
  if (Array.isArray(value)) return value.map(show).join(", ") || "-";
  if (typeof value === "object") return Object.entries(value).map(([k, v]) => k + "=" + show(v)).join(" ");
  if (typeof value === "number") return num(value);
  if (typeof value === "boolean") return t(value ? "word.yes" : "word.no");
  return String(value);
}

function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => [h("dt", { text: k }), h("dd", {}, v instanceof Node ? v : show(v))]));
}

function itemLink(id) { return h("a", { href: "#/item/" + encodeURIComponent(id), class: "mono", text: id }); }

async function itemPage(route) {
  const id = route.arg;
  document.getElementById("q").value = id;
  if (!id) return [h("h2", { text: t("dash.nav.item") }), h("p", { text: t("dash.item.prompt") })];
  const r = await api("api/item?" + new URLSearchParams({ id, lang }));
  const it = r.item;
  const out = [h("h2", { text: t("dash.item.title", { item: it.item }) })];
  out.push(facts([
    [t("dash.item.kind"), t("item_kind." + it.kind) + (it.label ? " (" + it.label + ")" : "")],
    [t("field.condition"), it.condition && it.condition !== "ok" ? t("condition." + it.condition) : null],
    [t("dash.item.election"), [it.election, it.dapil].filter(Boolean).join(" / ")],
    [t("dash.item.dest"), it.dest ? h("a", { href: readinessHash(it.dest.code), text: placeText(it.dest.code, it.dest.name) }) : null],
    [t("dash.item.qty"), it.qty],
    [t("dash.item.state"), t("views.state." + it.state)],
    [t("dash.item.holder"), person(it.holder)],
    [t("dash.item.location"), it.location ? placeText(it.location.code, it.location.name) : null],
    [t("dash.item.seals"), it.seals],
    [t("dash.item.container"), it.container ? itemLink(it.container) : null],
    [t("dash.item.contents"), it.contents.length ? h("span", {}, it.contents.map((c, i) => [i ? ", " : "", itemLink(c)])) : null],
  ]));
  out.push(h("p", { class: "legend" }, t("dash.item.times", { zone: r.zone }), r.discrepancies
    ? h("span", { class: "disc", id: "disc-count", text: " · " + t("dash.item.discrepancies", { n: r.discrepancies }) }) : null));
  const evidence = "api/evidence?" + new URLSearchParams({ item: it.item, lang });
  out.push(h("p", { class: "pager" }, h("a", { href: evidence, id: "evidence", download: it.item + ".bukti", text: t("dash.item.evidence") }),
    h("a", { href: evidence + "&report=1", id: "evidence-report", target: "_blank", rel: "noopener", text: t("dash.item.report") })));
  out.push(h("ol", { class: "timeline", id: "timeline" }, r.entries.map(entry)));
  return out;
}

function entry(e) {
  const line = e.line || {};
  const declared = e.declared || {};
  const cls = [e.discrepancies.length ? "has-disc" : "", e.via ? "via" : ""].filter(Boolean).join(" ");
  const details = [];
  if (e.place) details.push([t("dash.entry.place"), placeText(e.place.code, e.place.name)]);
  if (e.summary.site) details.push([t("dash.entry.site"), e.summary.site]);
  if (e.summary.purpose) details.push([t("dash.entry.purpose"), e.summary.purpose]);
  if (e.receiver) details.push([t("dash.entry.to"), person(e.receiver) + (e.receiver.answer ? " · " + t("dash.entry.answer." + e.receiver.answer) : "")]);
  for (const field of ["reason", "description", "intact"]) {
    if (e.summary[field] !== undefined) details.push([t("field." + field), e.summary[field]]);
  }
  if (e.summary.kind) details.push([t("field.incident"), t("incident_kind." + e.summary.kind)]);
  if (e.summary.seals && e.type !== "handover.prepare") details.push([t("field.seals"), e.summary.seals]);
  for (const field of ["qty", "seals", "contents", "condition", "note", "used", "unused", "spoiled", "qty_lost", "serial"]) {
    if (line[field] === undefined) continue;
    let value = field === "condition" ? t("condition." + line[field]) : show(line[field]);
    if (declared[field] !== undefined && show(declared[field]) !== value) {
      let diff = "";
      if (field === "qty" && typeof declared.qty === "number" && typeof line.qty === "number") {
        diff = " (" + t(declared.qty > line.qty ? "dash.entry.short" : "dash.entry.over", { n: Math.abs(declared.qty - line.qty) }) + ")";
      }
      value = h("span", { class: "disc" }, t("dash.entry.declared") + " " + show(declared[field]) + " → " + t("dash.entry.observed") + " " + value + diff);
    }
    details.push([t(field === "serial" ? "dash.field.serial" : "field." + field), value]);
  }
  const record = h("a", { href: "#/record/" + e.id, class: "mono",
    text: (e.position !== null && e.position !== undefined ? t("dash.entry.record", { position: e.position }) : t("dash.entry.record_nopos")) + " " + e.id.slice(0, 16) });
  return h("li", { class: cls, "data-type": e.type, "data-id": e.id },
    h("div", {}, h("span", { class: "when", text: e.local }), h("span", { class: "type", text: t("record_type." + e.type) }),
      e.via ? h("span", { class: "badge", text: " " + t("dash.entry.via", { box: e.via }) }) : null),
    facts(details),
    h("div", { class: "who" }, h("span", { text: t("dash.entry.signed") + ": " }),
      e.signed.map((p, i) => [i ? "; " : "", h("span", { class: "signed", text: person(p) })])),
    e.named_not_signed.length ? h("div", { class: "who" }, h("span", { text: t("dash.entry.not_signed") + ": " }),
      e.named_not_signed.map((p, i) => [i ? "; " : "", h("span", { class: "unsigned", text: person(p) + (p.named_as === "receiver" ? " (" + t("dash.entry.named.receiver") + ")" : "") })])) : null,
    e.discrepancies.map((d) => h("div", { class: "disc" }, "⚠ " + t("views.discrepancy." + d.kind) + ": " +
      t("dash.entry.declared") + " " + show(d.declared) + ", " + t("dash.entry.observed") + " " + show(d.observed) +
      (d.detail ? " · " + d.detail : "") + " · " + (d.resolved ? t("dash.entry.resolved", { how: d.resolution }) : t("dash.entry.open")))),
    h("div", {}, record));
}

async function recordPage(route) {
  const r = await api("api/record?" + new URLSearchParams({ id: route.arg, lang }));
  const out = [h("h2", { text: t("dash.record.title", { id: r.id.slice(0, 16) }) }),
    facts([["id", h("span", { class: "mono", text: r.id })], [t("dash.col.what"), t("record_type." + r.type)], [t("dash.col.time"), r.local]])];
  out.push(h("h3", { text: t("dash.record.signers") }),
    h("ul", {}, r.signers.map((s) => h("li", { class: "mono", text: s.fingerprint + "  " + s.key }))));
  out.push(h("h3", { text: t("dash.record.proof") }));
  if (r.proof && r.proof.checkpoint) {
    out.push(h("p", { class: "signed", text: t("dash.record.proof_ok", { index: r.proof.index, size: r.proof.checkpoint }) }),
      h("pre", { text: r.proof.hashes.join("\n") }));
  } else {
    out.push(h("p", { text: t("dash.record.no_checkpoint") }));
  }
  out.push(h("h3", { text: t("dash.record.body") }), h("pre", { text: JSON.stringify(r.body, null, 2) }));
  return out;
}

/* --- discrepancy register ------------------------------------------------ */

const KINDS = ["qty", "seals", "condition", "refused", "incident", "broken_seal", "seal_mismatch"];

async function discrepanciesPage(route) {
  const p = route.params;
  const kind = p.get("kind") || "", status = p.get("status") || "all", place = p.get("place") || "", offset = p.get("offset") || "0";
  const r = await api("api/discrepancies?" + new URLSearchParams({ kind, status, place, offset, lang }));
  const hashOf = (o, k = kind, s = status, pl = place) => "#/discrepancies?" + new URLSearchParams({ kind: k, status: s, place: pl, offset: o || 0 });
  const kindSel = h("select", { id: "f-kind" }, h("option", { value: "", text: t("dash.disc.all_kinds") }),
    KINDS.map((k) => h("option", { value: k, selected: k === kind, text: t("views.discrepancy." + k) + (r.kinds[k] ? " (" + num(r.kinds[k].all) + ")" : "") })));
  const statusSel = h("select", { id: "f-status" }, ["all", "open", "resolved"].map((s) => h("option", { value: s, selected: s === status, text: t("dash.disc.status." + s) })));
  const placeIn = h("input", { id: "f-place", value: place, size: 14, maxlength: 20, inputmode: "numeric" });
  const out = [h("h2", { text: t("dash.disc.title") }),
    h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); go(hashOf(0, kindSel.value, statusSel.value, placeIn.value.trim())); } },
      h("label", { for: "f-kind" }, t("dash.disc.kind"), kindSel), h("label", { for: "f-status" }, t("dash.disc.status"), statusSel),
      h("label", { for: "f-place" }, t("dash.disc.place"), placeIn), h("button", { type: "submit", text: t("dash.disc.filter") }))];
  const open = Object.values(r.kinds).reduce((a, k) => a + k.open, 0);
  out.push(h("p", { id: "disc-total", text: t("dash.disc.count", { n: r.total, open }) }));
  if (!r.rows.length) { out.push(h("p", { text: t("dash.none") })); return out; }
  const head = ["dash.col.time", "dash.col.what", "dash.col.item", "dash.col.declared", "dash.col.observed", "dash.col.detail", "dash.col.by", "dash.col.where", "dash.col.status", "dash.col.record"];
  out.push(h("table", { id: "register" }, h("thead", {}, h("tr", {}, head.map((k) => h("th", { scope: "col", text: t(k) })))),
    h("tbody", {}, r.rows.map((d) => h("tr", { class: d.resolved ? "" : "open" },
      h("td", { text: d.local }), h("td", { class: d.resolved ? "" : "disc", text: t("views.discrepancy." + d.kind) }),
      h("td", {}, itemLink(d.item)), h("td", { text: show(d.declared) }), h("td", { text: show(d.observed) }),
      h("td", { text: d.detail || "" }), h("td", { text: person(d.author) }), h("td", { text: placeText(d.place.code, d.place.name) }),
      h("td", {}, d.resolved ? h("span", { class: "badge ok", text: t("dash.disc.status.resolved") }) : h("span", { class: "badge bad", text: t("dash.disc.status.open") })),
      h("td", {}, h("a", { href: "#/record/" + d.record, class: "mono", text: d.record.slice(0, 12) })))))));
  out.push(pager(r.offset, r.rows.length, r.total, r.page, (o) => hashOf(o)));
  return out;
}

/* --- integrity ------------------------------------------------------------ */

async function integrityPage() {
  const r = await api("api/integrity");
  const out = [h("h2", { text: t("dash.int.title") }),
    facts([[t("dash.int.ledger"), r.ledger.name], [t("dash.item.election"), r.ledger.election + " · " + r.ledger.vote_date],
      ["id", h("span", { class: "mono", text: r.ledger.id || "-" })], [t("dash.int.records"), r.ledger.records]])];
  out.push(h("h3", { text: t("dash.int.checkpoint") }));
  const c = r.checkpoint;
  if (!c) { out.push(h("p", { class: "error", text: t("dash.int.no_checkpoint") })); return out; }
  const have = c.witnesses.length;
  out.push(facts([
    ["origin", c.origin], [t("dash.int.size"), c.size], [t("dash.int.root"), h("span", { class: "mono", text: c.root })],
    [t("dash.int.signed"), c.signed], [t("dash.int.behind"), c.behind],
    [t("dash.int.log_key"), h("span", { class: "mono", text: c.log_key.verifier_key })],
    [t("dash.int.fingerprint"), h("span", { class: "mono", id: "log-fingerprint", text: c.log_key.fingerprint || "-" })],
  ]));
  out.push(h("p", { id: "quorum" }, h("span", { class: "badge " + (c.quorum_met ? "ok" : "bad"), text: t(c.quorum_met ? "dash.int.quorum_met" : "dash.int.quorum_short") }),
    " " + t("dash.int.quorum", { have, need: r.quorum })));
  const v = r.verified;
  out.push(h("h3", { text: t("dash.int.verified") }));
  out.push(h("dl", { id: "verified", class: "facts" },
    h("dt", { text: t("dash.int.verified_now") }),
    h("dd", {}, h("span", { class: "badge " + (v.now.ok ? "ok" : "bad"), text: v.now.time }),
      " " + t(v.now.ok ? "dash.int.verified_now_ok" : "dash.int.verified_now_bad")),
    h("dt", { text: t("dash.int.verified_witness") }),
    h("dd", { text: v.witness ? v.witness.time + " · " + t("dash.int.verified_witness_what", { name: v.witness.name || "-", fingerprint: v.witness.fingerprint || "-" }) : t("dash.int.verified_none") }),
    h("dt", { text: t("dash.int.verified_log") }),
    h("dd", { text: v.log.time + " · " + t("dash.int.verified_log_what", { size: v.log.size }) })));
  out.push(h("p", { class: "legend", text: t("dash.int.verified_full") }));
  out.push(h("h3", { text: t("dash.int.witnesses") }));
  out.push(h("table", { id: "witnesses" }, h("thead", {}, h("tr", {}, ["dash.int.name", "dash.int.fingerprint", "dash.int.signed", "dash.int.key"].map((k) => h("th", { scope: "col", text: t(k) })))),
    h("tbody", {}, c.witnesses.map((w) => h("tr", {}, h("td", { text: w.name || "-" }), h("td", { class: "mono", text: w.fingerprint || "-" }),
      h("td", { text: w.time }), h("td", { class: "mono", text: w.verifier_key }))))));
  out.push(h("p", { class: "legend", text: t("dash.int.compare") }));
  out.push(h("h3", { text: t("dash.int.note") }), h("pre", { text: c.note }));
  return out;
}

const PAGES = { readiness: readinessPage, item: itemPage, record: recordPage, discrepancies: discrepanciesPage, integrity: integrityPage };

/* --- live updates: poll the newest record's position, re-render on change -- */

async function poll() {
  try {
    const r = await api("api/head");
    if (headPosition !== null && r.position !== headPosition) {
      headPosition = r.position;
      await render(true);
      document.getElementById("live").textContent = t("dash.updated", { time: new Date().toLocaleTimeString(lang === "id" ? "id-ID" : "en-GB") });
    }
    headPosition = r.position;
  } catch (error) {
    document.getElementById("live").textContent = t("dash.offline");
  }
  setTimeout(poll, 2000);
}

/* --- start ----------------------------------------------------------------- */

async function switchLang() {
  const next = lang === "id" ? "en" : "id";
  T = await api("api/i18n/" + next);
  lang = next;
  document.documentElement.lang = lang;
  staticTexts();
  await render(true);
}

document.addEventListener("DOMContentLoaded", () => {
  staticTexts();
  const q = document.getElementById("q");
  const list = document.getElementById("suggest");
  let timer = null;
  q.addEventListener("input", () => {
    clearTimeout(timer);
    const text = q.value.trim().toUpperCase();
    if (text.length < 3) return;
    timer = setTimeout(async () => {
      try {
        const r = await api("api/search?" + new URLSearchParams({ q: text }));
        list.replaceChildren(...r.items.map((id) => h("option", { value: id })));
      } catch (error) { /* a partial id that is not one yet: no suggestions */ }
    }, 200);
  });
  document.getElementById("search").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = q.value.trim().toUpperCase();
    if (text) go("#/item/" + encodeURIComponent(text));
  });
  document.getElementById("lang").addEventListener("click", switchLang);
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) { e.preventDefault(); q.focus(); }
  });
  window.addEventListener("hashchange", () => render(false));
  render(false);
  poll();
});
