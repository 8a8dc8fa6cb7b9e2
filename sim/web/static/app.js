// The classroom page of collsim: plain JavaScript and uPlot (vendored,
// served by sim serve), nothing loaded from elsewhere. The server validates
// every value and runs the model; this script builds the form, follows a
// run week by week (server-sent events), plays it back with play, pause,
// step and speed, draws the charts and the villages, and compares the run
// with the previous one or a kept baseline.
'use strict';

const $ = (sel) => document.querySelector(sel);

let catalogue = null;  // GET /api/scenarios
const runs = [];       // every run this page made, in order: {num, name, colour, id, view, data, frames, form, ...}
let current = null;    // the run shown
let previous = null;   // the run shown before it
let baseline = null;   // the run kept as the baseline
let source = null;     // the EventSource of the current run
let shown = 0;         // the week shown
let playing = true;
let timer = null;
let cancelWanted = false;
let charts = [];       // uPlot instances, one per chart
let scrolled = false;

const SERIES = {};     // series name → index in a frame's values
const CHARTS = [
  { name: 'shares', title: 'Households in collectives', unit: '% of households', lines: [['share', ''], ['reported', 'reported']], record: true, min: 0, max: 100 },
  { name: 'exits', title: 'Households leaving collectives', unit: 'a week', lines: [['exits', '']] },
  { name: 'repression', title: 'Repression (cumulative)', unit: 'households', lines: [['fined', 'fined or worse'], ['arrested_deported', 'arrested or deported']] },
  { name: 'livestock', title: 'Livestock', unit: '% of the start', lines: [['livestock', '']] },
  { name: 'productivity', title: 'Productivity (output per worker)', unit: '% of before the campaign', lines: [['productivity', '']] },
];
// Colours of the villages' households in the agent view.
const STATES = [
  ['farming alone', '#d9d4c7'],
  ['joined by choice', '#009e73'],
  ['joined under force', '#e69f00'],
  ['fined or worse, alone', '#cc3311'],
  ['arrested or deported', '#222222'],
];

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function setState(s) {
  document.body.dataset.state = s;
  $('#run').disabled = s === 'running';
  $('#cancel').disabled = s !== 'running';
}

function dateAt(start, days) {
  const d = new Date(start + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + Number(days));
  return d.toISOString().slice(0, 10);
}

function daysBetween(a, b) {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86400000);
}

const unix = (d) => Date.parse(d + 'T00:00:00Z') / 1000;
const thousands = (x) => Math.round(x).toLocaleString('en-US');
const classCode = (location.pathname.match(/^\/class\/([A-Za-z0-9]{5})$/) || [])[1];

async function init() {
  let r;
  try {
    r = await fetch('/api/scenarios');
    catalogue = await r.json();
  } catch (err) {
    showError('cannot load the scenarios: ' + err);
    setState('error');
    return;
  }
  if (!r.ok) {
    showError(catalogue.error);
    setState('error');
    return;
  }
  catalogue.series.forEach((s, i) => { SERIES[s] = i; });
  const sel = $('#scenario');
  const groups = { 'ready': 'History and other paths', 'what-if': 'What if? (each changes one thing about history)' };
  for (const [group, label] of Object.entries(groups)) {
    const og = el('optgroup', { label });
    for (const s of catalogue.scenarios.filter((s) => s.group === group)) og.append(el('option', { value: s.id }, s.title));
    if (og.children.length) sel.append(og);
  }
  sel.value = catalogue.default;
  // Runs over the calibration's posterior, where the server has one.
  const post = $('#replicates option[value=posterior]');
  if (catalogue.posterior) {
    post.hidden = post.disabled = false;
    post.textContent = 'uncertainty: ' + catalogue.posterior.sets + ' parameter sets from the calibration (95% band)';
    post.title = 'drawn from ' + catalogue.posterior.file + ': ' + catalogue.posterior.parameters.join(', ');
  } else {
    post.remove();
  }
  sel.addEventListener('change', renderControls);
  renderControls();
  $('#form').addEventListener('submit', (e) => { e.preventDefault(); run(); });
  $('#cancel').addEventListener('click', cancel);
  $('#reset').addEventListener('click', renderControls);
  $('#keep').addEventListener('click', keep);
  $('#play').addEventListener('click', () => { playing = !playing; tick(); });
  $('#step').addEventListener('click', () => { playing = false; if (current && shown < current.frames.length - 1) show(shown + 1); tick(); });
  $('#speed').addEventListener('change', tick);
  for (const b of document.querySelectorAll('[data-intervention]')) b.addEventListener('click', () => intervene(b.dataset.intervention));
  for (const r of document.querySelectorAll('input[name=versus]')) r.addEventListener('change', () => { drawCharts(); renderTable(); });
  window.addEventListener('resize', resizeCharts);
  setInterval(renewBaseline, 60000);
  $('#run-name').value = 'Run 1';
  $('#version').textContent = 'collsim ' + catalogue.version + ' · runs on this computer, needs no network';
  if (classCode) initClass();
  setState('idle');
}

