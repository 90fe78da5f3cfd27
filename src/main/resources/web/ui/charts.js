// Charts drawn as SVG from the API's series: a line chart (events per second, tokens over time) and a timeline of runs.
// Labels are SVG text nodes, tooltips <title> elements: text, never markup.

import {h, s} from './dom.js';
import {count, tick, time, when} from './format.js';

export const COLORS = ['#0969da', '#1a7f37', '#cf222e', '#8250df', '#9a6700', '#bf3989', '#1b7c83', '#6e7781'];
const W = 640;
const PAD = {left: 48, right: 12, top: 10, bottom: 24};

/** A "nice" ceiling for an axis: 1, 2 or 5 times a power of ten. */
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((n) => n >= v);
}

/** x and y scales of a plot area of height, over [from, to] and [0, max]. */
function scales(from, to, max, height) {
  const x = (t) => PAD.left + ((t - from) / Math.max(1, to - from)) * (W - PAD.left - PAD.right);
  const y = (v) => height - PAD.bottom - (v / max) * (height - PAD.top - PAD.bottom);
  return {x, y};
}

/** Axes, grid lines and labels: time below, values on the left. */
function axes(svg, {from, to, max, height, format}) {
  const {x, y} = scales(from, to, max, height);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    svg.append(s('line', {class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v)}),
      s('text', {x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end'}, format(v)));
  }
  timeAxis(svg, {from, to, height, x});
  return {x, y};
}

/** Five times along the bottom; with grid, a vertical line at each. */
function timeAxis(svg, {from, to, height, x, grid = false}) {
  for (let i = 0; i <= 4; i++) {
    const t = from + ((to - from) * i) / 4;
    if (grid) svg.append(s('line', {class: 'axis', x1: x(t), x2: x(t), y1: PAD.top, y2: height - PAD.bottom}));
    svg.append(s('text', {x: x(t), y: height - 6, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle'},
      tick(t, to - from)));
  }
}

/**
 * A line per series: series [{label, points: [[ms, value]]}] over [from, to]. Returns the figure (SVG and legend);
 * an empty chart says so.
 */
export function lineChart({series, from, to, label, height = 220, format = count, empty = 'No data yet.'}) {
  const max = niceMax(Math.max(0, ...series.flatMap((se) => se.points.map((p) => p[1]))));
  const svg = s('svg', {class: 'chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': label});
  const {x, y} = axes(svg, {from, to, max, height, format});
  series.forEach((se, i) => {
    if (!se.points.length) return;
    const d = se.points.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const path = s('path', {d, fill: 'none', stroke: COLORS[i % COLORS.length], 'stroke-width': 2});
    path.append(s('title', {}, se.label));
    svg.append(path);
  });
  const legend = h('div', {class: 'legend'}, series.map((se, i) =>
    h('span', {}, h('i', {class: `swatch-${i % COLORS.length}`}), se.label)));
  return h('figure', {class: 'figure'}, svg, series.length ? legend : h('p', {class: 'muted small'}, empty));
}

const OUTCOME = {final: '#1a7f37', error: '#cf222e', aborted: '#9a6700', send_failed: '#cf222e'};

/** One agent's runs as bars from start to end on a time axis, coloured by outcome; runs in progress reach now. */
export function runsTimeline({runs, from, to, label}) {
  const lanes = [];
  const placed = runs.slice().sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt)).map((r) => {
    const start = Date.parse(r.startedAt);
    const end = r.endedAt ? Date.parse(r.endedAt) : to;
    let lane = lanes.findIndex((last) => last < start);
    if (lane < 0) lane = lanes.push(0) - 1;
    lanes[lane] = end;
    return {r, start, end, lane};
  });
  const rows = Math.max(1, Math.min(lanes.length, 12));
  const height = PAD.top + PAD.bottom + rows * 16;
  const svg = s('svg', {class: 'chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': label});
  const x = (t) => PAD.left + ((Math.max(from, t) - from) / Math.max(1, to - from)) * (W - PAD.left - PAD.right);
  timeAxis(svg, {from, to, height, x, grid: true});
  for (const {r, start, end, lane} of placed) {
    if (lane >= rows) continue;
    const bar = s('rect', {x: x(start), y: PAD.top + lane * 16 + 2, width: Math.max(3, x(end) - x(start)), height: 12, rx: 2,
      fill: OUTCOME[r.state] || '#0969da', class: `run run-${r.state}`, dataset: {run: r.runId}});
    bar.append(s('title', {}, `${r.state}${r.proactive ? ' (proactive)' : ''} · ${when(r.startedAt)}`
      + `${r.endedAt ? ' → ' + time(r.endedAt) : ' · running'}${r.errorMessage ? ' · ' + r.errorMessage : ''} · ${r.sessionKey}`));
    svg.append(bar);
  }
  const legend = h('div', {class: 'legend'}, Object.entries({final: 'final', error: 'error', aborted: 'aborted', running: 'running'})
    .map(([k, text]) => h('span', {}, h('i', {class: `outcome-${k}`}), text)));
  return h('figure', {class: 'figure'}, svg, runs.length ? legend : h('p', {class: 'muted small'}, 'No runs in this window.'));
}
