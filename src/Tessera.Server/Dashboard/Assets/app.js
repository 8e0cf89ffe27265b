// Tessera's dashboard: plain JavaScript, no framework, no build step. Every call goes to this server's own /api/
// routes with the session cookie (HttpOnly: this script never sees it). Nothing here uses innerHTML with data.
"use strict";

const $ = (id) => document.getElementById(id);
const pages = ["overview", "jobs", "negatives", "catalog", "libraries"];
const state = { libraries: [], presets: [], catalogs: [], events: null, jobs: new Map(), browse: { library: "", path: "", next: null }, timer: 0 };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const svgNs = "http://www.w3.org/2000/svg";
function svg(tag, attrs) {
  const node = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

const number = new Intl.NumberFormat();
function bytes(n) {
  if (n === null || n === undefined) return "–";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
const ms = (v) => (v === null || v === undefined ? "–" : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);
const percent = (v) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)}%`);
function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
const when = (t) => (t ? new Date(t).toLocaleString() : "–");

class SignedOut extends Error {}

async function api(path, options) {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" }, ...options });
  if (response.status === 401) { showSignIn(); throw new SignedOut(); }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try { const body = await response.json(); if (body.detail) detail = body.detail; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  return response.status === 204 ? null : response.json();
}
const post = (path, body) => api(path, body === undefined ? { method: "POST" } : {
  method: "POST", body: JSON.stringify(body), headers: { Accept: "application/json", "Content-Type": "application/json" },
});

function say(id, text, bad) {
  const node = $(id);
  node.textContent = text || "";
  node.classList.toggle("bad", !!bad);
}

function failed(id) {
  return (e) => { if (!(e instanceof SignedOut)) say(id, e.message, true); };
}

// ---- Sign-in ----------------------------------------------------------------------------------------------------

function showSignIn(message) {
  stopEvents();
  $("nav").hidden = true;
  $("signout").hidden = true;
  for (const p of pages) $(`page-${p}`).hidden = true;
  $("page-signin").hidden = false;
  say("signin-message", message || "", !!message);
  $("signin-key").focus();
}

async function signIn(event) {
  event.preventDefault();
  const form = new URLSearchParams(new FormData($("signin-form")));
  say("signin-message", "");
  const response = await fetch("/api/session", { method: "POST", body: form, credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status === 204) {
    $("signin-key").value = "";
    await start();
    return;
  }
  let detail = "sign-in failed";
  try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
  say("signin-message", response.status === 401 ? "Wrong admin key." : detail, true);
  $("signin-key").select();
}

async function signOut() {
  await fetch("/api/session", { method: "DELETE", credentials: "same-origin" });
  showSignIn();
}

// ---- Navigation --------------------------------------------------------------------------------------------------

function show(page) {
  if (!pages.includes(page) || (page === "catalog" && state.catalogs.length === 0)) page = "overview";
  for (const p of pages) $(`page-${p}`).hidden = p !== page;
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.page === page) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  clearInterval(state.timer);
  const load = { overview: loadOverview, jobs: loadJobs, negatives: loadNegatives, catalog: loadCatalog, libraries: loadLibraries }[page];
  load();
  if (page === "overview") state.timer = setInterval(loadOverview, 30000);
  if (page === "negatives") state.timer = setInterval(loadNegatives, 30000);
}

// ---- Overview ----------------------------------------------------------------------------------------------------

function figure(id, value, text) {
  const node = $(id);
  node.dataset.value = value === null || value === undefined ? "" : String(value);
  node.textContent = text;
}

async function loadOverview() {
  try {
    const [stats, history] = await Promise.all([api("/api/stats"), api("/api/stats/history")]);
    figure("stat-items", stats.items, number.format(stats.items));
    figure("stat-renditions", stats.renditions, number.format(stats.renditions));
    figure("stat-bytes", stats.bytes, bytes(stats.bytes));
    $("stat-budget").textContent = stats.budgetBytes > 0 ? `of ${bytes(stats.budgetBytes)} (${percent(stats.budgetUsedRatio)})` : "no budget set";
    $("stat-budget-meter").value = stats.budgetUsedRatio || 0;
    figure("stat-hitratio", stats.hitRatio, percent(stats.hitRatio));
    figure("stat-hits", stats.hits, number.format(stats.hits));
    figure("stat-misses", stats.misses, number.format(stats.misses));
    $("stat-p50").textContent = `p50 ${ms(stats.generation.p50Ms)}`;
    $("stat-p95").textContent = ms(stats.generation.p95Ms);
    $("stat-p99").textContent = ms(stats.generation.p99Ms);
    const negatives = Object.values(stats.negativesByReason || {}).reduce((a, b) => a + b, 0);
    figure("stat-negatives", negatives, number.format(negatives));
    figure("stat-placeholders", stats.placeholders, number.format(stats.placeholders));
    drawCharts(history.samples);
  } catch (e) {
    if (!(e instanceof SignedOut)) $("history-hint").textContent = `Could not read the figures: ${e.message}`;
  }
}

function deltas(samples, pick) {
  const out = [];
  for (let i = 1; i < samples.length; i++) out.push({ at: samples[i].at, v: Math.max(0, pick(samples[i]) - pick(samples[i - 1])) });
  return out;
}

function drawCharts(samples) {
  const hits = deltas(samples, (s) => s.hits);
  const misses = deltas(samples, (s) => s.misses);
  const generations = deltas(samples, (s) => s.misses + s.warmed);
  chart($("chart-requests"), [{ points: hits, cls: "hits" }, { points: misses, cls: "misses" }], number.format);
  chart($("chart-generations"), [{ points: generations, cls: "generations" }], number.format);
  chart($("chart-bytes"), [{ points: samples.map((s) => ({ at: s.at, v: s.bytes })), cls: "bytes" }], bytes);
}

// A small line chart in an inline SVG: a baseline, the maximum on the left, the time span along the bottom.
function chart(node, series, format) {
  const width = 320;
  const height = 120;
  const pad = { l: 4, r: 4, t: 18, b: 18 };
  node.replaceChildren();
  node.setAttribute("viewBox", `0 0 ${width} ${height}`);
  node.setAttribute("preserveAspectRatio", "none");
  const all = series.flatMap((s) => s.points);
  if (all.length < 2) {
    node.append(Object.assign(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" }), { textContent: "Not enough samples yet" }));
    return;
  }
  const t0 = Math.min(...all.map((p) => Date.parse(p.at)));
  const t1 = Math.max(...all.map((p) => Date.parse(p.at)));
  const max = Math.max(1, ...all.map((p) => p.v));
  const x = (t) => pad.l + ((t - t0) / Math.max(1, t1 - t0)) * (width - pad.l - pad.r);
  const y = (v) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  node.append(svg("line", { x1: pad.l, x2: width - pad.r, y1: height - pad.b, y2: height - pad.b, class: "axis" }));
  node.append(Object.assign(svg("text", { x: pad.l, y: 12, class: "label" }), { textContent: `max ${format(max)}` }));
  const span = duration((t1 - t0) / 1000);
  node.append(Object.assign(svg("text", { x: width - pad.r, y: height - 4, "text-anchor": "end", class: "label" }), { textContent: `last ${span}` }));
  for (const s of series) {
    const d = s.points.map((p, i) => `${i ? "L" : "M"}${x(Date.parse(p.at)).toFixed(1)},${y(p.v).toFixed(1)}`).join("");
    node.append(svg("path", { d, class: `line ${s.cls}`, "vector-effect": "non-scaling-stroke" }));
  }
}

// ---- Jobs ----------------------------------------------------------------------------------------------------------

function fillWarmForm() {
  const select = $("warm-library");
  if (select.options.length === 0) {
    for (const l of state.libraries) select.append(el("option", { value: l.name, text: `${l.name} (${l.kind})` }));
  }
  const presets = $("warm-presets");
  if (presets.querySelectorAll("input").length === 0) {
    for (const p of state.presets) {
      const id = `warm-preset-${p.name}`;
      presets.append(el("span", { class: "check" }, el("input", { type: "checkbox", id, value: p.name, name: "presets" }),
        el("label", { for: id, text: `${p.name} ${p.width}×${p.height}` })));
    }
  }
}

async function startWarm(event) {
  event.preventDefault();
  const presets = [...document.querySelectorAll("#warm-presets input:checked")].map((i) => i.value);
  const body = { kind: "warm", library: $("warm-library").value };
  if (presets.length) body.presets = presets;
  try {
    const job = await post("/api/jobs", body);
    say("warm-message", job.existing ? `Job ${job.id} was already running for this library.` : `Started job ${job.id}.`);
    upsertJob(job);
  } catch (e) { failed("warm-message")(e); }
}

async function loadJobs() {
  fillWarmForm();
  try {
    const page = await api("/api/jobs?limit=20");
    state.jobs.clear();
    $("jobs-list").replaceChildren();
    for (const job of page.jobs.slice().reverse()) upsertJob(job);
    if (page.jobs.length === 0) $("jobs-list").append(el("li", { class: "empty", text: "No jobs yet." }));
  } catch (e) { failed("warm-message")(e); }
  startEvents();
}

function startEvents() {
  if (state.events) return;
  const events = new EventSource("/api/jobs/events");
  events.addEventListener("job", (e) => { const job = JSON.parse(e.data); upsertJob(job); catalogJob(job); });
  // The stream opens with the active jobs only: the catalog panels read the sync jobs again, in case one ended meanwhile.
  events.onopen = () => { for (const l of document.querySelectorAll(".live")) l.classList.add("on"); if (!$("page-catalog").hidden) loadCatalogJobs(); };
  events.onerror = () => { for (const l of document.querySelectorAll(".live")) l.classList.remove("on"); };
  state.events = events;
}

function stopEvents() {
  if (state.events) { state.events.close(); state.events = null; }
}

function upsertJob(job) {
  const list = $("jobs-list");
  list.querySelector(".empty")?.remove();
  let item = state.jobs.get(job.id);
  if (!item) {
    item = renderJob(job);
    state.jobs.set(job.id, item);
    list.prepend(item.node);
  }
  updateJob(item, job);
}

function renderJob(job) {
  const item = { id: job.id };
  const progress = el("progress", { max: "1", value: "0", "aria-label": `Progress of job ${job.id}` });
  const controls = ["pause", "resume", "cancel"].map((action) => el("button", {
    type: "button", class: action === "cancel" ? "danger small" : "small", "data-action": action, text: action[0].toUpperCase() + action.slice(1),
    "aria-label": `${action[0].toUpperCase() + action.slice(1)} job ${job.id}`,
    onclick: () => control(job.id, action),
  }));
  const failures = el("details", { class: "failures", ontoggle: (e) => { if (e.target.open) loadFailures(item); } },
    el("summary", { text: "Failed items" }), el("ul", {}));
  item.node = el("li", { class: "job", "data-job": job.id },
    el("div", { class: "job-head" }, item.title = el("strong", {}), item.status = el("span", { class: "badge" })),
    el("div", { class: "job-progress" }, progress, item.percent = el("span", { class: "percent" })),
    item.figures = el("p", { class: "job-figures" }),
    el("div", { class: "job-controls" }, ...controls),
    failures);
  item.progress = progress;
  item.controls = controls;
  item.failures = failures;
  return item;
}

function updateJob(item, job) {
  item.job = job;
  item.title.textContent = `#${job.id} ${job.kind}${job.library ? ` · ${job.library}` : ""}`;
  item.status.textContent = job.status;
  item.status.className = `badge ${job.status}`;
  const ratio = job.total > 0 ? job.done / job.total : (job.status === "completed" ? 1 : 0);
  item.progress.value = ratio;
  item.percent.textContent = `${Math.floor(ratio * 100)}%`;
  item.node.dataset.status = job.status;
  item.node.dataset.percent = String(Math.floor(ratio * 100));
  const parts = [`${number.format(job.done)} of ${number.format(job.total)}`, `${job.rate} /s`, `ETA ${duration(job.eta)}`,
    `${number.format(job.failed)} failed`, job.phase];
  if (job.error) parts.push(job.error);
  item.figures.textContent = parts.join(" · ");
  const active = ["queued", "running", "paused"].includes(job.status);
  for (const b of item.controls) {
    const a = b.dataset.action;
    b.hidden = !active || (a === "pause" && job.status === "paused") || (a === "resume" && job.status !== "paused");
  }
  item.failures.hidden = job.failed === 0;
  item.failures.querySelector("summary").textContent = `Failed items (${number.format(job.failed)})`;
}

