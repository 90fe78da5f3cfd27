// The session view: its chat. History from the gateway (older pages on demand), a message sent and its reply
// streaming in, a run aborted, a note injected; runs of others (cron, heartbeat, other clients) appear as they happen,
// marked proactive. A run is one bubble, keyed by its runId, that always shows the full text the API sends: a message
// replayed or read twice changes nothing.

import {api, path, query} from './api.js';
import {h, replace, setText} from './dom.js';
import {ago, count, time, when} from './format.js';
import * as store from './store.js';

const TERMINAL = ['final', 'aborted', 'error'];

export function sessionView(root, app, gateway, key) {
  const base = path`/api/gateways/${gateway}/sessions/${key}`;
  const title = h('h1', {}, key);
  const info = h('p', {class: 'muted'});
  const older = h('button', {type: 'button', id: 'older', hidden: true}, 'Load older messages');
  const chat = h('div', {class: 'chat', id: 'chat', 'aria-live': 'polite'});
  const input = h('textarea', {id: 'message', 'aria-label': 'Message', placeholder: 'Message the agent'});
  const send = h('button', {type: 'submit', class: 'primary', id: 'send'}, 'Send');
  const abort = h('button', {type: 'button', id: 'abort', disabled: true}, 'Abort run');
  const note = h('textarea', {id: 'note', 'aria-label': 'Note'});
  const label = h('input', {id: 'note-label', 'aria-label': 'Label of the note', placeholder: 'label (optional)'});
  const inject = h('button', {type: 'button', id: 'inject'}, 'Add note');
  const status = h('p', {class: 'muted small', role: 'status'});
  const agentLink = h('a', {href: '#/'}, '…');
  replace(root,
    h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Fleet'), ' › ', gateway, ' › ', agentLink, ' › ', key),
    h('div', {class: 'headline'}, title), info,
    h('section', {class: 'panel'}, older, chat,
      h('form', {class: 'composer', on: {submit: (e) => { e.preventDefault(); sendMessage(); }}}, input, send, abort),
      h('details', {}, h('summary', {}, 'Add a note to the transcript (no model run)'),
        h('div', {class: 'composer'}, note, label, inject)),
      status));

  const bubbles = new Map(); // `${runId}:${role}` (or the message id) -> {el, text, meta}
  const running = new Set(); // runIds in flight
  let session = {};
  let nextOffset = null;

  const bubble = (id, role, {before} = {}) => {
    let b = bubbles.get(id);
    if (!b) {
      const text = h('span', {class: 'text'});
      const meta = h('span', {class: 'meta'});
      b = {el: h('div', {class: `msg ${role}`, dataset: {id}}, text, meta), text, meta};
      bubbles.set(id, b);
      if (before) chat.prepend(b.el);
      else chat.append(b.el);
    }
    return b;
  };

  const showSession = () => {
    setText(title, session.label || session.displayName || key);
    agentLink.textContent = session.agentId || '…';
    agentLink.href = session.agentId ? `#/agent/${encodeURIComponent(gateway)}/${encodeURIComponent(session.agentId)}` : '#/';
    replace(info, [session.kind, session.status, session.hasActiveRun ? 'a run is going' : null,
      `tokens ${count(session.inputTokens)} in / ${count(session.outputTokens)} out / ${count(session.totalTokens)} total`]
      .filter(Boolean).join(' · '), session.updatedAt ? h('span', {title: when(session.updatedAt)}, ` · ${ago(session.updatedAt)}`) : '');
    abort.disabled = running.size === 0 && !session.hasActiveRun;
  };

  /** A message of chat.history (a note's run is inject-<id>, as its chat event's: the same bubble). */
  const historyMessage = (m, before) => {
    const role = m.role === 'user' ? 'user' : 'assistant';
    const b = bubble(m.runId ? `${m.runId}:${role}` : m.id, m.runId?.startsWith('inject-') ? 'note' : role, {before});
    setText(b.text, m.text ?? '');
    replace(b.meta, m.timestamp ? time(m.timestamp) : '', m.proactive ? h('span', {class: 'badge'}, 'proactive') : null);
    b.meta.title = when(m.timestamp);
  };

  const loadHistory = async (offset) => {
    try {
      const page = await api(base + '/history' + query({limit: 50, offset}));
      if (page.sessionInfo) {
        session = {...page.sessionInfo, ...session};
        showSession();
      }
      const messages = page.messages || [];
      if (offset) messages.slice().reverse().forEach((m) => historyMessage(m, true));
      else messages.forEach((m) => historyMessage(m, false));
      nextOffset = page.hasMore ? page.nextOffset : null;
      older.hidden = nextOffset === null || nextOffset === undefined;
      if (!offset) chat.scrollTop = chat.scrollHeight;
    } catch (e) {
      status.textContent = e.message;
    }
  };

  /** A chat message of the stream: the run's bubble shows its full text so far. */
  const chatEvent = (c) => {
    if (c.state === 'status') return;
    const note = c.kind === 'inject';
    const b = bubble(`${c.runId}:assistant`, note ? 'note' : 'assistant');
    setText(b.text, c.text ?? '');
    const done = TERMINAL.includes(c.state);
    b.el.classList.toggle('streaming', !done);
    b.el.classList.toggle(c.state, done && c.state !== 'final');
    replace(b.meta, time(Date.now()), c.proactive ? h('span', {class: 'badge'}, 'proactive') : null,
      c.state === 'aborted' ? ' · aborted' : '', c.state === 'error' ? ` · error: ${c.errorMessage || ''}` : '');
    if (done) running.delete(c.runId);
    else running.add(c.runId);
    showSession();
    chat.scrollTop = chat.scrollHeight;
  };

  const sendMessage = async () => {
    const message = input.value.trim();
    if (!message) return;
    const runId = uuid();
    const b = bubble(`${runId}:user`, 'user');
    setText(b.text, message);
    setText(b.meta, time(Date.now()));
    bubble(`${runId}:assistant`, 'assistant').el.classList.add('streaming');
    input.value = '';
    running.add(runId);
    showSession();
    try {
      await api(base + '/messages', {method: 'POST', body: {message, idempotencyKey: runId}});
      status.textContent = '';
    } catch (e) {
      status.textContent = `Not sent: ${e.message}`;
      running.delete(runId);
      bubbles.get(`${runId}:assistant`)?.el.remove();
      bubbles.delete(`${runId}:assistant`);
      showSession();
    }
  };

  abort.addEventListener('click', async () => {
    const runIds = [...running];
    try {
      if (runIds.length) await Promise.all(runIds.map((runId) => api(base + '/abort', {method: 'POST', body: {runId}})));
      else await api(base + '/abort', {method: 'POST', body: {}});
      status.textContent = 'Abort sent.';
    } catch (e) {
      status.textContent = `Not aborted: ${e.message}`;
    }
  });

  inject.addEventListener('click', async () => {
    const message = note.value.trim();
    if (!message) return;
    try {
      await api(base + '/inject', {method: 'POST', body: {message, label: label.value.trim() || undefined}});
      note.value = '';
      status.textContent = 'Note added.';
    } catch (e) {
      status.textContent = `Not added: ${e.message}`;
    }
  });
  older.addEventListener('click', () => loadHistory(nextOffset));

  const unsubscribe = store.subscribe(({event, data}) => {
    if (data?.gateway !== gateway) return;
    if (event === 'chat' && data.sessionKey === key) chatEvent(data);
    else if (event === 'session.update' && data.key === key) {
      session = {...session, ...Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== undefined))};
      showSession();
    }
  });

  loadHistory(0);
  input.focus();
  return unsubscribe;
}

/** A random UUID (also where crypto.randomUUID is missing: a page served over plain HTTP to another host). */
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
