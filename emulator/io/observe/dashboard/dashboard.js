// lambkin's dashboard: state snapshots and lifecycle events arrive over server-sent events
// (/_lambkin/events); functions, lanes and tables are redrawn from each snapshot, the timeline
// from the events. No libraries: lambkin runs offline.
'use strict';

const windowMs = 60000;
const labelWidth = 190;
let state = null;
let previous = null; // the snapshot before `state`, for rates
let lastSeq = 0;
let clockOffset = 0; // server clock − browser clock, in ms
const lanes = new Map(); // "function/env" → lane
const throttles = [];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function rate(now, before, seconds) {
  if (before === undefined || seconds <= 0) return '–';
  return ((now - before) / seconds).toFixed(1);
}

// ---- lifecycle events → timeline lanes ----------------------------------------------------------

function laneOf(e) {
  const key = `${e.function}/${e.env}`;
  let lane = lanes.get(key);
  if (!lane) {
    lane = { fn: e.function, env: e.env, created: e.t, end: null, endKind: '', segs: [] };
    lanes.set(key, lane);
  }
  return lane;
}

function closeOpen(lane, kind, t, extra = {}) {
  for (let i = lane.segs.length - 1; i >= 0; --i) {
    const s = lane.segs[i];
    if (s.kind === kind && s.end === null) { s.end = t; Object.assign(s, extra); return; }
  }
}

function addEvent(raw) {
  if (raw.seq <= lastSeq) return;
  lastSeq = raw.seq;
  const e = { ...raw, t: raw.t_us / 1000 };
  if (e.event === 'throttled') { throttles.push({ fn: e.function, t: e.t }); return; }
  if (!e.env) return;
  const lane = laneOf(e);
  switch (e.event) {
    case 'init_start': lane.segs.push({ kind: 'init', start: e.t, end: null }); break;
    case 'init_end': closeOpen(lane, 'init', e.t, { bad: e.detail !== 'success' }); break;
    case 'invoke_start':
      closeOpen(lane, 'idle', e.t);
      lane.segs.push({ kind: 'invoke', start: e.t, end: null, cold: e.cold, rid: e.request_id });
      break;
    case 'invoke_end': closeOpen(lane, 'invoke', e.t, { bad: e.detail !== 'success' }); break;
    case 'frozen': lane.segs.push({ kind: 'idle', start: e.t, end: null }); break;
    case 'thawed': closeOpen(lane, 'idle', e.t); break;
    case 'reaped': case 'stopped': case 'killed':
      for (const s of lane.segs) if (s.end === null) s.end = e.t;
      lane.end = e.t;
      lane.endKind = `${e.event} (${e.detail})`;
      break;
    default: break;
  }
}