function entry() {
  return catalogue.scenarios.find((s) => s.id === $('#scenario').value);
}

function renderControls() {
  const e = entry();
  $('#scenario-description').textContent = e.description + ' (' + e.start + ' to ' + e.end + ', weekly).';
  const box = $('#controls');
  box.replaceChildren();
  for (const c of e.controls) box.append(control(c));
  clearErrors();
}

// control builds the label, input, value, slider ends, doc line and error
// slot of a field.
function control(c) {
  const id = 'f-' + c.field;
  const out = el('output', { for: id });
  let input;
  let show;
  let ends = null;
  switch (c.kind) {
    case 'date-range':
      input = el('input', { type: 'range', id, min: 0, max: daysBetween(c.min || c.value, c.max || c.value), step: 1 });
      input.value = c.disabled ? 0 : daysBetween(c.min, c.value);
      input.dataset.start = c.min || '';
      show = () => { out.textContent = c.disabled ? '—' : dateAt(c.min, input.value); };
      if (!c.disabled) ends = [c.min, c.max];
      break;
    case 'checkbox':
      input = el('input', { type: 'checkbox', id });
      input.checked = c.value === 'true';
      show = () => { out.textContent = input.checked ? 'on' : 'off'; };
      break;
    case 'number':
      input = el('input', { type: 'number', id, min: c.min, max: c.max, step: c.step, value: c.value, inputmode: 'numeric' });
      show = () => { out.textContent = ''; };
      break;
    default:
      input = el('input', { type: 'range', id, min: c.min, max: c.max, step: c.step });
      input.value = c.value;
      show = () => {
        const v = Number(input.value);
        out.textContent = c.disabled ? '—' : (c.unit === 'households' ? thousands(v) : String(v));
      };
      ends = [c.min_label || c.min, c.max_label || c.max];
  }
  input.name = c.field;
  input.dataset.field = c.field;
  input.dataset.kind = c.kind;
  input.disabled = !!c.disabled;
  input.addEventListener('input', show);
  show();
  const doc = c.disabled ? c.disabled : c.doc;
  const label = c.label + (c.unit && c.kind !== 'checkbox' && c.kind !== 'date-range' ? ' (' + c.unit + ')' : '');
  return el('div', { class: 'control' + (c.disabled ? ' disabled' : ''), 'data-field': c.field },
    el('label', { for: id }, label),
    el('div', { class: 'input' }, input, out),
    ends ? el('div', { class: 'ends' }, el('span', {}, ends[0]), el('span', {}, ends[1])) : '',
    el('p', { class: 'doc' }, doc),
    el('span', { class: 'error', 'data-error-for': c.field }));
}

function formValue(input) {
  switch (input.dataset.kind) {
    case 'checkbox': return input.checked ? 'true' : 'false';
    case 'date-range': return dateAt(input.dataset.start, input.value);
    default: return input.value;
  }
}

function clearErrors() {
  for (const e of document.querySelectorAll('[data-error-for]')) e.textContent = '';
  $('#form-error').textContent = '';
}

function showError(msg) {
  $('#form-error').textContent = msg;
}

