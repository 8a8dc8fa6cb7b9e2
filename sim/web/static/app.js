// The classroom page of collsim: plain JavaScript, no libraries, nothing
// loaded from elsewhere. The server validates every value and draws the
// charts; this script builds the form, sends it, follows the run and shows
// the outcomes beside the previous run or a kept baseline.
'use strict';

const $ = (sel) => document.querySelector(sel);

let catalogue = null; // GET /api/scenarios
let lastDone = null;  // the run shown
let previous = null;  // the run done before it
let baseline = null;  // the run kept as the baseline
let active = null;    // the run being followed

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function dateAt(start, days) {
  const d = new Date(start + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + Number(days));
  return d.toISOString().slice(0, 10);
}

function daysBetween(a, b) {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86400000);
}

const thousands = (x) => Math.round(x).toLocaleString('en-US');

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
  const sel = $('#scenario');
  for (const group of ['ready', 'what-if']) {
    const og = el('optgroup', { label: group === 'ready' ? 'ready scenarios' : 'what-ifs (each changes one thing about history)' });
    for (const s of catalogue.scenarios.filter((s) => s.group === group)) {
      og.append(el('option', { value: s.id }, s.name + ' — ' + s.id));
    }
    if (og.children.length) sel.append(og);
  }
  sel.value = catalogue.default;
  sel.addEventListener('change', renderControls);
  renderControls();
  $('#form').addEventListener('submit', (e) => { e.preventDefault(); run(); });
  $('#cancel').addEventListener('click', cancel);
  $('#reset').addEventListener('click', renderControls);
  $('#keep').addEventListener('click', () => { baseline = lastDone; render(); });
  for (const r of document.querySelectorAll('input[name=versus]')) r.addEventListener('change', render);
  $('#version').textContent = 'collsim ' + catalogue.version + ' · runs on this computer, needs no network';
  setState('idle');
}

function entry() {
  return catalogue.scenarios.find((s) => s.id === $('#scenario').value);
}

function renderControls() {
  const e = entry();
  $('#scenario-description').textContent = e.description + ' (' + e.start + ' to ' + e.end + ')';
  const box = $('#controls');
  for (const c of [...box.querySelectorAll('.control')]) c.remove();
  for (const c of e.controls) box.append(control(c));
  clearErrors();
}