async function control(id, action) {
  try { upsertJob(await post(`/api/jobs/${id}/${action}`)); } catch (e) { failed("warm-message")(e); }
}

async function loadFailures(item) {
  const list = item.failures.querySelector("ul");
  try {
    const failures = await api(`/api/jobs/${item.id}/failures?limit=100`);
    list.replaceChildren(...failures.map((f) => el("li", {}, el("code", { text: f.item }), ` ${f.preset}: ${f.reason}${f.detail ? ` — ${f.detail}` : ""}`)));
  } catch (e) { failed("warm-message")(e); }
}

// ---- Negative cache ------------------------------------------------------------------------------------------------

async function loadNegatives() {
  try {
    const reason = $("negatives-filter").value;
    const [stats, entries] = await Promise.all([api("/api/stats"), api(`/api/negatives?limit=200${reason ? `&reason=${encodeURIComponent(reason)}` : ""}`)]);
    const reasons = Object.entries(stats.negativesByReason || {});
    const body = $("negatives-reasons").tBodies[0];
    body.replaceChildren(...reasons.map(([r, n]) => el("tr", {}, el("td", { class: "nowrap", text: r }), el("td", { class: "num", text: number.format(n) }),
      el("td", {}, el("button", { type: "button", class: "small", "aria-label": `Clear ${r} entries`, text: "Clear", onclick: () => clearNegatives(r) })))));
    if (reasons.length === 0) body.append(el("tr", {}, el("td", { colspan: "3", class: "empty", text: "No negative entries." })));
    const filter = $("negatives-filter");
    for (const [r] of reasons) if (![...filter.options].some((o) => o.value === r)) filter.append(el("option", { value: r, text: r }));
    $("negatives-entries").tBodies[0].replaceChildren(...entries.map((e) => el("tr", {}, el("td", {}, el("code", { text: e.item }), el("div", { class: "hint", text: e.detail })),
      el("td", { class: "nowrap", text: e.reason }), el("td", { class: "num", text: String(e.attempts) }), el("td", { text: when(e.retryAt) }))));
  } catch (e) { failed("negatives-message")(e); }
}