// showErrors puts each field's message next to the field.
function showErrors(v) {
  const rest = [];
  for (const [f, msg] of Object.entries(v.fields || {})) {
    const slot = document.querySelector('[data-error-for="' + CSS.escape(f) + '"]');
    if (slot) slot.textContent = msg; else rest.push(f + ': ' + msg);
  }
  if (!v.fields) rest.push(v.error);
  showError(rest.join('; '));
  $('#status').textContent = 'not run: see the messages';
}

// request fetches url and decodes its JSON answer. If the server does not
// answer, or answers with an error, it shows the error and returns null.
async function request(url, opts) {
  let r, v;
  try {
    r = await fetch(url, opts);
    v = await r.json();
  } catch (err) {
    showError('the server does not answer: ' + err);
    setState('error');
    return null;
  }
  if (r.status >= 400) {
    showErrors(v);
    setState('error');
    return null;
  }
  return v;
}

// formBody is the form as the server takes it.
function formBody() {
  const body = new URLSearchParams();
  body.set('scenario', $('#scenario').value);
  for (const input of document.querySelectorAll('#controls input[data-field]')) {
    if (!input.disabled) body.set(input.dataset.field, formValue(input));
  }
  const reps = $('#replicates').value;
  if (reps === 'posterior') body.set('uncertainty', 'posterior'); else body.set('replicates', reps);
  return body;
}

function run() {
  clearErrors();
  start(formBody(), [], 0, null);
}

// start asks the server for a run of body with the interventions, and
// follows it from week `from`; parent is the run it changes (or null).
async function start(body, interventions, from, parent) {
  if (interventions.length) body.set('interventions', interventions.map((i) => i.kind + '@' + i.week).join(','));
  setState('running');
  cancelWanted = false;
  $('#status').textContent = 'starting…';
  const v = await request('/api/runs?wait=0', { method: 'POST', body });
  if (v === null) return;
  let r = runs.find((x) => x.id === v.id);
  if (!r) {
    const num = runs.length + 1;
    let name = $('#run-name').value.trim() || 'Run ' + num;
    if (parent) name = parent.name + ', ' + interventions.map((i) => i.kind + ' at week ' + i.week).join(', ');
    r = { num, name, colour: catalogue.colours[(num - 1) % catalogue.colours.length], id: v.id, form: body, interventions, frames: [], data: null };
    runs.push(r);
    $('#run-name').value = 'Run ' + (runs.length + 1);
  }
  r.view = v;
  r.frames = [];
  if (current && current !== r) previous = current;
  current = r;
  shown = Math.min(from, v.steps);
  scrolled = scrolled && from > 0;
  if (cancelWanted) { cancel(); return; }
  $('#status').textContent = v.cached ? 'from the cache: this run was made earlier (it took ' + v.elapsed_ms + ' ms then)' : 'running…';
  $('#live').hidden = false;
  $('#chart-section').hidden = false;
  playing = true;
  follow(r);
}

// follow opens the run's stream of weeks.
function follow(r) {
  if (source) source.close();
  const es = new EventSource(r.view.links.events);
  source = es;
  es.addEventListener('week', (e) => {
    if (current !== r) return;
    const f = JSON.parse(e.data);
    if (f.regions) { r.regions = f.regions; r.villageRegion = f.village_region; }
    r.frames[f.step] = f;
    $('#progress').max = r.view.steps || 1;
    $('#progress').value = f.step;
    if (!timer) tick(); // playback waits for this week: go on
  });
  es.addEventListener('end', async (e) => {
    es.close();
    if (source === es) source = null;
    const v = JSON.parse(e.data);
    r.view = Object.assign(v, { cached: r.view.cached });
    if (current !== r) return;
    if (v.state !== 'done') {
      showError(v.error || v.state);
      $('#status').textContent = v.state === 'cancelled' ? 'cancelled' : v.state;
      setState(v.state === 'cancelled' ? 'cancelled' : 'error');
      return;
    }
    if (!r.view.cached) $('#status').textContent = 'done in ' + v.elapsed_ms + ' ms';
    const d = await request(v.links.data);
    if (d === null) return;
    r.data = d;
    tick();
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED && current === r && !r.data) showError('lost the connection to the server');
  };
}

