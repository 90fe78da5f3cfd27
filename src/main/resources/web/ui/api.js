// The JSON API of Control Center (docs/API.md), from the page's own origin. The session cookie goes along by itself;
// the page never holds the API token beyond the login form.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const listeners = {unauthorized: new Set(), reachable: new Set()};

/** Subscribes to 'unauthorized' (a 401) or 'reachable' (true/false: whether the last request reached the server). */
export function on(event, fn) {
  listeners[event].add(fn);
  return () => listeners[event].delete(fn);
}

function emit(event, value) {
  listeners[event].forEach((fn) => fn(value));
}

/** A path with its parameters encoded: path`/api/gateways/${gw}/agents/${id}`. */
export function path(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(values[i]) : ''), '');
}

/** A query string of the parameters that are set: query({gateway: 'lab', limit: 50}) is '?gateway=lab&limit=50'. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const text = q.toString();
  return text ? '?' + text : '';
}

/** Calls the API; resolves to the JSON answer, rejects with an ApiError (status 0: the server is not reachable). */
export async function api(url, {method = 'GET', body} = {}) {
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : {'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    emit('reachable', false);
    throw new ApiError(0, 'UNREACHABLE', 'Control Center is not reachable');
  }
  emit('reachable', true);
  if (res.status === 401) emit('unauthorized', url);
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(res.status, data?.code ?? 'HTTP_' + res.status, data?.error ?? `${res.status} ${res.statusText}`);
  }
  return data;
}