async function clearNegatives(reason) {
  try {
    const result = await api(`/api/negatives${reason ? `?reason=${encodeURIComponent(reason)}` : ""}`, { method: "DELETE" });
    say("negatives-message", `Cleared ${result.cleared} entries.`);
    loadNegatives();
  } catch (e) { failed("negatives-message")(e); }
}

// ---- Catalog -------------------------------------------------------------------------------------------------------
// A panel per upstream: its entities, last sync and state, then a row per entity type as GET /api/catalog/NAME reports
// it. A sync is a catalog-sync job followed through the jobs event stream; the panel is read again when it ends.

const catalogViews = new Map();
const activeStatus = (s) => ["queued", "running", "paused"].includes(s);

function loadCatalog() {
  catalogViews.clear();
  $("catalog-list").replaceChildren(...state.catalogs.map((c) => renderCatalog(c).node));
  for (const c of state.catalogs) refreshCatalog(c.name);
  loadCatalogJobs();
  startEvents();
}

async function loadCatalogJobs() {
  try {
    const page = await api("/api/jobs?kind=catalog-sync&limit=50");
    for (const job of page.jobs.slice().reverse()) catalogJob(job);
  } catch (e) { if (!(e instanceof SignedOut)) for (const v of catalogViews.values()) say(v.message.id, e.message, true); }
}

