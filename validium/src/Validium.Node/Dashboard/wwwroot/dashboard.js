"use strict";
// Every value from the node is rendered as a text node (el/text below); nothing is parsed as HTML.
(() => {
  const OVERVIEW = "/operator/overview";
  const PERIOD_MS = 1000;
  const TIMEOUT_MS = 2500;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, String(v));
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
    return node;
  }

  const num = (v) => (v == null ? "–" : Number(v).toLocaleString("en-US"));
  const secs = (v) => (v == null ? "–" : Number(v).toFixed(2));
  const clock = (ms) => (ms == null ? "–" : new Date(ms).toISOString().substring(11, 19) + " UTC");

  function levels(rows, side) {
    const body = el("tbody");
    for (const l of rows) body.append(el("tr", { class: side }, el("td", { class: "price" }, num(l.price)), el("td", {}, num(l.quantity)), el("td", {}, num(l.orders))));
    if (rows.length === 0) body.append(el("tr", { class: "empty" }, el("td", { colspan: 3 }, "empty")));
    return el("table", { class: side + "s" }, el("thead", {}, el("tr", {}, el("th", {}, side === "bid" ? "bid" : "ask"), el("th", {}, "qty"), el("th", {}, "orders"))), body);
  }

  function renderBooks(books) {
    const box = document.getElementById("books");
    box.replaceChildren(...books.map((b) => {
      const trades = el("tbody");
      for (const t of b.trades) trades.append(el("tr", { class: "trade" }, el("td", {}, clock(t.time)), el("td", {}, t.takerSide), el("td", {}, num(t.price)), el("td", {}, num(t.quantity))));
      return el("div", { class: "book", id: "book-" + b.instrument, "data-instrument": b.instrument },
        el("h3", {}, "#" + b.instrument + " " + b.kind),
        el("div", { class: "marks" }, "mark " + num(b.markPrice) + " · index " + num(b.indexPrice)),
        el("div", { class: "sides" }, levels(b.bids, "bid"), levels(b.asks, "ask")),
        el("table", { class: "trades" }, el("thead", {}, el("tr", {}, el("th", {}, "time"), el("th", {}, "taker"), el("th", {}, "price"), el("th", {}, "qty"))), trades));
    }));
    if (books.length === 0) box.replaceChildren(el("p", {}, "no instruments listed yet"));
  }

  function renderPipeline(p) {
    const parts = [
      el("span", {}, p.started ? "running" : "not started"),
      el("span", {}, "queue " + num(p.queueDepth)),
      el("span", {}, "unproven " + num(p.unproven)),
      el("span", { id: "stage" }, "proving " + (p.stage ?? "idle")),
      el("span", {}, "back-pressure waits " + num(p.backPressureWaits)),
    ];
    if (p.fault) parts.push(el("span", { class: "fault" }, "stopped: " + p.fault));
    if (p.error) parts.push(el("span", { class: "fault" }, p.error));
    document.getElementById("pipeline").replaceChildren(...parts);
    const body = document.querySelector("#batches tbody");
    body.replaceChildren(...p.batches.map((b) => el("tr", { class: "batch", "data-number": b.number },
      el("td", {}, b.number), el("td", { class: b.status }, b.status), el("td", {}, b.reason),
      el("td", {}, b.deposits), el("td", {}, b.trades), el("td", {}, b.withdrawals),
      el("td", { class: "proving" }, secs(b.provingSeconds)),
      el("td", { class: "l1-stage", title: b.l1 && b.l1.lastError ? b.l1.lastError : "" },
        b.l1 ? b.l1.stage + (b.l1.dataPath === "on-chain" ? " · data on L1" : "") : "–"),
      el("td", {}, b.l1 ? num(b.l1.block) : "–"),
      el("td", { class: "confirmations" }, b.l1 ? num(b.l1.confirmations) : "–"))));
  }

  function renderCommittee(c) {
    const list = document.getElementById("committee");
    list.replaceChildren(...c.members.map((m) => {
      const state = m.up == null ? "unknown" : m.up ? "up" : "down";
      const detail = m.up ? num(m.latencyMs == null ? null : Math.round(m.latencyMs)) + " ms" : (m.lastError ?? "not polled yet");
      return el("li", { class: "member " + state, "data-url": m.url, title: m.lastError ?? "" },
        el("span", { class: "light " + state }), m.url + " — " + state + " · " + detail);
    }));
    if (c.members.length === 0) list.replaceChildren(el("li", {}, "no members configured"));
  }

  function renderL1(l) {
    const rows = l.configured
      ? [["head block", num(l.head)], ["contract batch", num(l.contractBatch)], ["checked", clock(l.checkedAt)]]
      : [["L1", "not configured"]];
    if (l.error) rows.push(["error", l.error]);
    if (l.posterAlert) rows.push(["poster", l.posterAlert]);
    document.getElementById("l1").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k),
      el("dd", { class: k === "error" || k === "poster" ? "error-text" : "" }, v)]));
  }

  function setStatus(ok, text) {
    const s = document.getElementById("status");
    s.className = "status " + (ok ? "ok" : "error");
    s.textContent = text;
    document.body.classList.toggle("stale", !ok);
  }

  async function tick() {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const res = await fetch(OVERVIEW, { cache: "no-store", signal: abort.signal });
      if (!res.ok) throw new Error("the node answered HTTP " + res.status);
      const o = await res.json();
      renderBooks(o.books);
      renderPipeline(o.pipeline);
      renderCommittee(o.committee);
      renderL1(o.l1);
      document.getElementById("updated").textContent = clock(o.time);
      document.getElementById("sequence").textContent = num(o.node.sequence);
      if (o.node.fault) setStatus(false, "node fault: " + o.node.fault);
      else setStatus(true, o.node.started ? "live" : "node starting");
    } catch (e) {
      setStatus(false, "the node does not answer: " + (e.name === "AbortError" ? "timed out" : e.message));
    } finally {
      clearTimeout(timer);
      setTimeout(tick, PERIOD_MS);
    }
  }

  tick();
})();