function drawTimeline() {
  const root = document.getElementById('timeline');
  const width = root.clientWidth || 900;
  const now = Date.now() + clockOffset;
  const from = now - windowMs;
  const plot = width - labelWidth - 10;
  const x = (t) => labelWidth + Math.max(0, Math.min(1, (t - from) / windowMs)) * plot;
  for (const [key, lane] of lanes) if (lane.end !== null && lane.end < from) lanes.delete(key);
  while (throttles.length && throttles[0].t < from) throttles.shift();
  const shown = [...lanes.values()].sort((a, b) => a.fn.localeCompare(b.fn) || a.env - b.env);
  const rowH = 18;
  const height = 24 + (shown.length + (throttles.length ? 1 : 0)) * rowH;
  root.setAttribute('height', String(Math.max(60, height)));
  root.replaceChildren();
  shown.forEach((lane, i) => {
    const y = 4 + i * rowH;
    const g = svg('g', { class: 'tl-lane', 'data-function': lane.fn, 'data-env': String(lane.env) });
    const label = svg('text', { x: 4, y: y + 12 });
    label.textContent = `${lane.fn} env ${lane.env}`;
    g.append(label);
    g.append(svg('line', { x1: x(lane.created), x2: x(lane.end ?? now), y1: y + 8, y2: y + 8, stroke: '#aab7b8' }));
    for (const s of lane.segs) {
      const end = s.end ?? now;
      if (end < from) continue;
      const fill = s.bad ? '#d13212' : s.kind === 'init' ? '#ff9900' : s.kind === 'invoke' ? '#146eb4' : '#d5dbdb';
      const r = svg('rect', { x: x(s.start), y: y + (s.kind === 'idle' ? 6 : 2), height: s.kind === 'idle' ? 4 : 12,
                              width: Math.max(1.5, x(end) - x(s.start)), fill, class: `seg ${s.kind}` });
      if (s.cold) { r.setAttribute('stroke', '#ff9900'); r.setAttribute('stroke-width', '1.5'); }
      const title = svg('title');
      title.textContent = `${s.kind}${s.rid ? ' ' + s.rid : ''}${s.cold ? ' (cold)' : ''}, ${((end - s.start)).toFixed(1)} ms`;
      r.append(title);
      g.append(r);
    }
    if (lane.end !== null) {
      const cross = svg('text', { x: x(lane.end) - 4, y: y + 12, fill: '#232f3e' });
      cross.textContent = '✕';
      const title = svg('title');
      title.textContent = lane.endKind;
      cross.append(title);
      g.append(cross);
    }
    root.append(g);
  });
  if (throttles.length) {
    const y = 4 + shown.length * rowH;
    const label = svg('text', { x: 4, y: y + 12 });
    label.textContent = 'throttled';
    root.append(label);
    for (const t of throttles) root.append(svg('line', { x1: x(t.t), x2: x(t.t), y1: y + 2, y2: y + 14, stroke: '#d13212', class: 'throttle' }));
  }
  const axisY = Math.max(60, height) - 6;
  for (let s = 0; s <= 60; s += 10) {
    const t = svg('text', { x: labelWidth + (1 - s / 60) * plot - 8, y: axisY });
    t.textContent = s === 0 ? 'now' : `-${s}s`;
    root.append(t);
  }
}

// ---- state snapshots ------------------------------------------------------------------------------

function renderFunctions() {
  const root = document.getElementById('functions');
  root.replaceChildren();
  if (!state.functions.length) root.append(el('p', { class: 'hint' }, 'The template defines no function.'));
  for (const f of state.functions) {
    const counts = el('div', { class: 'counts' });
    const add = (label, value, key) => counts.append(el('span', { 'data-count': key }, el('b', {}, value), ' ', label));
    add('invocations', f.invocations, 'invocations');
    add('cold', f.cold_starts, 'cold_starts');
    add('warm', f.warm_starts, 'warm_starts');
    add('throttles', f.throttles, 'throttles');
    add('errors', f.errors, 'errors');
    add('in flight', f.in_flight, 'in_flight');
    add('queued', f.queued, 'queued');
    if (f.reserved !== undefined) add('reserved', f.reserved, 'reserved');
    const lanesDiv = el('div', { class: 'lanes' });
    for (const e of f.environments) {
      const shown = e.state === 'idle' ? 'frozen' : e.state;
      lanesDiv.append(el('div', { class: 'lane', 'data-state': e.state, 'data-env': String(e.id) },
        el('span', { class: 'state' }, shown), el('span', {}, `env ${e.id}`), el('span', {}, e.version),
        el('span', {}, e.init_type === 'provisioned-concurrency' ? 'provisioned' : 'on-demand'),
        el('span', {}, `${e.invocations} invocations`)));
    }
    if (!f.environments.length) lanesDiv.append(el('span', { class: 'hint' }, 'no environments (the next invoke is cold)'));
    root.append(el('div', { class: 'function', 'data-function': f.name },
      el('h3', {}, f.name, ' ', el('small', {}, f.runtime)), counts, lanesDiv));
  }
}

function fillTable(id, rows) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren();
  for (const cells of rows) body.append(el('tr', {}, ...cells.map((c) => el('td', {}, c))));
}

