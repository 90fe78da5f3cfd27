// The dashboard's entry point: log in when Control Center asks for its token, open the live stream, and show the view
// the address names (#/, #/agent/<gateway>/<id>, #/session/<gateway>/<key>, #/attention, #/activity).

import {api, on} from './api.js';
import {h, replace} from './dom.js';
import {openStream} from './stream.js';
import * as store from './store.js';
import {fleetView} from './fleet.js';
import {agentView} from './agent.js';
import {sessionView} from './session.js';
import {attentionView} from './attention.js';
import {activityView} from './activity.js';

const $ = (id) => document.getElementById(id);
const main = $('view');
const state = {reachable: true, live: false, view: null};

/** What views may ask of the page. */
export const app = {
  reachable: () => state.reachable,
  live: () => state.live,
};

const routes = [
  [/^#?\/?$/, 'fleet', fleetView],
  [/^#\/agent\/([^/]+)\/([^/]+)$/, 'fleet', agentView],
  [/^#\/session\/([^/]+)\/([^/]+)$/, 'fleet', sessionView],
  [/^#\/attention$/, 'attention', attentionView],
  [/^#\/activity$/, 'activity', activityView],
];

function route() {
  state.view?.();
  state.view = null;
  const hash = location.hash || '#/';
  for (const [pattern, name, view] of routes) {
    const m = hash.match(pattern);
    if (m) {
      document.querySelectorAll('header nav a').forEach((a) => a.toggleAttribute('aria-current', a.dataset.view === name));
      const params = m.slice(1).map(decodeURIComponent);
      main.focus({preventScroll: true});
      state.view = view(main, app, ...params) || null;
      return;
    }
  }
  replace(main, h('p', {}, 'No such page. '), h('a', {href: '#/'}, 'Back to the fleet'));
}

function showConnection() {
  const el = $('connection');
  const [text, cls] = state.live ? ['live', 'live']
    : state.reachable ? ['reconnecting…', 'reconnecting'] : ['reconnecting… Control Center is not reachable', 'down'];
  el.textContent = text;
  el.className = `connection ${cls}`;
  document.body.classList.toggle('stale', !state.live);
}

/** Shows the login form until Control Center accepts the token; the token is sent once and forgotten. */
function login() {
  const dialog = $('login');
  const form = $('login-form');
  const input = $('login-token');
  const error = $('login-error');
  if (dialog.open) return dialog.pending;
  dialog.pending = new Promise((resolve) => {
    form.onsubmit = async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        await api('/api/session', {method: 'POST', body: {token: input.value}});
        input.value = '';
        dialog.close();
        resolve();
      } catch (err) {
        input.value = '';
        error.textContent = err.status === 401 ? 'That is not the API token.' : err.message;
      }
    };
  });
  dialog.showModal();
  input.focus();
  return dialog.pending;
}

/** GET /api/session until Control Center answers. */
async function session() {
  for (;;) {
    try {
      return await api('/api/session');
    } catch (e) {
      if (e.status !== 0) throw e;
      replace(main, h('p', {class: 'error'}, 'Control Center is not reachable; trying again…'));
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

async function start() {
  on('reachable', (ok) => {
    if (ok !== state.reachable) {
      state.reachable = ok;
      showConnection();
      store.notify('reachable', ok);
    }
  });
  on('unauthorized', (url) => {
    if (url !== '/api/session') login().then(() => route());
  });
  const s = await session();
  $('logout').hidden = !s.tokenRequired;
  $('logout').onclick = async () => {
    await api('/api/session', {method: 'DELETE'}).catch(() => {});
    location.reload();
  };
  if (s.tokenRequired && !s.authenticated) await login();
  store.refreshGateways().catch(() => {});
  store.refreshUsage().catch(() => {});
  openStream({
    onMessage: store.apply,
    onState: (next) => {
      state.live = next === 'live';
      if (state.live) {
        state.reachable = true;
        store.refreshGateways().catch(() => {});
      }
      showConnection();
      store.notify('live', state.live);
    },
    beforeRetry: async () => {
      const again = await api('/api/session').catch(() => null);
      if (again?.tokenRequired && !again.authenticated) await login();
      return true;
    },
  });
  setInterval(() => store.refreshUsage().catch(() => {}), 30000);
  store.subscribe(({event, data}) => {
    if (event !== 'attention') return;
    $('attention-count').hidden = data.length === 0;
    $('attention-count').textContent = String(data.length);
  });
  const attention = () => store.refreshAttention().catch(() => {});
  setInterval(attention, 15000);
  setInterval(() => store.refreshGateways().catch(() => {}), 15000); // sessions, last event
  attention();
  window.addEventListener('hashchange', route);
  route();
}

start();
