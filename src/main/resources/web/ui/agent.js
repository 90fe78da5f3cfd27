// The agent view: the agent's card (live), its sessions a page at a time (active first; filters for active, kind and
// gateway), its runs as a timeline and its tokens over time.

import {api, query} from './api.js';
import {h, replace, setText} from './dom.js';
import {ago, count, when} from './format.js';
import {avatar} from './cards.js';
import {lineChart, runsTimeline} from './charts.js';
import * as store from './store.js';

const PAGE = 50;

export function agentView(root, app, gateway, id) {
  const head = h('div', {class: 'headline'});
  const stats = h('p', {class: 'muted'});
  const filters = {
    active: h('select', {'aria-label': 'Runs'}, h('option', {value: ''}, 'all sessions'),
      h('option', {value: 'true'}, 'with a run going'), h('option', {value: 'false'}, 'without a run')),
    kind: h('select', {'aria-label': 'Kind'}, h('option', {value: ''}, 'any kind')),
    gateway: h('select', {'aria-label': 'Gateway'}),
  };
  const rows = h('tbody', {});
  const summary = h('span', {class: 'muted', role: 'status'});
  const prev = h('button', {type: 'button'}, 'Newer');
  const next = h('button', {type: 'button'}, 'Older');
  const timeline = h('div', {});
  const tokens = h('div', {});
  replace(root,
    h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Fleet'), ' › ', gateway, ' › ', id),
    head, stats,
    h('section', {class: 'panel live-data'}, h('h2', {}, 'Sessions'),
      h('div', {class: 'toolbar'}, filters.active, filters.kind, filters.gateway, summary),
      h('div', {class: 'table-wrap'}, h('table', {},
        h('thead', {}, h('tr', {}, ['Session', 'Kind', 'Status', 'Last activity', 'Input', 'Output', 'Total']
          .map((t) => h('th', {scope: 'col'}, t)))), rows)),
      h('div', {class: 'pager'}, prev, next)),
    h('div', {class: 'charts'},
      h('section', {class: 'panel'}, h('h2', {}, 'Runs, last 24 hours'), timeline),
      h('section', {class: 'panel'}, h('h2', {}, 'Tokens, last 24 hours'), tokens)));

  let offset = 0;
  let shown = new Map(); // `${gateway}\n${key}` -> update(card)
  let timer = 0;

  const renderHead = () => {
    const card = store.agents.get(store.agentKey(gateway, id));
    const use = store.usage.get(store.agentKey(gateway, id));
    if (!card) {
      replace(head, h('h1', {}, id), h('span', {class: 'pill'}, store.synced.has(gateway) ? 'not listed' : '…'));
      return;
    }
    const face = h('span', {class: 'avatar', 'aria-hidden': 'true'});
    avatar(face, card);
    replace(head, face, h('h1', {}, card.name || card.id), h('span', {class: `pill status-${card.status}`}, card.status),
      h('span', {class: 'muted'}, card.model || ''));
    replace(stats, `${count(card.sessionCount)} sessions · ${count(card.activeRuns)} active runs · tokens `,
      use ? `${count(use.inputTokens)} in / ${count(use.outputTokens)} out / ${count(use.totalTokens)} total` : '—',
      ' · last activity ', h('span', {title: when(card.lastActivity)}, ago(card.lastActivity)));
  };

  const gatewaysOfAgent = () => store.gatewayOrder().filter((g) => store.agents.has(store.agentKey(g, id)) || g === gateway);
  replace(filters.gateway, h('option', {value: ''}, 'every gateway'),
    gatewaysOfAgent().map((g) => h('option', {value: g, selected: g === gateway}, g)));

  const load = async () => {
    try {
      const page = await api('/api/dashboard/sessions' + query({agentId: id, gateway: filters.gateway.value,
        active: filters.active.value, kind: filters.kind.value, offset, limit: PAGE}));
      const kind = filters.kind.value;
      replace(filters.kind, h('option', {value: ''}, 'any kind'),
        page.kinds.map((k) => h('option', {value: k, selected: k === kind}, k)));
      shown = new Map();
      rows.replaceChildren(...page.sessions.map(sessionRow));
      summary.textContent = page.total ? `${offset + 1}–${offset + page.sessions.length} of ${page.total}` : 'No sessions.';
      prev.disabled = offset === 0;
      next.disabled = offset + page.sessions.length >= page.total;
    } catch (e) {
      summary.textContent = e.message;
    }
  };

  const sessionRow = (c) => {
    const cells = {status: h('td', {}), last: h('td', {}), input: h('td', {class: 'num'}), output: h('td', {class: 'num'}),
      total: h('td', {class: 'num'})};
    const title = c.label || c.displayName || c.key;
    const tr = h('tr', {dataset: {session: c.key}},
      h('td', {}, h('a', {href: `#/session/${encodeURIComponent(c.gateway)}/${encodeURIComponent(c.key)}`}, title),
        title !== c.key ? h('div', {class: 'muted small'}, c.key) : null),
      h('td', {}, c.kind || '—'), cells.status, cells.last, cells.input, cells.output, cells.total);
    let current = c;
    const update = (u) => {
      current = {...current, ...Object.fromEntries(Object.entries(u).filter(([, v]) => v !== null && v !== undefined))};
      setText(cells.status, (current.hasActiveRun ? '● running' : current.status) || '—');
      setText(cells.last, ago(current.updatedAt));
      cells.last.title = when(current.updatedAt);
      setText(cells.input, count(current.inputTokens));
      setText(cells.output, count(current.outputTokens));
      setText(cells.total, count(current.totalTokens));
    };
    update(c);
    shown.set(`${c.gateway}\n${c.key}`, update);
    return tr;
  };

  const charts = async () => {
    const to = Date.now();
    const from = to - 24 * 3600_000;
    try {
      const runs = await api('/api/dashboard/runs' + query({gateway, agentId: id, hours: 24}));
      replace(timeline, runsTimeline({runs, from, to, label: `Runs of ${id}`}));
      const t = await api('/api/dashboard/tokens' + query({gateway, agentId: id, hours: 24}));
      replace(tokens, lineChart({label: `Tokens of ${id}`, from: Date.parse(t.from), to: Date.parse(t.to),
        series: t.series.map((se) => ({label: `${se.agentId} (${se.gateway})`, points: se.points})),
        empty: 'No token samples yet (taken every minute).'}));
    } catch (e) {
      replace(timeline, h('p', {class: 'error'}, e.message));
    }
  };

  const reloadSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(load, 500);
  };

  const unsubscribe = store.subscribe(({event, data}) => {
    if (event === 'session.update' && data.agentId === id) {
      const update = shown.get(`${data.gateway}\n${data.key}`);
      if (update && !data.gone) update(data);
      else reloadSoon();
    } else if (event === 'agent.update' || event === 'fleet.update' || event === 'usage') {
      renderHead();
    } else if (event === 'chat' && data.agentId === id && ['final', 'error', 'aborted'].includes(data.state)) {
      charts();
    }
  });
  for (const f of Object.values(filters)) f.addEventListener('input', () => { offset = 0; load(); });
  prev.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
  next.addEventListener('click', () => { offset += PAGE; load(); });
  const refresh = setInterval(() => { renderHead(); charts(); }, 60000);

  renderHead();
  load();
  charts();
  return () => {
    unsubscribe();
    clearInterval(refresh);
    clearTimeout(timer);
  };
}