function renderMqtt(seconds) {
  const m = state.mqtt;
  if (!m) return;
  const before = previous?.mqtt;
  document.getElementById('mqtt-summary').replaceChildren(
    el('span', { 'data-count': 'connections' }, el('b', {}, m.connections), ' connections'), ' · ',
    el('span', { 'data-count': 'messages_in' }, el('b', {}, m.messages_in), ' messages in'), ' · ',
    el('span', {}, el('b', {}, m.messages_out), ' out'), ' · ',
    el('span', {}, el('b', {}, rate(m.messages_in, before?.messages_in, seconds)), ' msg/s'), ' · ',
    el('span', {}, el('b', {}, m.retained), ' retained'));
  const old = (list, key, name) => list?.find((x) => x[key] === name)?.messages;
  fillTable('clients', m.clients.map((c) => [c.client_id, c.ip, c.messages, rate(c.messages, old(before?.clients, 'client_id', c.client_id), seconds)]));
  fillTable('topics', m.topics.map((t) => [t.topic, t.messages, rate(t.messages, old(before?.topics, 'topic', t.topic), seconds)]));
}

function renderRecent() {
  const root = document.getElementById('recent');
  root.replaceChildren();
  if (!state.recent.length) root.append(el('p', { class: 'hint' }, 'none yet'));
  for (const r of state.recent) {
    const ok = r.outcome === 'success';
    const summary = el('summary', {}, `${new Date(r.t_us / 1000).toLocaleTimeString()} ${r.function} `,
      el('code', {}, r.request_id), ` ${r.cold ? 'cold' : 'warm'} · ${r.duration_ms.toFixed(2)} ms`,
      r.init_duration_ms !== undefined ? ` · init ${r.init_duration_ms.toFixed(2)} ms` : '', ' · ',
      el('span', { class: ok ? 'outcome-ok' : 'outcome-bad' }, r.outcome));
    root.append(el('details', { class: 'invocation', 'data-request-id': r.request_id }, summary,
      el('div', {}, 'event'), el('pre', {}, r.payload || '(empty)'),
      el('div', {}, 'response'), el('pre', {}, r.response || '(none)'),
      el('div', {}, 'log'), el('pre', { class: 'log' }, r.log)));
  }
}

function renderDlq() {
  const root = document.getElementById('dlq');
  root.replaceChildren();
  if (!state.dlq.length) root.append(el('p', { class: 'hint' }, 'none'));
  for (const d of state.dlq) {
    root.append(el('details', { class: 'dlq-record' }, el('summary', {}, `${d.function} → ${d.destination}`),
      el('pre', {}, JSON.stringify(d.record, null, 2))));
  }
}

function onState(next) {
  previous = state;
  state = next;
  clockOffset = next.now_us / 1000 - Date.now();
  const seconds = previous ? (next.now_us - previous.now_us) / 1e6 : 0;
  renderFunctions();
  renderMqtt(seconds);
  fillTable('rules', next.rules.map((r) => [r.name, r.matched, r.fired, r.sql_errors, r.action_failures]));
  document.querySelectorAll('#rules tbody tr').forEach((tr, i) => tr.setAttribute('data-rule', next.rules[i].name));
  fillTable('tables', Object.entries(next.tables));
  renderRecent();
  renderDlq();
  window.lambkinDashboard.updates += 1;
}

function setStatus(s) {
  const pill = document.getElementById('connection');
  pill.dataset.status = s;
  pill.textContent = s === 'live' ? 'live' : s === 'error' ? 'disconnected, retrying…' : 'connecting…';
}

function connect() {
  const source = new EventSource('/_lambkin/events');
  source.addEventListener('timeline', (m) => { for (const e of JSON.parse(m.data)) addEvent(e); });
  source.addEventListener('state', (m) => { setStatus('live'); onState(JSON.parse(m.data)); });
  // Each batch ends its response and EventSource reconnects by itself (readyState CONNECTING);
  // only a closed source needs a new one.
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) { setStatus('error'); setTimeout(connect, 2000); }
  });
}

window.lambkinDashboard = { updates: 0, state: () => state, lastSeq: () => lastSeq, lanes: () => lanes.size };
connect();
setInterval(drawTimeline, 250);