// tick moves the playback on by a week when the speed allows (or, at full
// speed, to the last week computed) and schedules the next move.
let lastStep = 0;
function tick() {
  clearTimeout(timer);
  timer = null;
  $('#play').textContent = playing ? 'Pause' : 'Play';
  const r = current;
  if (!r) return;
  const have = r.frames.length;
  const speed = Number($('#speed').value);
  const interval = speed === 0 ? 0 : 1000 / speed;
  if (playing && shown < have - 1 && performance.now() - lastStep >= interval) {
    show(speed === 0 ? have - 1 : shown + 1);
    lastStep = performance.now();
  } else if (shown < have) {
    show(shown); // else wait for the week shown (a run made again from it)
  }
  if (playing && shown < have - 1) {
    timer = setTimeout(tick, Math.max(0, interval - (performance.now() - lastStep)));
  }
  if (r.data && shown >= r.view.steps) finished(r);
}

// show draws week k of the current run.
function show(k) {
  const r = current;
  if (k < 0 || !r.frames[k]) return;
  shown = k;
  const f = r.frames[k];
  $('#week').textContent = 'week ' + k + ' of ' + r.view.steps + ' · ' + f.date;
  document.body.dataset.week = k;
  for (const b of document.querySelectorAll('[data-intervention]')) b.disabled = k < 1 || k >= r.view.steps;
  drawAgents(r, k);
  drawCharts();
}

async function finished(r) {
  if (document.body.dataset.state === 'done' && document.body.dataset.run === r.id) return;
  document.body.dataset.run = r.id;
  $('#results').hidden = false;
  renderTable();
  setState('done');
  if (classCode) $('#submit-run').disabled = !$('#student-name').dataset.joined;
  if (!scrolled) {
    scrolled = true;
    $('#live').scrollIntoView({ block: 'start' });
  }
}

async function cancel() {
  cancelWanted = true;
  const r = current;
  if (!r || !r.view || r.data) return;
  try {
    const res = await fetch(r.view.links.cancel, { method: 'POST' });
    const v = await res.json();
    $('#status').textContent = v.state;
  } catch (err) {
    showError('the server does not answer: ' + err);
  }
  if (source) source.close();
  source = null;
  playing = false;
  setState('cancelled');
}

// intervene makes the current run again with a change from the week shown:
// a new run whose scenario.toml holds the change as a phase.
function intervene(kind) {
  const r = current;
  if (!r) return;
  const week = shown;
  const ivs = r.interventions.filter((i) => i.kind !== kind).concat([{ kind, week }]);
  $('#intervention-note').textContent = 'Made again with "' + kind + '" from week ' + week + ': the weeks before it are the same; its scenario.toml records the change.';
  const body = new URLSearchParams(r.form);
  start(body, ivs, week, r);
}

// other returns the run the current one is compared with.
function other() {
  const mode = document.querySelector('input[name=versus]:checked').value;
  const o = mode === 'baseline' ? baseline : previous;
  return o && o !== current ? o : null;
}

// seriesOf returns, for run r up to week k (all weeks if k is null), the
// values of a series: {mean, lo, hi} from its data once done, else from
// its frames.
function seriesOf(r, name, k) {
  const j = SERIES[name];
  if (r.data) {
    const n = k === null ? r.data.dates.length : k + 1;
    return {
      mean: r.data.mean[j].slice(0, n),
      lo: r.data.lo ? r.data.lo[j].slice(0, n) : null,
      hi: r.data.hi ? r.data.hi[j].slice(0, n) : null,
    };
  }
  const fr = r.frames.slice(0, k === null ? r.frames.length : k + 1);
  return { mean: fr.map((f) => f.values[j]), lo: null, hi: null };
}

function datesOf(r) {
  if (r.data) return r.data.dates;
  return r.frames.map((f) => f.date);
}

