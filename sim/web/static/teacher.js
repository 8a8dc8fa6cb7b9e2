// The teacher's page of a class: opens a class (at /class/NEW), shows its
// code, and every few seconds the students' submitted runs, overlaid on one
// chart and in a table that downloads as CSV.
'use strict';

const $ = (sel) => document.querySelector(sel);
let code = null;
let key = null;
let plot = null;
let colours = [];

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

async function init() {
  const cat = await (await fetch('/api/scenarios')).json();
  colours = cat.colours;
  const m = location.pathname.match(/^\/class\/([A-Za-z0-9]{5})$/);
  key = new URLSearchParams(location.search).get('key');
  if (m && key) {
    code = m[1];
  } else {
    const r = await fetch('/api/classes', { method: 'POST' });
    const v = await r.json();
    if (!r.ok) { $('#count').textContent = v.error; return; }
    code = v.code;
    key = v.key;
    history.replaceState(null, '', v.teacher_page);
  }
  $('#code').textContent = code;
  $('#student-url').textContent = location.host + '/class/' + code;
  $('#csv').href = '/api/classes/' + code + '/table.csv?key=' + key;
  document.body.dataset.code = code;
  refresh();
  setInterval(refresh, 2000);
}

const labels = {
  peak_share: 'peak', repressed: 'repressed', arrested_deported: 'arrested or deported', total_exits: 'exits',
  livestock_change: 'livestock', productivity_change: 'productivity', final_share: 'final share',
};

async function refresh() {
  const r = await fetch('/api/classes/' + code + '?key=' + key);
  if (!r.ok) return;
  const v = await r.json();
  $('#count').textContent = v.students + ' joined, ' + v.submissions + ' runs sent';
  const head = $('#table thead');
  head.replaceChildren(el('tr', {}, el('th', {}, 'student'), el('th', {}, 'scenario and changes'),
    ...v.metrics.map((k) => el('th', {}, labels[k] || k))));
  const body = $('#table tbody');
  body.replaceChildren();
  for (const s of v.table) {
    body.append(el('tr', { 'data-student': s.student }, el('td', {}, s.student), el('td', {}, s.title + (s.changes ? ': ' + s.changes : '')),
      ...v.metrics.map((k) => {
        const o = s.outcomes.find((x) => x.key === k);
        return el('td', {}, o ? o.text : '—');
      })));
  }
  document.body.dataset.rows = v.table.length;
  draw(v.table);
  document.body.dataset.state = 'idle';
}

function draw(table) {
  const box = $('#overlay');
  if (!table.length || typeof uPlot === 'undefined') return;
  const xs = table[0].dates.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
  const data = [xs];
  const series = [{}];
  table.forEach((s, i) => {
    const same = s.dates.length === xs.length && s.dates[0] === table[0].dates[0];
    data.push(same ? s.shares : xs.map(() => null));
    series.push({ label: s.student, stroke: colours[i % colours.length], width: 1.5, value: (u, v) => v === null ? '—' : v.toFixed(1) + '%' });
  });
  if (plot) plot.destroy();
  box.replaceChildren();
  plot = new uPlot({ width: Math.max(280, Math.min(box.clientWidth || 800, 1100)), height: 300, series,
    scales: { x: { time: true }, y: { range: [0, 100] } }, legend: { live: true } }, data, box);
}

init();