// control builds the label, input, value, doc line and error slot of a field.
function control(c) {
  const id = 'f-' + c.field;
  const out = el('output', { for: id });
  let input;
  let show;
  switch (c.kind) {
    case 'date-range':
      input = el('input', { type: 'range', id, min: 0, max: daysBetween(c.min || c.value, c.max || c.value), step: 1 });
      input.value = c.disabled ? 0 : daysBetween(c.min, c.value);
      input.dataset.start = c.min || '';
      show = () => { out.textContent = c.disabled ? '—' : dateAt(c.min, input.value); };
      break;
    case 'checkbox':
      input = el('input', { type: 'checkbox', id });
      input.checked = c.value === 'true';
      show = () => { out.textContent = input.checked ? 'on' : 'off'; };
      break;
    case 'number':
      input = el('input', { type: 'number', id, min: c.min, max: c.max, step: c.step, value: c.value });
      show = () => { out.textContent = c.unit; };
      break;
    default:
      input = el('input', { type: 'range', id, min: c.min, max: c.max, step: c.step });
      input.value = c.value;
      show = () => {
        const v = Number(input.value);
        const text = c.unit === 'households' ? thousands(v) : String(v);
        out.textContent = c.disabled ? '—' : text + ' ' + (c.unit || '');
      };
  }
  input.name = c.field;
  input.dataset.field = c.field;
  input.dataset.kind = c.kind;
  input.disabled = !!c.disabled;
  input.addEventListener('input', show);
  show();
  const doc = c.disabled ? c.disabled : c.doc + (c.unit && c.kind !== 'checkbox' ? ' [' + c.unit + ']' : '');
  return el('div', { class: 'control' + (c.disabled ? ' disabled' : ''), 'data-field': c.field },
    el('label', { for: id }, c.label),
    el('div', { class: 'input' }, input, out),
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
  let rest = [];
  for (const [f, msg] of Object.entries(v.fields || {})) {
    const slot = document.querySelector('[data-error-for="' + CSS.escape(f) + '"]');
    if (slot) slot.textContent = msg; else rest.push(f + ': ' + msg);
  }
  if (!v.fields) rest.push(v.error);
  showError(rest.join('; '));
  $('#status').textContent = 'not run: see the messages';
}

async function run() {
  clearErrors();
  const body = new URLSearchParams();
  body.set('scenario', $('#scenario').value);
  for (const input of document.querySelectorAll('#controls input[data-field]')) {
    if (!input.disabled) body.set(input.dataset.field, formValue(input));
  }
  setState('running');
  $('#status').textContent = 'starting…';
  const v = await request('/api/runs', { method: 'POST', body });
  if (v !== null) await follow(v);
}

// request fetches url and decodes its JSON answer. If the server does not
// answer, or answers with an error, it shows the error, sets the error state
// and returns null.
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

// follow polls a run until it is done, failed or cancelled.
async function follow(v) {
  active = v.id;
  while (v.state === 'queued' || v.state === 'running') {
    $('#progress').max = v.steps || 1;
    $('#progress').value = v.step;
    $('#status').textContent = v.state === 'queued' ? 'waiting for a free runner…' : 'week ' + v.step + ' of ' + v.steps;
    await sleep(200);
    if (active !== v.id) return;
    const next = await request(v.links.self);
    if (next === null) return;
    v = next;
  }
  active = null;
  if (v.state !== 'done') {
    showError(v.error || v.state);
    $('#status').textContent = v.state;
    setState(v.state === 'cancelled' ? 'cancelled' : 'error');
    return;
  }
  $('#progress').max = v.steps;
  $('#progress').value = v.steps;
  $('#status').textContent = 'done in ' + v.elapsed_ms + ' ms';
  if (lastDone && lastDone.id !== v.id) previous = lastDone;
  lastDone = v;
  await render();
  setState('done');
}

async function cancel() {
  if (!active) return;
  const id = active;
  active = null;
  try {
    const r = await fetch('/api/runs/' + id + '/cancel', { method: 'POST' });
    const v = await r.json();
    $('#status').textContent = v.state;
  } catch (err) {
    showError('the server does not answer: ' + err);
  }
  setState('cancelled');
}

function describe(label, v) {
  return label + ': ' + v.name + ' (' + v.scenario + '), seed ' + v.seed + ', ' + thousands(v.households) +
    ' households' + (v.changes ? '; changed: ' + v.changes : '') + '.';
}

// difference writes a − b for people.
function difference(kind, a, b) {
  if (a === null || b === null) return '';
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

// render shows the run, its outcomes beside the other run, and its charts.
async function render() {
  const v = lastDone;
  if (!v) return;
  $('#results').hidden = false;
  const mode = document.querySelector('input[name=versus]:checked').value;
  const other = mode === 'baseline' ? baseline : previous;
  $('#other-head').textContent = mode === 'baseline' ? 'baseline' : 'previous run';
  $('#runs-described').textContent = describe('This run', v) + ' ' +
    (other ? describe(mode === 'baseline' ? 'Baseline' : 'Previous run', other)
      : (mode === 'baseline' ? 'No baseline kept yet.' : 'No previous run yet.'));
  const tbody = $('#outcomes tbody');
  tbody.replaceChildren();
  for (const o of v.outcomes) {
    const p = other ? other.outcomes.find((x) => x.key === o.key) : null;
    const d = p ? difference(o.kind, o.value, p.value) : '';
    tbody.append(el('tr', { 'data-metric': o.key },
      el('td', {}, o.label),
      el('td', { 'data-metric': o.key, 'data-col': 'current', 'data-value': o.value }, o.text),
      el('td', { 'data-metric': o.key, 'data-col': 'other', 'data-value': p ? p.value : null }, p ? p.text : '—'),
      el('td', { class: d.startsWith('+') ? 'up' : d.startsWith('−') ? 'down' : '' }, d)));
  }
  $('#download-csv').href = v.links.timeseries;
  $('#download-toml').href = v.links.scenario;
  const charts = $('#charts');
  charts.replaceChildren();
  const loads = [];
  for (const c of catalogue.charts) {
    let src = v.links['chart_' + c.name];
    if (other && other.id !== v.id) src += '?vs=' + other.id + '&label=' + mode;
    const img = el('img', { src, alt: c.name + ' chart', 'data-chart': c.name, 'data-run': v.id });
    loads.push(img.decode().catch(() => {}));
    charts.append(el('figure', {}, img));
  }
  await Promise.all(loads);
  document.body.dataset.run = v.id;
}

init();