// drawCharts draws every chart: the current run up to the week shown, the
// run it is compared with in full, the record and the phases.
function drawCharts() {
  const r = current;
  if (!r || !r.frames.length || typeof uPlot === 'undefined') return;
  const o = other();
  const all = r.data ? r.data.dates : null;
  const dates = all || datesOf(r);
  const n = dates.length;
  const steps = r.view.steps + 1;
  // The x axis spans the whole run from the start, so the lines grow.
  let xs = dates.map(unix);
  if (!all && n < steps) {
    const start = unix(dates[0]);
    xs = Array.from({ length: steps }, (_, i) => start + i * 7 * 86400);
  }
  const sameDates = o && o.data && o.data.dates.length === xs.length && o.data.dates[0] === dates[0];
  const box = $('#charts');
  if (charts.length === 0 || box.dataset.layout !== layoutKey(r, o)) {
    for (const c of charts) c.destroy();
    charts = [];
    box.replaceChildren();
    box.dataset.layout = layoutKey(r, o);
    for (const c of CHARTS) {
      const fig = el('figure', { 'data-chart': c.name });
      fig.append(el('div', { class: 'chart-title' }, c.title + ' — ' + c.unit));
      box.append(fig);
      const u = new uPlot(chartOptions(c, r, sameDates ? o : null, fig), chartData(c, r, sameDates ? o : null, xs), fig);
      charts.push(u);
    }
  } else {
    CHARTS.forEach((c, i) => charts[i].setData(chartData(c, r, sameDates ? o : null, xs), true));
  }
  document.body.dataset.points = charts.length ? charts[0].data[1].filter((x) => x !== null && x !== undefined).length : 0;
  document.body.dataset.bands = charts.length ? (charts[0].bands || []).length : 0;
}

function layoutKey(r, o) {
  return r.id + '|' + (o && o.data ? o.id : '') + '|' + (r.data ? r.data.replicates : 0) + '|' + (o && o.data ? o.data.replicates : 0);
}

function chartWidth() {
  return Math.max(280, Math.min($('#charts').clientWidth || 600, 1100));
}

function chartOptions(c, r, o, fig) {
  const series = [{ value: (u, v) => v === null ? '' : new Date(v * 1000).toISOString().slice(0, 10) }];
  const bands = [];
  const fmt = (u, v) => v === null || v === undefined ? '—' : (Math.abs(v) >= 1000 ? thousands(v) : v.toFixed(1));
  const add = (run, idx) => {
    c.lines.forEach(([, suffix], li) => {
      const dash = li > 0 ? [6, 4] : undefined;
      series.push({ label: run.name + (suffix ? ' (' + suffix + ')' : ''), stroke: run.colour, width: 2, dash, value: fmt, points: { show: false } });
      if (run.data && run.data.replicates > 1 && li === 0) {
        const at = series.length - 1;
        series.push({ label: run.name + ' 95% low', stroke: 'transparent', value: fmt, points: { show: false } });
        series.push({ label: run.name + ' 95% high', stroke: 'transparent', value: fmt, points: { show: false } });
        bands.push({ series: [at + 2, at + 1], fill: run.colour + '33' });
      }
    });
  };
  add(r, 0);
  if (o) add(o, 1);
  if (c.record) {
    series.push({ label: 'the record', stroke: '#000', fill: '#000', width: 0, paths: () => null, points: { show: true, size: 7, fill: '#000' }, value: fmt });
  }
  const phases = r.view.phases || [];
  return {
    width: chartWidth(),
    height: 220,
    series,
    bands,
    scales: { x: { time: true }, y: c.min !== undefined ? { range: [c.min, c.max] } : { auto: true } },
    axes: [{ size: 40 }, { size: 72, values: (u, vals) => vals.map((v) => Math.abs(v) >= 1000 ? thousands(v) : String(v)) }],
    legend: { live: true },
    cursor: { points: { size: 6 } },
    hooks: { draw: [(u) => drawPhases(u, phases)] },
  };
}