function renderCatalog(c) {
  const id = `catalog-${c.name}`;
  const v = { name: c.name, job: null, synced: undefined };
  const card = (label, dd) => el("div", { class: "card" }, el("dt", { text: label }), dd);
  const mode = el("select", { id: `${id}-mode` }, ...["smart", "incremental", "full"].map((m) => el("option", { value: m, text: m })));
  v.total = el("dd", { class: "total", "data-value": "", text: "–" });
  v.last = el("dd", { class: "last-sync small", "data-value": "", text: "–" });
  v.badge = el("span", { class: "badge", text: "–" });
  v.progress = el("progress", { max: "1", value: "0", "aria-label": `Progress of the sync of ${c.name}` });
  v.percent = el("span", { class: "percent" });
  v.figures = el("span", { class: "job-figures" });
  v.jobLine = el("div", { class: "job-progress", hidden: true }, v.progress, v.percent, v.figures);
  v.body = el("tbody", {});
  v.message = el("p", { id: `${id}-message`, class: "message", role: "status" });
  v.node = el("section", { class: "panel catalog", id, "data-catalog": c.name, "aria-labelledby": `${id}-title` },
    el("h2", { id: `${id}-title`, text: `${c.name} (${c.kind})` }),
    el("dl", { class: "cards" }, card("Entities", v.total), card("Last sync", v.last), card("State", el("dd", { class: "state small" }, v.badge))),
    v.jobLine,
    el("div", { class: "table-scroll", role: "region", tabindex: "0", "aria-label": `${c.name} per entity type` },
      el("table", { class: "grid-table" }, el("caption", { text: `Sync status of ${c.name} per entity type` }),
        el("thead", {}, el("tr", {}, ...["Type", "Entities", "Last sync", "Last full sync", "Result"].map((h, i) => el("th", { scope: "col", class: i === 1 ? "num" : null, text: h })))),
        v.body)),
    el("div", { class: "row" }, el("label", { for: `${id}-mode`, text: "Mode" }), mode,
      el("button", { type: "button", id: `${id}-sync`, text: `Sync ${c.name} now`, onclick: () => syncCatalog(v, mode.value) })),
    v.message);
  catalogViews.set(c.name, v);
  return v;
}

