// Needs attention: gateways down or waiting for pairing, agents whose last run failed, runs working too long, slow
// dashboards dropped; each with when it started. Empty when all is well.

import {h, replace} from './dom.js';
import {ago, when} from './format.js';
import * as store from './store.js';

const KINDS = {
  'gateway-failed': 'Gateway failed',
  'gateway-pairing': 'Gateway waits for pairing',
  'gateway-down': 'Gateway down',
  'gateway-polling': 'Gateway polled over HTTP',
  'agent-error': 'Last run failed',
  'long-run': 'Long run',
  'slow-dashboard': 'Dashboard too slow',
};

export function attentionView(root) {
  const list = h('ul', {class: 'plain attention', id: 'attention'});
  const summary = h('p', {class: 'muted', role: 'status'});
  replace(root, h('h1', {}, 'Needs attention'), summary, h('section', {class: 'panel live-data'}, list));

  const render = () => {
    const items = store.attention;
    if (items === null) {
      summary.textContent = 'Loading…';
      return;
    }
    summary.textContent = items.length ? `${items.length} to look at` : 'All is well: nothing needs attention.';
    list.replaceChildren(...items.map(item));
  };

  const unsubscribe = store.subscribe(({event}) => {
    if (event === 'attention') render();
  });
  const clock = setInterval(render, 15000);
  render();
  store.refreshAttention().catch((e) => (summary.textContent = e.message));
  return () => {
    unsubscribe();
    clearInterval(clock);
  };
}

function item(i) {
  const link = i.sessionKey ? h('a', {href: `#/session/${encodeURIComponent(i.gateway)}/${encodeURIComponent(i.sessionKey)}`}, 'session')
    : i.agentId ? h('a', {href: `#/agent/${encodeURIComponent(i.gateway)}/${encodeURIComponent(i.agentId)}`}, 'agent') : null;
  return h('li', {class: 'panel', dataset: {kind: i.kind}},
    h('div', {}, h('span', {class: 'kind'}, KINDS[i.kind] || i.kind), i.gateway ? ` · ${i.gateway}` : '',
      i.since ? h('span', {class: 'muted', title: when(i.since)}, ` · since ${ago(i.since)}`) : ''),
    h('p', {}, i.message),
    i.command ? h('p', {}, h('code', {}, i.command)) : null,
    link);
}