// chartData aligns the series on xs: the current run's points up to the
// week shown (null after), the other run's whole, the record at its dates.
function chartData(c, r, o, xs) {
  const data = [xs];
  const pad = (a, upto) => xs.map((_, i) => (i < a.length && (upto === null || i <= upto) ? a[i] : null));
  const addRun = (run, upto) => {
    c.lines.forEach(([name], li) => {
      const s = seriesOf(run, name, null);
      data.push(pad(s.mean, upto));
      if (run.data && run.data.replicates > 1 && li === 0) {
        data.push(pad(s.lo, upto));
        data.push(pad(s.hi, upto));
      }
    });
  };
  addRun(r, shown);
  if (o) addRun(o, null);
  if (c.record) {
    const rec = xs.map(() => null);
    for (const m of r.view.record || []) {
      // the record's point sits on the last week on or before its date
      const t = unix(m.date);
      let best = -1;
      xs.forEach((x, i) => { if (x <= t) best = i; });
      if (best >= 0) rec[best] = m.value;
    }
    data.push(rec);
  }
  return data;
}

function drawPhases(u, phases) {
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = '#999';
  ctx.fillStyle = '#555';
  ctx.setLineDash([3, 3]);
  ctx.lineWidth = 1;
  ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui, sans-serif';
  let row = 0;
  for (const p of phases) {
    const x = Math.round(u.valToPos(unix(p.date), 'x', true));
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.fillText(p.label, x + 3, u.bbox.top + (10 + 12 * (row % 3)) * devicePixelRatio);
    row++;
  }
  ctx.restore();
}

function resizeCharts() {
  for (const c of charts) c.setSize({ width: chartWidth(), height: 220 });
  if (current) drawAgents(current, shown);
}

// drawAgents draws the villages of week k: a cell per village, grouped by
// region, filled by its households' states; a village that lost households
// to arrest or deportation this week flashes, and a region with
// disturbances says how many.
function drawAgents(r, k) {
  const f = r.frames[k];
  const cv = $('#agents');
  if (!f || !r.villageRegion) return;
  const width = Math.max(280, Math.min(cv.parentElement.clientWidth || 600, 1100));
  const nv = r.villageRegion.length;
  const regions = r.regions.length;
  const cell = nv > 600 ? 8 : nv > 200 ? 12 : 18;
  const labelW = width < 500 ? 0 : 150;
  const perRow = Math.max(1, Math.floor((width - labelW - 8) / (cell + 2)));
  const rowsOf = r.regions.map((_, g) => Math.ceil(r.villageRegion.filter((x) => x === g).length / perRow));
  const labelH = labelW ? 0 : 14;
  const height = rowsOf.reduce((a, n) => a + n * (cell + 2) + labelH + 6, 4);
  const dpr = devicePixelRatio || 1;
  cv.width = width * dpr;
  cv.height = height * dpr;
  cv.style.height = height + 'px';
  const ctx = cv.getContext('2d');
  ctx.scale(dpr, dpr);
  ctx.clearRect(0, 0, width, height);
  ctx.font = '12px system-ui, sans-serif';
  const arrests = new Set(f.arrests || []);
  let y = 4;
  let v = 0;
  for (let g = 0; g < regions; g++) {
    ctx.fillStyle = f.unrest[g] > 0 ? '#cc3311' : '#333';
    const label = r.regions[g] + (f.unrest[g] > 0 ? ' ⚡' + f.unrest[g] : '');
    if (labelW) ctx.fillText(label, 2, y + cell - 2); else { ctx.fillText(label, 2, y + 11); y += labelH; }
    let col = 0;
    while (v < nv && r.villageRegion[v] === g) {
      const x = labelW + 4 + col * (cell + 2);
      const c = f.cells.slice(5 * v, 5 * v + 5);
      const total = c.reduce((a, b) => a + b, 0) || 1;
      let off = 0;
      for (let s = 0; s < 5; s++) {
        const h = cell * c[s] / total;
        ctx.fillStyle = STATES[s][1];
        ctx.fillRect(x, y + off, cell, h + 0.5);
        off += h;
      }
      if (arrests.has(v)) {
        ctx.strokeStyle = '#ff0';
        ctx.lineWidth = 2;
        ctx.strokeRect(x - 1, y - 1, cell + 2, cell + 2);
      }
      col++;
      if (col >= perRow) { col = 0; y += cell + 2; }
      v++;
    }
    if (col > 0) y += cell + 2;
    y += 6;
  }
  cv.dataset.week = k;
  cv.dataset.signature = f.cells.join(',').length + ':' + f.cells.reduce((a, b, i) => a + b * (i % 5), 0);
  const legend = $('#agents-legend');
  if (!legend.childElementCount) {
    legend.append('Each square is a village, filled by its households: ');
    for (const [name, colour] of STATES) {
      const sw = el('span', { class: 'swatch' });
      sw.style.background = colour;
      legend.append(sw, name, ' · ');
    }
    legend.append('a yellow frame: arrests or deportations this week; ⚡ disturbances in the region this week.');
  }
}

