// The live stream: one EventSource on /api/events for the whole page. The browser reconnects by itself and sends
// Last-Event-ID, so Control Center replays what was missed from its event log (nothing lost, nothing twice). When the
// browser gives up (the server answered with an error, e.g. while it starts), a new EventSource resumes from the last
// id with ?lastEventId=.

export const EVENTS = ['fleet.update', 'agent.update', 'session.update', 'presence.update', 'gateway.status', 'chat'];
const RETRY_MS = 2000;

/**
 * Opens the stream. onMessage(event, data, id) for every message in order; onState('live' | 'reconnecting') when
 * it changes; beforeRetry() (may be async) runs before a new EventSource is made and may return false to stop.
 */
export function openStream({onMessage, onState, beforeRetry}) {
  let source = null;
  let lastId = null;
  let state = null;
  let stopped = false;
  let timer = null;

  const setState = (next) => {
    if (next !== state) {
      state = next;
      onState(next);
    }
  };

  const deliver = (event) => (e) => {
    if (event === 'fleet.update') performance.mark('cc:fleet.update'); // the fleet arrived (the view measures its render)
    const id = e.lastEventId === '' ? null : Number(e.lastEventId);
    // a replay never repeats a message; the fleet.update of each gateway at the start share one id
    if (id !== null && lastId !== null && id < lastId) return;
    if (id !== null) lastId = id;
    let data;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    onMessage(event, data, id);
  };

  const open = () => {
    if (stopped) return;
    source = new EventSource(lastId === null ? '/api/events' : `/api/events?lastEventId=${lastId}`);
    source.onopen = () => setState('live');
    source.onerror = () => {
      setState('reconnecting');
      if (source.readyState === EventSource.CLOSED) retry();
    };
    EVENTS.forEach((name) => source.addEventListener(name, deliver(name)));
  };

  const retry = () => {
    source?.close();
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const go = beforeRetry ? await beforeRetry() : true;
      if (go !== false) open();
    }, RETRY_MS);
  };

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    },
    get lastId() {
      return lastId;
    },
  };
}
