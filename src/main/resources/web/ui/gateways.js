// One tile per gateway: its state in words and colour, and what to do about it (the pairing command to copy, the
// reason of a failure, when the next attempt is).

import {h, replace} from './dom.js';
import {ago, count, when} from './format.js';
import {gatewayState} from './store.js';

/** The tile of gateway g (as GET /api/gateways shows it, state patched live) with its live agents. */
export function gatewayTile(g, agents) {
  const state = gatewayState(g);
  const tile = h('section', {class: `gateway state-${state}`, 'aria-label': `Gateway ${g.name}`, dataset: {gateway: g.name}});
  replace(tile,
    h('h3', {}, h('span', {class: 'dot', 'aria-hidden': 'true'}), h('span', {class: 'gateway-name', text: g.name}),
      h('span', {class: 'state', text: state})),
    detail(g, state),
    h('p', {class: 'muted small'},
      `${count(agents)} agents · ${count(g.sessionCount)} sessions`,
      g.serverVersion ? ` · OpenClaw ${g.serverVersion}` : '',
      g.lastEventAt ? h('span', {title: when(g.lastEventAt)}, ` · last event ${ago(g.lastEventAt)}`) : ''));
  return tile;
}

function detail(g, state) {
  switch (state) {
    case 'pairing':
      return pairing(g.pairing);
    case 'failed':
      return h('p', {class: 'reason'}, g.reason || g.lastError || 'refused');
    case 'reconnecting':
    case 'connecting':
    case 'disconnected':
      return h('p', {class: 'reason'},
        g.nextAttemptAt ? h('span', {title: when(g.nextAttemptAt)}, `next attempt ${ago(g.nextAttemptAt)}`) : 'trying to connect',
        g.lastError ? ` · ${g.lastError}` : '');
    case 'polling':
      return h('p', {class: 'reason'}, 'WebSocket down: the fleet is read over HTTP',
        g.polling?.lastSuccessAt ? ` (last poll ${ago(g.polling.lastSuccessAt)})` : '');
    default:
      return null;
  }
}

/** While pairing: the command an operator runs on the gateway host, ready to copy. */
function pairing(p) {
  if (!p) return h('p', {class: 'reason'}, 'waiting for the device to be approved on the gateway host');
  const command = h('input', {class: 'command', readonly: true, value: p.command, 'aria-label': 'Command to approve Control Center'});
  const copy = h('button', {type: 'button', on: {click: () => copyText(command, copy)}}, 'Copy');
  return h('div', {class: 'pairing'},
    h('p', {}, 'Approve Control Center on the gateway host:'),
    h('div', {class: 'copy'}, command, copy),
    h('p', {class: 'muted small', title: when(p.since)}, `asked ${ago(p.since)} · ${p.reason || ''}`));
}

async function copyText(input, button) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Press Ctrl+C';
  }
  setTimeout(() => (button.textContent = 'Copy'), 2000);
}