async function refreshCatalog(name) {
  const v = catalogViews.get(name);
  try {
    const status = await api(`/api/catalog/${encodeURIComponent(name)}`);
    if (catalogViews.get(name) !== v) return;
    const total = status.types.reduce((a, t) => a + t.count, 0);
    const last = status.types.map((t) => t.lastSync).filter(Boolean).sort((a, b) => Date.parse(a) - Date.parse(b)).pop() || null;
    v.total.dataset.value = String(total);
    v.total.textContent = number.format(total);
    v.last.dataset.value = last || "";
    v.last.textContent = when(last);
    v.body.replaceChildren(...status.types.map((t) => el("tr", { "data-type": t.type },
      el("th", { scope: "row", text: t.type }),
      el("td", { class: "num", "data-value": String(t.count), text: number.format(t.count) }),
      el("td", { class: "nowrap", "data-value": t.lastSync || "", text: when(t.lastSync) }),
      el("td", { class: "nowrap", "data-value": t.lastFullSync || "", text: when(t.lastFullSync) }),
      el("td", { text: t.lastResult || "never synced" }))));
    v.synced = last !== null;
    showCatalogState(v);
  } catch (e) { failed(v.message.id)(e); }
}

// The state: the latest sync job's while it is active or when it did not complete, else synced or never synced.
function showCatalogState(v) {
  const job = v.job;
  const s = job && job.status !== "completed" ? job.status : v.synced === undefined ? "" : v.synced ? "synced" : "never synced";
  v.node.dataset.state = s;
  v.badge.textContent = s || "–";
  v.badge.className = `badge ${s === "synced" ? "completed" : s}`;
  v.jobLine.hidden = !job;
  if (!job) return;
  const ratio = job.total > 0 ? job.done / job.total : (job.status === "completed" ? 1 : 0);
  v.progress.value = ratio;
  v.percent.textContent = `${Math.floor(ratio * 100)}%`;
  v.jobLine.dataset.job = String(job.id);
  v.jobLine.dataset.status = job.status;
  v.jobLine.dataset.percent = String(Math.floor(ratio * 100));
  v.figures.textContent = [`job #${job.id}`, job.status, `${number.format(job.done)} of ${number.format(job.total)}`, job.phase, job.error].filter(Boolean).join(" · ");
}

// A job from the events stream, the list or a POST: the newest one per catalog is shown; an active state never
// replaces a finished one of the same job (a POST's answer can arrive after the stream's last event).
function catalogJob(job) {
  if (job.kind !== "catalog-sync") return;
  const v = catalogViews.get(job.library);
  if (!v || (v.job && (v.job.id > job.id || (v.job.id === job.id && !activeStatus(v.job.status) && activeStatus(job.status))))) return;
  v.job = job;
  showCatalogState(v);
  if (!activeStatus(job.status) && v.refreshedFor !== job.id) {
    v.refreshedFor = job.id;
    refreshCatalog(v.name);
  }
}

async function syncCatalog(v, mode) {
  try {
    const job = await post(`/api/catalog/${encodeURIComponent(v.name)}/sync`, { mode });
    say(v.message.id, job.existing ? `Job ${job.id} was already syncing ${v.name}.` : `Started job ${job.id}.`);
    catalogJob(job);
  } catch (e) { failed(v.message.id)(e); }
}

// ---- Libraries -----------------------------------------------------------------------------------------------------

function loadLibraries() {
  const select = $("browse-library");
  const folders = state.libraries.filter((l) => l.kind === "folder");
  if (select.options.length === 0) {
    for (const l of folders) select.append(el("option", { value: l.name, text: l.access === "public" ? l.name : `${l.name} (${l.access})` }));
  }
  if (folders.length === 0) { say("browse-message", "No folder library is configured."); return; }
  browse(select.value, state.browse.library === select.value ? state.browse.path : "");
}

