// Activity and usage as pictures: events per second per gateway over the last minutes (from the event log), and tokens
// per agent over time (the agents whose tokens grew most).

import {api, query} from './api.js';
import {h, replace} from './dom.js';
import {lineChart} from './charts.js';

export function activityView(root) {
  const minutes = h('select', {'aria-label': 'Minutes'}, [10, 30, 60].map((m) => h('option', {value: m}, `last ${m} min`)));
  const hours = h('select', {'aria-label': 'Hours'}, [1, 6, 24, 168].map((n) =>
    h('option', {value: n, selected: n === 1}, n === 168 ? 'last 7 days' : `last ${n} h`)));
  const events = h('div', {id: 'events-chart'});
  const tokens = h('div', {id: 'tokens-chart'});
  replace(root, h('h1', {}, 'Activity'), h('div', {class: 'charts'},
    h('section', {class: 'panel'}, h('h2', {}, 'Events per second, per gateway'), h('div', {class: 'toolbar'}, minutes), events),
    h('section', {class: 'panel'}, h('h2', {}, 'Tokens per agent'), h('div', {class: 'toolbar'}, hours), tokens)));

  const drawEvents = async () => {
    try {
      const a = await api('/api/dashboard/activity' + query({minutes: minutes.value}));
      replace(events, lineChart({label: 'Events per second', from: Date.parse(a.from), to: Date.parse(a.to),
        format: (v) => (v < 10 ? v.toFixed(1) : Math.round(v)), series: a.series.map((s) => ({label: s.gateway, points: s.points}))}));
    } catch (e) {
      replace(events, h('p', {class: 'error'}, e.message));
    }
  };
  const drawTokens = async () => {
    try {
      const t = await api('/api/dashboard/tokens' + query({hours: hours.value}));
      replace(tokens, lineChart({label: 'Tokens per agent', from: Date.parse(t.from), to: Date.parse(t.to),
        series: t.series.map((s) => ({label: `${s.agentId} (${s.gateway})`, points: s.points})),
        empty: 'No token samples in this window yet (taken every minute).'}));
    } catch (e) {
      replace(tokens, h('p', {class: 'error'}, e.message));
    }
  };
  minutes.addEventListener('input', drawEvents);
  hours.addEventListener('input', drawTokens);
  const timers = [setInterval(drawEvents, 5000), setInterval(drawTokens, 60000)];
  drawEvents();
  drawTokens();
  return () => timers.forEach(clearInterval);
}