function describe(label, r) {
  const v = r.view;
  let seeds = v.replicates > 1 ? 'seeds ' + v.seeds[0] + '–' + v.seeds[v.seeds.length - 1] + ' (mean of ' + v.replicates + ')' : 'seed ' + v.seed;
  if (v.posterior) seeds = v.posterior + ' parameter sets from the calibration with seeds ' + v.seeds[0] + '–' + v.seeds[v.seeds.length - 1] + ' (mean and 95% posterior band)';
  const ivs = (v.interventions || []).map((i) => i.kind + ' at week ' + i.week + ' (' + i.date + ')').join(', ');
  return label + ' "' + r.name + '": ' + titleOf(v.scenario) + ', ' + seeds + ', ' + thousands(v.households) +
    ' households' + (v.changes ? '; changed: ' + v.changes : '') + (ivs ? '; your actions: ' + ivs : '') + '.';
}

function titleOf(id) {
  const s = catalogue.scenarios.find((x) => x.id === id);
  return s ? s.title : id;
}

// difference writes a − b for people.
function difference(kind, a, b) {
  if (a === null || b === null || a === undefined || b === undefined) return '';
  const sign = (x, s) => (x > 0 ? '+' : x < 0 ? '−' : '±') + s;
  switch (kind) {
    case 'share':
    case 'change': {
      const d = 100 * (a - b);
      return sign(d, Math.abs(d).toFixed(1) + ' points');
    }
    case 'date': {
      const d = Math.round(a - b);
      return sign(d, Math.abs(d) + ' days');
    }
    default:
      return sign(a - b, thousands(Math.abs(a - b)));
  }
}

// noise says whether a difference lies within the noise: both runs have
// replicates and their 95% intervals overlap ('noise'), or either is one
// seed, so the noise is unknown ('unsure').
function noise(o, p) {
  if (o.lo === undefined || p.lo === undefined || o.lo === null || p.lo === null) return 'unsure';
  return o.lo <= p.hi && p.lo <= o.hi ? 'noise' : 'clear';
}

function swatch(r) {
  const s = el('span', { class: 'swatch' });
  s.style.background = r.colour;
  return s;
}