async function browse(library, path, more) {
  const offset = more ? state.browse.next : 0;
  try {
    const listing = await api(`/api/libraries/${encodeURIComponent(library)}/folders/${path.split("/").map(encodeURIComponent).join("/")}?offset=${offset}`);
    state.browse = { library, path: listing.path, next: listing.next };
    if (!more) {
      renderCrumbs(library, listing.path);
      $("folders").replaceChildren(...listing.folders.map((f) => el("li", {}, el("button", { type: "button", class: "folder", text: f.name, onclick: () => browse(library, f.path) }))));
      $("tiles").replaceChildren();
    }
    $("tiles").append(...listing.files.map((f) => el("li", {}, el("button", { type: "button", class: "tile", "aria-label": f.name, onclick: () => openDetail(f) },
      el("img", { src: f.thumb, alt: "", loading: "lazy", decoding: "async" }), el("span", { text: f.name })))));
    $("browse-more").hidden = listing.next === null;
    say("browse-message", listing.totalFiles === 0 && listing.folders.length === 0 ? "This folder is empty." : `${number.format(listing.totalFiles)} files`);
  } catch (e) { failed("browse-message")(e); }
}

function renderCrumbs(library, path) {
  const parts = path ? path.split("/") : [];
  const crumbs = [el("li", {}, el("button", { type: "button", class: "link", text: library, onclick: () => browse(library, "") }))];
  parts.forEach((name, i) => {
    const target = parts.slice(0, i + 1).join("/");
    crumbs.push(el("li", {}, i === parts.length - 1 ? el("span", { "aria-current": "location", text: name })
      : el("button", { type: "button", class: "link", text: name, onclick: () => browse(library, target) })));
  });
  $("crumbs").replaceChildren(...crumbs);
}

async function openDetail(file) {
  const dialog = $("detail");
  $("detail-title").textContent = file.name;
  $("detail-image").src = file.detail;
  $("detail-image").alt = `${file.name}, detail preset`;
  const findings = $("detail-findings");
  findings.replaceChildren(el("dt", { text: "Path" }), el("dd", { text: file.path }), el("dt", { text: "Size" }), el("dd", { text: bytes(file.size) }));
  dialog.showModal();
  try {
    const response = await fetch(file.detail, { method: "HEAD", credentials: "same-origin" });
    const rows = [["Status", String(response.status)], ["Source", response.headers.get("X-Tessera-Source")], ["Cache", response.headers.get("X-Tessera-Cache")],
      ["Placeholder", response.headers.get("X-Tessera-Placeholder")], ["Source chain", response.headers.get("X-Tessera-Detail")], ["Address", response.headers.get("Content-Location")]];
    for (const [k, v] of rows) if (v) findings.append(el("dt", { text: k }), el("dd", { text: v }));
  } catch (e) {
    findings.append(el("dt", { text: "Error" }), el("dd", { text: e.message }));
  }
}

// ---- Start ---------------------------------------------------------------------------------------------------------

async function start() {
  const session = await (await fetch("/api/session", { credentials: "same-origin", headers: { Accept: "application/json" } })).json();
  if (!session.signedIn) {
    const refused = new URLSearchParams(location.search).get("signin") === "refused";
    showSignIn(!session.adminEnabled ? "The admin API is disabled on this server: start it with --api-key." : refused ? "Wrong admin key." : "");
    return;
  }
  try {
    const setup = await api("/api/libraries");
    state.libraries = setup.libraries;
    state.presets = setup.presets;
    state.catalogs = setup.catalogs;
  } catch (e) { if (e instanceof SignedOut) return; }
  $("page-signin").hidden = true;
  $("nav").hidden = false;
  $("signout").hidden = false;
  $("nav-catalog").hidden = state.catalogs.length === 0;
  if (location.search) history.replaceState(null, "", `/${location.hash}`);
  show(location.hash.slice(1));
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  $("warm-form").addEventListener("submit", startWarm);
  $("negatives-filter").addEventListener("change", loadNegatives);
  $("negatives-clear-all").addEventListener("click", () => clearNegatives(""));
  $("browse-library").addEventListener("change", (e) => browse(e.target.value, ""));
  $("browse-more").addEventListener("click", () => browse(state.browse.library, state.browse.path, true));
  $("detail-close").addEventListener("click", () => $("detail").close());
  window.addEventListener("hashchange", () => { if (!$("nav").hidden) show(location.hash.slice(1)); });
  start();
});
