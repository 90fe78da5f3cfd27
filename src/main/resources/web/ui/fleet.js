// The fleet view: every gateway's tile, then every agent's card, live. Cards are shown a page at a time (filters:
// name, status, gateway); an agent.update patches its card where it is, a new or removed agent re-renders the page.

import {h, replace} from './dom.js';
import {time} from './format.js';
import {agentCard} from './cards.js';
import {gatewayTile} from './gateways.js';
import * as store from './store.js';

const PAGE = 120;
const STATUSES = ['idle', 'working', 'error', 'offline'];

export function fleetView(root, app) {
  const banner = h('p', {class: 'banner', role: 'status', hidden: true});
  const tiles = h('div', {class: 'gateways live-data'});
  const search = h('input', {type: 'search', placeholder: 'Find an agent', 'aria-label': 'Find an agent'});
  const status = h('select', {'aria-label': 'Status'}, h('option', {value: ''}, 'any status'),
    STATUSES.map((s) => h('option', {value: s}, s)));
  const gateway = h('select', {'aria-label': 'Gateway'});
  const summary = h('p', {class: 'muted', role: 'status'});
  const grid = h('div', {class: 'cards live-data', id: 'agents'});
  const pager = h('nav', {class: 'pager', 'aria-label': 'Pages of agents'});
  replace(root, h('h1', {class: 'visually-hidden'}, 'Fleet'), banner, tiles,
    h('div', {class: 'toolbar'}, search, status, gateway, summary), grid, pager);

  let page = 0;
  let shown = new Map(); // agentKey -> card of agentCard()
  let frame = 0;

  const order = () => new Map(store.gatewayOrder().map((g, i) => [g, i]));
  const matches = (c) => {
    const q = search.value.trim().toLowerCase();
    return (!q || (c.name || '').toLowerCase().includes(q) || c.id.toLowerCase().includes(q))
      && (!status.value || c.status === status.value) && (!gateway.value || c.gateway === gateway.value);
  };
  const list = () => {
    const o = order();
    return [...store.agents.values()].filter(matches).sort((a, b) => (o.get(a.gateway) ?? 99) - (o.get(b.gateway) ?? 99)
      || Number(b.default) - Number(a.default) || a.id.localeCompare(b.id));
  };

  const renderTiles = () => {
    const agents = new Map();
    store.agents.forEach((c) => agents.set(c.gateway, (agents.get(c.gateway) || 0) + 1));
    replace(tiles, [...store.gateways.values()].map((g) => gatewayTile(g, agents.get(g.name) || 0)));
    const current = gateway.value;
    replace(gateway, h('option', {value: ''}, 'every gateway'),
      store.gatewayOrder().map((g) => h('option', {value: g, selected: g === current}, g)));
  };

  const render = () => {
    frame = 0;
    renderTiles();
    renderBanner();
    const all = list();
    const pages = Math.max(1, Math.ceil(all.length / PAGE));
    page = Math.min(page, pages - 1);
    const slice = all.slice(page * PAGE, (page + 1) * PAGE);
    const next = new Map();
    for (const c of slice) {
      const key = store.agentKey(c.gateway, c.id);
      const card = shown.get(key) || agentCard(c, store.usage.get(key));
      card.update(c, store.usage.get(key));
      next.set(key, card);
    }
    shown = next;
    grid.replaceChildren(...[...next.values()].map((c) => c.el));
    summary.textContent = emptyText(all.length) || `${all.length} of ${store.agents.size} agents`;
    replace(pager, pages < 2 ? [] : [...Array(pages).keys()].map((p) => h('button', {type: 'button',
      'aria-current': p === page ? 'page' : null, on: {click: () => { page = p; render(); }}}, String(p + 1))));
    if (performance.getEntriesByName('cc:fleet.update').length) {
      void grid.offsetHeight; // laid out
      performance.measure('cc:fleet-render', 'cc:fleet.update'); // from the fleet's arrival to its cards on the page
      performance.clearMarks('cc:fleet.update');
    }
  };

  const emptyText = (n) => {
    if (store.agents.size === 0 && store.synced.size === 0) {
      return app.reachable() ? 'Loading the fleet…' : 'Control Center is not reachable: the fleet is not known.';
    }
    if (store.agents.size === 0) return 'No agents yet.';
    return n === 0 ? 'No agent matches.' : '';
  };

  /** While the stream is down, what the page shows is what it knew when the last message came: it says so. */
  const renderBanner = () => {
    banner.hidden = app.live();
    banner.textContent = app.live() ? '' : `Not live: ${app.reachable() ? 'reconnecting to' : 'cannot reach'} Control Center. `
      + `The fleet below is as of ${time(store.lastMessageAt)}; it catches up when the stream is back.`;
  };

  const renderSoon = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };

  const unsubscribe = store.subscribe(({event, data}) => {
    if (event === 'agent.update') {
      const key = store.agentKey(data.gateway, data.id);
      const card = shown.get(key);
      if (card && !data.gone && matches(data)) card.update(data, store.usage.get(key));
      else renderSoon(); // a new, removed or filtered out agent: the page and the counts change
    } else if (['fleet.update', 'gateways', 'gateway.status', 'usage', 'live', 'reachable'].includes(event)) {
      renderSoon();
    }
  });
  for (const input of [search, status, gateway]) input.addEventListener('input', () => { page = 0; renderSoon(); });
  const clock = setInterval(() => {
    shown.forEach((card, key) => card.ticks(store.agents.get(key) || {}));
    renderTiles();
  }, 15000);

  render();
  return () => {
    unsubscribe();
    clearInterval(clock);
    cancelAnimationFrame(frame);
  };
}