// renderTable shows the current run's outcomes beside the other run's.
function renderTable() {
  const r = current;
  if (!r || !r.view.outcomes) return;
  const o = other();
  const mode = document.querySelector('input[name=versus]:checked').value;
  $('#this-head').replaceChildren(swatch(r), r.name);
  $('#other-head').replaceChildren(...(o ? [swatch(o), o.name] : [mode === 'baseline' ? 'baseline' : 'previous run']));
  $('#runs-described').textContent = describe('This run', r) + ' ' +
    (o ? describe(mode === 'baseline' ? 'Baseline' : 'Previous run', o) : (mode === 'baseline' ? 'No baseline kept yet.' : 'No previous run yet.'));
  const tbody = $('#outcomes tbody');
  tbody.replaceChildren();
  let unsure = false;
  for (const x of r.view.outcomes) {
    const p = o && o.view.outcomes ? o.view.outcomes.find((y) => y.key === x.key) : null;
    let d = p ? difference(x.kind, x.value, p.value) : '';
    let cls = d.startsWith('+') ? 'up' : d.startsWith('−') ? 'down' : '';
    if (p && d) {
      const n = noise(x, p);
      if (n === 'noise') { cls = 'noise'; d = '≈ ' + d + ' (within the noise)'; }
      if (n === 'unsure') { cls += ' unsure'; unsure = true; }
    }
    const cellOf = (y, col) => el('td', { 'data-metric': x.key, 'data-col': col, 'data-value': y ? y.value : null },
      y ? y.text : '—', y && y.interval ? el('span', { class: 'interval' }, y.interval) : '');
    tbody.append(el('tr', { 'data-metric': x.key },
      el('td', {}, x.label),
      cellOf(x, 'current'),
      cellOf(p, 'other'),
      el('td', { class: cls, 'data-col': 'difference', 'data-noise': p && d ? noise(x, p) : '' }, d),
      el('td', {}, x.record || '')));
  }
  const band = r.view.posterior || (o && o.view.posterior);
  $('#noise-note').textContent = band
    ? 'Over the calibration\'s parameter sets, brackets and shaded bands give the 95% posterior band: the 2.5th to 97.5th percentile of the runs, where the outcome may lie given what the calibration leaves uncertain (not the interval of the mean). "Within the noise" marks a difference whose intervals or bands overlap.'
    : unsure
    ? 'One seed each: chance alone moves the peak by a few points and other counts by much more. Choose 5 seeds to see which differences lie within the noise.'
    : (o ? 'With several seeds: "within the noise" marks a difference whose 95% intervals overlap; brackets give the 95% interval of the mean.' : '');
  $('#download-csv').href = r.view.links.timeseries;
  $('#download-toml').href = r.view.links.scenario;
  const dl = $('#download-charts');
  dl.replaceChildren();
  for (const c of CHARTS) {
    // The chart names the runs and keeps their colours, as on this page.
    const q = new URLSearchParams({ name: r.name, colour: String(r.num - 1) });
    if (o && o.view.id) {
      q.set('vs', o.view.id);
      q.set('vsname', o.name);
      q.set('vscolour', String(o.num - 1));
    }
    const href = r.view.links['chart_' + c.name] + '?' + q.toString();
    dl.append(el('a', { href, download: '' }, c.name), ' ');
  }
  renderBaseline();
}

// keep makes the current run the baseline; the server holds it while this
// page renews the hold.
async function keep() {
  const r = current;
  if (!r || !r.data) return;
  const v = await request(r.view.links.keep, { method: 'POST' });
  if (v === null) return;
  baseline = r;
  r.expired = false;
  document.querySelector('input[name=versus][value=baseline]').checked = true;
  renderTable();
  drawCharts();
}

async function renewBaseline() {
  const b = baseline;
  if (!b) return;
  let r;
  try {
    r = await fetch(b.view.links.keep, { method: 'POST' });
  } catch (err) {
    return;
  }
  b.expired = r.status === 404;
  renderBaseline();
}

function renderBaseline() {
  const p = $('#baseline-status');
  p.replaceChildren();
  if (!baseline) return;
  if (!baseline.expired) {
    p.append('Baseline: ', swatch(baseline), baseline.name, ' (kept while this page is open).');
    return;
  }
  const again = el('button', { type: 'button', id: 'rerun-baseline' }, 'Run it again');
  again.addEventListener('click', () => { const b = baseline; baseline = null; start(new URLSearchParams(b.form), b.interventions, 0, null).then(() => { baseline = current; keep(); }); });
  p.append(el('span', { class: 'expired' }, 'The baseline "' + baseline.name + '" has expired on the server (its lines still show here, but its downloads do not). '), again);
}

// Class mode: a student joins with a name and sends runs to the teacher.
function initClass() {
  $('#class-bar').hidden = false;
  $('#class-code').textContent = classCode;
  $('#join').addEventListener('click', async () => {
    const body = new URLSearchParams({ name: $('#student-name').value });
    const v = await request('/api/classes/' + classCode + '/students', { method: 'POST', body });
    if (v === null) return;
    $('#student-name').dataset.joined = v.name;
    $('#class-status').textContent = 'joined as ' + v.name + ' (' + v.students + ' in the class)';
    $('#submit-run').disabled = !(current && current.data);
  });
  $('#submit-run').addEventListener('click', async () => {
    if (!current || !current.data) return;
    const body = new URLSearchParams({ name: $('#student-name').dataset.joined, run: current.id });
    const v = await request('/api/classes/' + classCode + '/submissions', { method: 'POST', body });
    if (v !== null) $('#class-status').textContent = 'sent "' + current.name + '" to the class';
  });
}

init();
