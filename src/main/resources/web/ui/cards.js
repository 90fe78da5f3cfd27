// An agent card: made once, then patched field by field when its agent.update arrives.

import {h, setText} from './dom.js';
import {ago, count, when} from './format.js';

/** The card element of agent card c, with update(c, usage) to patch it in place. */
export function agentCard(c, usage) {
  const parts = {
    avatar: h('span', {class: 'avatar', 'aria-hidden': 'true'}),
    name: h('span', {class: 'name'}),
    status: h('span', {class: 'pill'}),
    model: h('span', {class: 'model'}),
    sessions: h('dd', {}),
    runs: h('dd', {}),
    tokens: h('dd', {}),
    last: h('dd', {}),
  };
  const el = h('a', {class: 'card', href: `#/agent/${encodeURIComponent(c.gateway)}/${encodeURIComponent(c.id)}`,
    dataset: {gateway: c.gateway, agent: c.id}},
  h('div', {class: 'card-head'}, parts.avatar, parts.name, parts.status),
  h('div', {class: 'muted small'}, h('span', {text: c.gateway}), ' · ', h('span', {text: c.id}), c.default ? ' · default' : '',
    ' · ', parts.model),
  h('dl', {},
    h('div', {}, h('dt', {}, 'sessions'), parts.sessions),
    h('div', {}, h('dt', {}, 'active runs'), parts.runs),
    h('div', {}, h('dt', {}, 'tokens'), parts.tokens),
    h('div', {}, h('dt', {}, 'last activity'), parts.last)));

  const update = (card, use) => {
    el.className = `card status-${card.status}`;
    avatar(parts.avatar, card);
    setText(parts.name, card.name || card.id);
    setText(parts.status, card.status);
    setText(parts.model, card.model || 'no model');
    setText(parts.sessions, count(card.sessionCount));
    setText(parts.runs, count(card.activeRuns));
    setText(parts.tokens, use ? count(use.totalTokens) : '—');
    if (use) parts.tokens.title = `input ${use.inputTokens ?? '—'} · output ${use.outputTokens ?? '—'} · total ${use.totalTokens ?? '—'}`;
    ticks(card);
  };
  const ticks = (card) => {
    setText(parts.last, ago(card.lastActivity));
    parts.last.title = when(card.lastActivity);
  };
  update(c, usage);
  return {el, update, ticks};
}

/** The agent's emoji, its avatar when it is an inline image, else its initial. */
export function avatar(el, card) {
  const image = typeof card.avatar === 'string' && card.avatar.startsWith('data:image/') ? card.avatar : null;
  const text = card.emoji || (card.name || card.id || '?').slice(0, 1).toUpperCase();
  if (image) {
    if (el.firstElementChild?.getAttribute('src') !== image) el.replaceChildren(h('img', {src: image, alt: ''}));
  } else {
    setText(el, text);
  }
}
