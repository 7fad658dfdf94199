/* sitrep dashboard: the map, the timeline, the list and the event panel over the sitrep serve API.
   No build step: plain browser JavaScript over the vendored Leaflet, Leaflet.markercluster,
   topojson-client and uPlot. Article text and every value from the store are put in the page as
   text (textContent, text nodes), never as HTML. */
"use strict";

(function () {
  // Colours as in the situation report: Okabe and Ito's palette, told apart by colour-blind readers.
  const TYPES = {
    "Battles": ["#D55E00", ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"]],
    "Explosions/Remote violence": ["#0072B2", ["Chemical weapon", "Air/drone strike", "Suicide bomb",
      "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"]],
    "Violence against civilians": ["#CC79A7", ["Sexual violence", "Attack", "Abduction/forced disappearance"]],
    "Protests": ["#009E73", ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"]],
    "Riots": ["#E69F00", ["Violent demonstration", "Mob violence"]],
    "Strategic developments": ["#555555", ["Agreement", "Arrests", "Change to group/activity",
      "Disrupted weapons use", "Headquarters or base established", "Looting/property destruction",
      "Non-violent transfer of territory", "Other"]],
  };
  const FILTERS = ["country", "admin1", "type", "sub_event_type", "actor", "since", "until",
    "min_fatalities", "reviewed", "min_confidence"];
  const PRECISION = {1: "the town itself", 2: "near a town or part of a region", 3: "only the region (its centroid)"};
  const EDITABLE = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "admin1",
    "country", "fatalities", "notes"];
  const $ = (id) => document.getElementById(id);

  const state = { filters: {}, unit: "auto", event: null, current: null };
  let token = sessionStorage.getItem("sitrep-token") || "";
  // A link with "#token=..." (as `sitrep serve` prints it) hands the page a token: kept for this tab,
  // then taken out of the address so that it is not shared with the view.
  const handed = new URLSearchParams(location.hash.slice(1)).get("token");
  if (handed) {
    token = handed;
    sessionStorage.setItem("sitrep-token", token);
    history.replaceState(null, "", location.pathname + location.search);
  }
  let busy = 0;

  // -- helpers -------------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = String(v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  function colour(type) { return (TYPES[type] || ["#525252"])[0]; }

  function track(promise) {
    busy += 1;
    document.body.dataset.busy = String(busy);
    return promise.finally(() => { busy -= 1; document.body.dataset.busy = String(busy); });
  }

  async function api(path, options) {
    const opts = options || {};
    const headers = { "Accept": "application/json" };
    if (token) headers["Authorization"] = "Bearer " + token;
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method: opts.method || "GET", headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const j = await response.json();
        detail = j.message !== undefined ? j.message : (j.detail !== undefined ? j.detail : j);
      } catch (e) { /* not JSON: keep the status text */ }
      const err = new Error(response.status + " " + (typeof detail === "string" ? detail : JSON.stringify(detail)));
      err.status = response.status;
      throw err;
    }
    return response.json();
  }

  function say(text) { $("status").textContent = text; }

  function explain(err) {
    if (err.status === 401) {
      return token ? "The token was refused (" + err.message + "): enter another above."
        : "This server needs a token to read: enter a reader token above.";
    }
    if (err.status === 403) return "This token may not do that (" + err.message + ").";
    return "Error: " + err.message;
  }

  // -- filters and the address bar ------------------------------------------------------------------

  function query(extra, without) {
    const q = new URLSearchParams();
    for (const f of FILTERS) if (state.filters[f] && !(without || []).includes(f)) q.set(f, state.filters[f]);
    for (const [k, v] of Object.entries(extra || {})) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
    return q.toString();
  }

  function readUrl() {
    const q = new URLSearchParams(location.search);
    for (const f of FILTERS) state.filters[f] = q.get(f) || "";
    state.unit = q.get("unit") || "auto";
    state.event = q.get("event") || null;
  }

  function writeUrl(push) {
    const q = new URLSearchParams(query({ unit: state.unit === "auto" ? "" : state.unit, event: state.event }));
    const url = location.pathname + (q.toString() ? "?" + q.toString() : "");
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  }

  function fillSubtypes() {
    const sub = $("f-sub");
    const type = $("f-type").value;
    const keep = state.filters.sub_event_type;
    sub.replaceChildren(el("option", { value: "", text: "any" }));
    for (const [t, [, subs]] of Object.entries(TYPES)) {
      if (type && t !== type) continue;
      for (const s of subs) sub.append(el("option", { value: s, text: s }));
    }
    sub.value = keep && [...sub.options].some((o) => o.value === keep) ? keep : "";
  }

  function fillForm() {
    const form = $("filters");
    $("f-type").value = state.filters.type || "";
    fillSubtypes();
    for (const f of FILTERS) if (form.elements[f]) form.elements[f].value = state.filters[f] || "";
    $("tl-unit-select").value = state.unit;
  }

  function readForm() {
    const form = $("filters");
    for (const f of FILTERS) state.filters[f] = form.elements[f] ? form.elements[f].value.trim() : "";
  }

  // -- the map ------------------------------------------------------------------------------------

  const map = L.map("map", { minZoom: 1, maxZoom: 12, worldCopyJump: true, zoomControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: Natural Earth");
  map.setView([20, 20], 2);
  const markers = L.markerClusterGroup({
    chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true,
    iconCreateFunction: (cluster) => clusterIcon(cluster.getChildCount()),
  }).addTo(map);
  const serverClusters = L.layerGroup().addTo(map);
  const selected = L.layerGroup().addTo(map);

  function select(ev) {
    selected.clearLayers();
    if (!ev || ev.latitude === null || ev.latitude === undefined) return;
    selected.addLayer(L.circleMarker([ev.latitude, ev.longitude], { radius: radius(ev.fatalities) + 7, color: "#111",
      weight: 3, fill: false, interactive: false, className: "ev-selected" }));
  }
  let mapSeq = 0;
  let fitting = false;

  function clusterIcon(count) {
    const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
    const icon = L.divIcon({ html: "", className: "ev-cluster", iconSize: L.point(size, size) });
    icon.createIcon = function (old) {
      const div = L.DivIcon.prototype.createIcon.call(this, old);
      div.replaceChildren(el("span", { text: count }));
      div.setAttribute("aria-label", count + " events");
      div.dataset.count = String(count);
      return div;
    };
    return icon;
  }

  function radius(fatalities) { return Math.min(26, 5 + 2.5 * Math.sqrt(fatalities || 0)); }

  function pointStyle(type, fatalities, precision, status) {
    const c = colour(type);
    const style = { radius: radius(fatalities), fillColor: c, className: "ev-marker ev-p" + precision };
    if (precision === 1) Object.assign(style, { color: "#111", weight: 1, fillOpacity: 0.9 });
    else if (precision === 2) Object.assign(style, { color: c, weight: 2, fillOpacity: 0.45, dashArray: "4 2" });
    else Object.assign(style, { color: c, weight: 2.5, fillOpacity: 0.08, dashArray: "2 4" });
    if (status === "rejected") Object.assign(style, { opacity: 0.4, fillOpacity: 0.05 });
    return style;
  }

  function bboxOfView() {
    const b = map.getBounds();
    const west = b.getWest(), east = b.getEast();
    const south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    if (east - west >= 360) return [-180, south, 180, north].join(",");
    const wrap = (lon) => ((((lon + 180) % 360) + 360) % 360) - 180;
    return [wrap(west), south, wrap(east), north].map((v) => v.toFixed(4)).join(",");
  }

  function drawPoints(points) {
    markers.clearLayers();
    serverClusters.clearLayers();
    const layers = points.map(([id, lat, lon, type, fatalities, precision, status]) => {
      const m = L.circleMarker([lat, lon], pointStyle(type, fatalities, precision, status));
      m.bindTooltip(el("span", { text: type + " · " + fatalities + " killed · " + PRECISION[precision] }));
      m.on("click", () => openEvent(id, true));
      m.eventId = id;
      return m;
    });
    markers.addLayers(layers);
    return layers;
  }

  function drawClusters(clusters) {
    markers.clearLayers();
    serverClusters.clearLayers();
    for (const c of clusters) {
      const m = L.marker([c.latitude, c.longitude], { icon: clusterIcon(c.count), keyboard: true,
        title: c.count + " events, " + c.fatalities + " fatalities" });
      m.on("click", () => map.setView([c.latitude, c.longitude], Math.min(map.getZoom() + 2, 12)));
      serverClusters.addLayer(m);
    }
  }

  async function loadMap(fit) {
    const seq = ++mapSeq;
    const bbox = fit ? "" : bboxOfView();
    const data = await api("/dashboard/map?" + query({ bbox, zoom: Math.round(map.getZoom()) }));
    if (seq !== mapSeq) return;
    let bounds = null;
    if (data.points) {
      const layers = drawPoints(data.points);
      if (layers.length) bounds = L.featureGroup(layers).getBounds();
    } else {
      drawClusters(data.clusters);
      if (data.clusters.length) bounds = L.latLngBounds(data.clusters.map((c) => [c.latitude, c.longitude]));
    }
    $("map").dataset.events = String(data.in_view);
    renderList(data.list, data.in_view);
    let text = data.total + (data.total === 1 ? " event matches" : " events match") + "; " + data.in_view + " on the map";
    if (data.unplaced) text += "; " + data.unplaced + " without a place";
    say(text + ".");
    if (fit && bounds && bounds.isValid()) {
      fitting = true;
      map.fitBounds(bounds.pad(0.2), { maxZoom: 7, animate: false });
      fitting = false;
      await loadMap(false);
    }
  }

  let moveTimer = null;
  map.on("moveend", () => {
    if (fitting) return;
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => track(loadMap(false)).catch((e) => say(explain(e))), 150);
  });

  function unwrap(geometry) {
    // A ring that crosses the antimeridian (Fiji, Chukotka) is drawn east of it rather than across the world.
    if (!geometry) return;
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    for (const rings of polygons) {
      for (const ring of rings) {
        const lons = ring.map((p) => p[0]);
        if (Math.max(...lons) - Math.min(...lons) > 180) for (const p of ring) if (p[0] < 0) p[0] += 360;
      }
    }
  }

  async function loadWorld() {
    const response = await fetch("/static/world/countries-110m.json");
    const world = await response.json();
    const countries = topojson.feature(world, world.objects.countries);
    for (const f of countries.features) unwrap(f.geometry);
    L.geoJSON(countries, {
      interactive: false, style: { color: "#ffffff", weight: 0.8, fillColor: "#d9d4c7", fillOpacity: 1 },
    }).addTo(map).bringToBack();
  }

  // -- the timeline -------------------------------------------------------------------------------

  let plot = null;
  let bins = [];
  let binDays = 1;

  const DAY = 86400;
  const isoDay = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 10);
  const seconds = (iso) => Date.parse(iso + "T00:00:00Z") / 1000;

  async function loadTimeline() {
    const data = await api("/dashboard/timeline?" + query({ unit: state.unit }, ["since", "until"]));
    $("tl-unit").textContent = data.unit;
    binDays = data.unit === "week" ? 7 : 1;
    bins = data.bins;
    const box = $("timeline");
    if (plot) { plot.destroy(); plot = null; }
    box.replaceChildren();
    if (!bins.length) { box.append(el("p", { class: "hint", text: "No dated event matches." })); return; }
    const step = binDays * DAY;
    const xs = [seconds(bins[0].start) - step, ...bins.map((b) => seconds(b.start)), seconds(bins[bins.length - 1].start) + step];
    const events = [0, ...bins.map((b) => b.events), 0];
    const deaths = [0, ...bins.map((b) => b.fatalities), 0];
    const opts = {
      width: Math.max(300, box.clientWidth), height: 150,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: { x: { time: true }, n: { range: (u, min, max) => [0, Math.max(1, max)] },
        f: { range: (u, min, max) => [0, Math.max(1, max)] } },
      series: [
        { label: "From", value: (u, v) => (v === null ? "" : isoDay(v)) },
        { label: "Events", scale: "n", stroke: "#2166ac", fill: "rgba(33,102,172,0.35)",
          paths: uPlot.paths.bars({ size: [0.8, 60] }), points: { show: false } },
        { label: "Fatalities", scale: "f", stroke: "#b2182b", width: 2 },
      ],
      axes: [{}, { scale: "n", label: "events", size: 50, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] },
        { scale: "f", side: 1, label: "fatalities", grid: { show: false }, size: 50 }],
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: { setSelect: [brushed] },
    };
    plot = new uPlot(opts, [xs, events, deaths], box);
    plot.over.setAttribute("aria-hidden", "true");
    showRange();
  }

  function showRange() {
    if (!plot) return;
    const { since, until } = state.filters;
    if (!since && !until) { plot.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false); return; }
    const [lo, hi] = plot.scales.x.min !== undefined ? [plot.scales.x.min, plot.scales.x.max] : [0, 0];
    const a = since ? seconds(since) : lo;
    const b = until ? seconds(until) + DAY : hi;
    const left = plot.valToPos(Math.max(a, lo), "x");
    const right = plot.valToPos(Math.min(b, hi), "x");
    plot.setSelect({ left, width: Math.max(0, right - left), top: 0, height: plot.over.clientHeight }, false);
  }

  function brushed(u) {
    if (u.select.width < 2) return;
    const a = u.posToVal(u.select.left, "x");
    const b = u.posToVal(u.select.left + u.select.width, "x");
    const step = binDays * DAY;
    const first = seconds(bins[0].start);
    const snap = (v) => first + Math.floor((v - first) / step) * step;
    const since = Math.max(snap(a), first);
    const until = Math.min(snap(b) + step - DAY, seconds(bins[bins.length - 1].start) + step - DAY);
    if (until < since) return;
    state.filters.since = isoDay(since);
    state.filters.until = isoDay(until);
    fillForm();
    writeUrl(true);
    track(loadMap(false)).catch((e) => say(explain(e)));
  }

  // -- the list -----------------------------------------------------------------------------------

  function renderList(rows, inView) {
    const list = $("list");
    list.replaceChildren();
    if (!rows.length) list.append(el("li", { class: "hint", text: "No event in view matches the filters." }));
    for (const r of rows) {
      const place = [r.location, r.admin1, r.country].filter(Boolean).join(", ") || "no place named";
      list.append(el("li", {},
        el("button", { type: "button", class: "ev-row", "data-id": r.id, onclick: () => openEvent(r.id, true) },
          el("span", { class: "swatch", style: "background:" + colour(r.event_type), "aria-hidden": "true" }),
          el("span", { class: "when", text: r.date || "undated" }),
          el("span", { class: "what", text: r.sub_event_type || r.event_type }),
          el("span", { class: "where", text: place }),
          el("span", { class: "deaths", text: r.fatalities + " killed" }),
          r.status !== "unreviewed" ? el("span", { class: "badge " + r.status, text: r.status }) : null)));
    }
    if (inView > rows.length) list.append(el("li", { class: "hint", text: "The newest " + rows.length + " of " + inView + " in view." }));
  }

  // -- the event panel ----------------------------------------------------------------------------

  function field(dl, name, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.append(el("dt", { text: name }), el("dd", { text: Array.isArray(value) ? value.join("; ") : value }));
  }

  function highlighted(text, spans) {
    const chars = Array.from(text); // offsets count code points, as the store's do
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const s of [...spans].sort((a, b) => a.start - b.start)) {
      const start = Math.max(s.start, pos);
      const end = Math.min(s.end, chars.length);
      if (end <= start) continue;
      if (start > pos) frag.append(document.createTextNode(chars.slice(pos, start).join("")));
      frag.append(el("mark", { class: "evidence", text: chars.slice(start, end).join("") }));
      pos = end;
    }
    frag.append(document.createTextNode(chars.slice(pos).join("")));
    return frag;
  }

  function safeUrl(url) {
    try {
      const u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) { return null; }
  }

  async function renderReport(ev, report, box) {
    const id = report.article_id;
    const head = el("h4", { text: report.title || id });
    const meta = [report.outlet, report.published && "published " + report.published,
      report.event_date && "event day " + report.event_date,
      report.fatalities !== null && report.fatalities !== undefined && report.fatalities + " killed"].filter(Boolean);
    const url = report.url && safeUrl(report.url);
    const article = el("article", { class: "report", "data-article": id }, head, el("p", { class: "meta", text: meta.join(" · ") }),
      url ? el("p", {}, el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: "Original article" })) : null);
    box.append(article);
    const spans = Array.isArray(report.evidence) ? report.evidence
      : (ev.evidence || []).filter((e) => (e.article_id || ev.article_id) === id);
    try {
      const a = await api("/articles/" + encodeURIComponent(id));
      const text = el("div", { class: "article-text", tabindex: "0", role: "document", "aria-label": "Text of " + (report.title || id) });
      text.append(highlighted(a.text || "", spans));
      article.append(text);
      const first = text.querySelector("mark");
      if (first) text.scrollTop = Math.max(0, first.offsetTop - text.offsetTop - 24);
    } catch (e) {
      article.append(el("p", { class: "error", text: "The article text could not be read: " + explain(e) }));
      for (const s of spans) article.append(el("blockquote", {}, el("mark", { class: "evidence", text: s.text })));
    }
  }

  function renderEvent(ev) {
    state.current = ev;
    select(ev);
    $("ev-title").textContent = ev.event_type + ": " + ev.sub_event_type;
    $("ev-notes").textContent = ev.notes || "";
    const dl = $("ev-fields");
    dl.replaceChildren();
    field(dl, "Event id", ev.event_id);
    field(dl, "Date", [ev.event_date || "unknown", ev.date_end && ev.date_end !== ev.event_date && "to " + ev.date_end,
      "(time precision " + ev.time_precision + ")"].filter(Boolean).join(" "));
    field(dl, "Place", [ev.location, ev.admin2, ev.admin1, ev.country].filter(Boolean).join(", ") || "no place named");
    field(dl, "Place precision", PRECISION[ev.geo_precision]);
    if (ev.latitude !== null && ev.latitude !== undefined) field(dl, "Coordinates", ev.latitude + ", " + ev.longitude);
    field(dl, "Actor 1", ev.actor1 && ev.actor1 + (ev.inter1 ? " (" + ev.inter1 + ")" : ""));
    field(dl, "Associated with actor 1", ev.assoc_actor_1);
    field(dl, "Actor 2", ev.actor2 && ev.actor2 + (ev.inter2 ? " (" + ev.inter2 + ")" : ""));
    field(dl, "Associated with actor 2", ev.assoc_actor_2);
    field(dl, "Fatalities", ev.fatalities + " (range " + ev.fatalities_low + " to " +
      (ev.fatalities_high === null || ev.fatalities_high === undefined ? "?" : ev.fatalities_high) + ")");
    field(dl, "Civilian deaths", ev.deaths_civilians);
    field(dl, "Confidence", typeof ev.confidence === "number" ? ev.confidence.toFixed(2) : ev.confidence);
    const review = ev.review || {};
    field(dl, "Review", (review.status || "unreviewed") + (review.by ? " by " + review.by : "") + (review.at ? " at " + review.at : ""));
    const tbody = $("ev-sources");
    tbody.replaceChildren();
    const known = (v) => v !== null && v !== undefined;
    const named = (ev.reports || []).flatMap((r) => (r.sources || []).map((s) => [s, r]));
    const single = ev.reports && ev.reports.length === 1 ? ev.reports[0] : {};
    for (const [s, r] of named.length ? named : (ev.sources || []).map((s) => [s, single])) {
      const toll = known(s.fatalities) ? s.fatalities : known(r.fatalities) ? r.fatalities : "—";
      tbody.append(el("tr", {}, el("td", { text: s.name }), el("td", { text: s.kind || "" }),
        el("td", { text: s.claim || "" }), el("td", { text: toll }),
        el("td", { text: r.outlet || r.title || s.article_id || r.article_id || "" })));
    }
    const box = $("ev-reports");
    box.replaceChildren();
    const reports = ev.reports && ev.reports.length ? ev.reports : [{ article_id: ev.article_id }];
    renderReviewTools(ev, reports);
    return Promise.all(reports.map((r) => renderReport(ev, r, box)));
  }

  async function loadAudit(id) {
    const box = $("ev-audit");
    box.replaceChildren();
    try {
      const data = await api("/events/" + encodeURIComponent(id) + "/audit");
      const entries = Array.isArray(data) ? data : (data.audit || data.entries || data.events || []);
      if (!entries.length) box.append(el("li", { class: "hint", text: "No review yet." }));
      for (const e of entries) {
        const ids = (v) => (Array.isArray(v) ? v : [v]).filter(Boolean).map((x) => x.event_id).filter(Boolean);
        const plain = (v) => v && typeof v === "object" && !Array.isArray(v);
        const after = plain(e.after) ? e.after : {};
        const before = plain(e.before) ? e.before : {};
        const head = [e.at, e.by, e.action, after.status].filter(Boolean).join(" · ");
        const li = el("li", { class: "audit-entry", "data-action": e.action || "" },
          el("span", { class: "audit-head", text: head }));
        if (e.note) li.append(el("q", { text: e.note }));
        if (Array.isArray(e.before) || Array.isArray(e.after)) { // a merge or a split: the events on each side
          li.append(el("span", { class: "audit-fields", text: ids(e.before).join(" + ") + " → " + ids(e.after).join(" + ") }));
        }
        const show = (v) => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
        const changed = Object.keys(after).filter((k) => k !== "status" && show(after[k]) !== show(before[k]));
        if (changed.length) {
          li.append(el("span", { class: "audit-fields", text: changed.slice(0, 12).map((k) =>
            k + ": " + (k in before ? show(before[k]) + " → " : "") + show(after[k])).join("; ") }));
        }
        box.append(li);
      }
    } catch (err) {
      box.append(el("li", { class: "error", text: explain(err) }));
    }
  }

  async function openEvent(id, push) {
    state.event = id;
    writeUrl(push);
    $("events").hidden = true;
    $("panel").hidden = false;
    $("review-message").textContent = "";
    try {
      const ev = await track(api("/events/" + encodeURIComponent(id)));
      await track(Promise.all([renderEvent(ev), loadAudit(ev.event_id || id)]));
      $("panel").focus();
    } catch (err) {
      $("ev-title").textContent = "Event " + id;
      $("ev-notes").textContent = explain(err);
    }
  }

  function closeEvent(push) {
    state.event = null;
    state.current = null;
    select(null);
    writeUrl(push);
    $("panel").hidden = true;
    $("events").hidden = false;
    $("events").focus();
  }

  // -- review -------------------------------------------------------------------------------------

  function renderReviewTools(ev, reports) {
    $("review-tools").hidden = !token;
    $("review-status").textContent = token ? "" : "Enter a reviewer token above to confirm, reject, edit, merge or split.";
    const form = $("rv-edit-form");
    form.replaceChildren();
    for (const name of EDITABLE) {
      const id = "rv-f-" + name;
      const value = ev[name] === null || ev[name] === undefined ? "" : String(ev[name]);
      let input;
      if (name === "event_type" || name === "sub_event_type") {
        input = el("select", { id, name });
        const options = name === "event_type" ? Object.keys(TYPES) : Object.values(TYPES).flatMap(([, s]) => s);
        for (const o of options) input.append(el("option", { value: o, text: o }));
        input.value = value;
      } else if (name === "notes") {
        input = el("textarea", { id, name, rows: "3" });
        input.value = value;
      } else {
        input = el("input", { id, name, type: name === "fatalities" ? "number" : name === "event_date" ? "date" : "text",
          min: name === "fatalities" ? "0" : null });
        input.value = value;
      }
      form.append(el("label", { for: id, text: name.replace(/_/g, " ") }), input);
    }
    form.append(el("button", { type: "submit", text: "Save corrections" }));
    const split = $("rv-split-list");
    split.replaceChildren(el("legend", { text: "Reports to split off" }));
    reports.forEach((r, i) => {
      const id = "rv-split-" + i;
      split.append(el("div", {}, el("input", { type: "checkbox", id, value: r.article_id, disabled: reports.length < 2 }),
        el("label", { for: id, text: (r.title || r.article_id) + (r.outlet ? " (" + r.outlet + ")" : "") })));
    });
  }

  async function act(path, body, done) {
    const msg = $("review-message");
    msg.textContent = "Saving…";
    try {
      const answer = await track(api(path, { method: "POST", body }));
      msg.textContent = done;
      $("rv-note").value = "";
      // A review or a merge answers the event as now stored; a split, the events it leaves (the first
      // keeps the reports not split off).
      const first = Array.isArray(answer && answer.events) && answer.events.length ? answer.events[0] : null;
      const next = (answer && answer.event_id) || (first && first.event_id) || state.event;
      await reloadAll(false);
      await openEvent(next, false);
      $("review-message").textContent = done;
    } catch (err) {
      msg.textContent = explain(err);
    }
  }

  function review(status, fields) {
    const body = { status, note: $("rv-note").value.trim() || null };
    if (fields) body.fields = fields;
    const done = { confirmed: "Confirmed.", rejected: "Rejected.", corrected: "Corrections saved." }[status];
    return act("/events/" + encodeURIComponent(state.current.event_id) + "/review", body, done);
  }

  function wireReview() {
    $("rv-confirm").addEventListener("click", () => review("confirmed"));
    $("rv-reject").addEventListener("click", () => review("rejected"));
    $("rv-edit-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const ev = state.current;
      const fields = {};
      for (const name of EDITABLE) {
        const raw = e.target.elements[name].value;
        const value = name === "fatalities" ? (raw === "" ? null : Number(raw)) : (raw === "" ? null : raw);
        const old = ev[name] === undefined ? null : ev[name];
        if (value !== old && !(value === null && old === "")) fields[name] = value;
      }
      if (!Object.keys(fields).length) { $("review-message").textContent = "Nothing changed."; return; }
      review("corrected", fields);
    });
    $("rv-merge").addEventListener("click", () => {
      const others = $("rv-merge-ids").value.split(/[\s,]+/).filter(Boolean);
      if (!others.length) { $("review-message").textContent = "Name at least one other event id."; return; }
      act("/events/merge", { ids: [state.current.event_id, ...others], note: $("rv-note").value.trim() || null }, "Merged.");
    });
    $("rv-split").addEventListener("click", () => {
      const ids = [...$("rv-split-list").querySelectorAll("input:checked")].map((i) => i.value);
      if (!ids.length) { $("review-message").textContent = "Tick the reports to split off."; return; }
      act("/events/" + encodeURIComponent(state.current.event_id) + "/split",
        { article_ids: ids, note: $("rv-note").value.trim() || null }, "Split.");
    });
  }

  // -- loading everything -------------------------------------------------------------------------

  async function loadFacets() {
    const data = await api("/dashboard/facets?" + query({}, ["country", "admin1"]));
    for (const [name, values] of [["country", data.country], ["admin1", data.admin1]]) {
      $("l-" + name).replaceChildren(...values.map((v) => el("option", { value: v })));
    }
  }

  async function reloadAll(fit) {
    try {
      await track(Promise.all([loadMap(fit), loadTimeline(), loadFacets()]));
    } catch (err) {
      say(explain(err));
    }
  }

  function wire() {
    const legend = $("legend");
    for (const [type, [c]] of Object.entries(TYPES)) {
      legend.append(el("li", {}, el("span", { class: "swatch", style: "background:" + c, "aria-hidden": "true" }), type));
      $("f-type").append(el("option", { value: type, text: type }));
    }
    const form = $("filters");
    const apply = () => { readForm(); writeUrl(true); reloadAll(false); };
    form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
    form.addEventListener("change", (e) => {
      if (e.target.id === "f-type") { state.filters.sub_event_type = ""; fillSubtypes(); }
      apply();
    });
    $("reset").addEventListener("click", () => {
      for (const f of FILTERS) state.filters[f] = "";
      fillForm(); writeUrl(true); reloadAll(true);
    });
    $("tl-unit-select").addEventListener("change", (e) => {
      state.unit = e.target.value; writeUrl(true); track(loadTimeline()).catch((err) => say(explain(err)));
    });
    $("tl-clear").addEventListener("click", () => {
      state.filters.since = ""; state.filters.until = ""; fillForm(); writeUrl(true); showRange();
      track(loadMap(false)).catch((err) => say(explain(err)));
    });
    $("panel-close").addEventListener("click", () => closeEvent(true));
    $("panel").addEventListener("keydown", (e) => { if (e.key === "Escape") closeEvent(true); });
    $("token").value = token;
    $("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      token = $("token").value.trim();
      sessionStorage.setItem("sitrep-token", token);
      reloadAll(true);
      if (state.event) openEvent(state.event, false);
    });
    $("token-clear").addEventListener("click", () => {
      token = ""; $("token").value = ""; sessionStorage.removeItem("sitrep-token");
      if (state.current) renderReviewTools(state.current, state.current.reports || []);
    });
    window.addEventListener("popstate", () => {
      readUrl(); fillForm(); reloadAll(false);
      if (state.event) openEvent(state.event, false); else closeEvent(false);
    });
    window.addEventListener("resize", () => {
      if (plot) { plot.setSize({ width: Math.max(300, $("timeline").clientWidth), height: 150 }); showRange(); }
    });
    wireReview();
  }

  readUrl();
  wire();
  fillForm();
  document.body.dataset.busy = "0";
  track(loadWorld()).catch(() => say("The basemap could not be loaded."));
  reloadAll(true).then(() => { if (state.event) openEvent(state.event, false); });
})();
