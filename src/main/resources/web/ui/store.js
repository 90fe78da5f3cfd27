// What the page knows of the fleet: the gateways (GET /api/gateways, kept current by gateway.status and fleet.update)
// and every agent card (fleet.update, then agent.update), updated in place from the live stream. Views subscribe
// and are told what changed.

import {api} from './api.js';

export const gateways = new Map(); // name -> the gateway as GET /api/gateways shows it (state patched live)
export const agents = new Map(); // agentKey -> agent card
export const usage = new Map(); // agentKey -> {inputTokens, outputTokens, totalTokens}
/** Gateways whose fleet.update arrived: until then the page does not know their agents. */
export const synced = new Set();
const listeners = new Set();
/** When the last message of the stream arrived (ms), or when the page loaded. */
export let lastMessageAt = Date.now();

export const agentKey = (gateway, id) => JSON.stringify([gateway, id]);

/** fn({event, data}) for every message of the stream and every refresh ('gateways', 'usage'); returns unsubscribe. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(event, data) {
  listeners.forEach((fn) => fn({event, data}));
}

/** A message of the live stream. */
export function apply(event, data) {
  lastMessageAt = Date.now();
  if (event === 'fleet.update') {
    patchGateway(data.gateway, {state: data.state, serverVersion: data.serverVersion, sessionCount: data.sessions?.total});
    const listed = new Set();
    for (const card of data.agents || []) {
      listed.add(agentKey(card.gateway, card.id));
      agents.set(agentKey(card.gateway, card.id), card);
    }
    for (const [key, card] of agents) {
      if (card.gateway === data.gateway && !listed.has(key)) agents.delete(key);
    }
    synced.add(data.gateway);
  } else if (event === 'agent.update') {
    const key = agentKey(data.gateway, data.id);
    if (data.gone) agents.delete(key);
    else agents.set(key, data);
  } else if (event === 'gateway.status') {
    patchGateway(data.gateway, {state: data.state});
    refreshGatewaysSoon();
  }
  emit(event, data);
}

function patchGateway(name, fields) {
  const g = gateways.get(name) || {name};
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && v !== null) g[k] = v;
  }
  gateways.set(name, g);
}

let refreshTimer = null;

/** Reads GET /api/gateways again shortly (several changes at once make one request). */
export function refreshGatewaysSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refreshGateways().catch(() => {}), 300);
}

/** GET /api/gateways: every configured gateway in order, with its state, reason, pairing request, counts. */
export async function refreshGateways() {
  const list = await api('/api/gateways');
  const known = new Set(list.map((g) => g.name));
  gateways.clear();
  list.forEach((g) => gateways.set(g.name, g));
  for (const [key, card] of agents) {
    if (!known.has(card.gateway)) agents.delete(key);
  }
  emit('gateways', list);
  return list;
}

/** GET /api/dashboard/usage: the tokens of every agent's live sessions. */
export async function refreshUsage() {
  const rows = await api('/api/dashboard/usage');
  usage.clear();
  rows.forEach((u) => usage.set(agentKey(u.gateway, u.agentId), u));
  emit('usage', rows);
}

/** Gateway names in configuration order. */
export function gatewayOrder() {
  return [...gateways.keys()];
}

/** What a gateway's state is in words: polling while its fleet arrives over HTTP, else its connection state. */
export function gatewayState(g) {
  return g?.path === 'polling' ? 'polling' : g?.state || 'unknown';
}

/** Tells the views about something of the page itself ('reachable', 'live'). */
export function notify(event, data) {
  emit(event, data);
}

/** What needs a person (GET /api/dashboard/attention), oldest first; null until read. */
export let attention = null;

export async function refreshAttention() {
  attention = await api('/api/dashboard/attention');
  emit('attention', attention);
  return attention;
}
