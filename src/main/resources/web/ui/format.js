// Numbers and times for people: times in the browser's time zone, relative where that reads better.

const relative = new Intl.RelativeTimeFormat(undefined, {numeric: 'auto', style: 'short'});
const absolute = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
const clock = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'});
const minutes = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit'});
const days = new Intl.DateTimeFormat(undefined, {weekday: 'short', hour: '2-digit', minute: '2-digit'});
const compact = new Intl.NumberFormat(undefined, {notation: 'compact', maximumFractionDigits: 1});

/** Epoch ms of an ISO-8601 string or a number of ms; null when absent. */
export function ms(t) {
  if (t === null || t === undefined || t === '') return null;
  const n = typeof t === 'number' ? t : Date.parse(t);
  return Number.isFinite(n) ? n : null;
}

/** "2 min ago", "in 5 sec", "—" when unknown. */
export function ago(t, now = Date.now()) {
  const m = ms(t);
  if (m === null) return '—';
  const sec = Math.round((m - now) / 1000);
  const abs = Math.abs(sec);
  if (abs < 5) return 'just now';
  if (abs < 60) return relative.format(sec, 'second');
  if (abs < 3600) return relative.format(Math.round(sec / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(sec / 3600), 'hour');
  return relative.format(Math.round(sec / 86400), 'day');
}

/** The full local date and time (a tooltip beside a relative time). */
export function when(t) {
  const m = ms(t);
  return m === null ? '' : absolute.format(m);
}

/** Local hh:mm:ss. */
export function time(t) {
  const m = ms(t);
  return m === null ? '' : clock.format(m);
}

/** A time on an axis spanning spanMs: seconds for minutes, minutes for hours, the day for days. */
export function tick(t, spanMs) {
  const m = ms(t);
  if (m === null) return '';
  return (spanMs <= 3600_000 ? clock : spanMs <= 86400_000 ? minutes : days).format(m);
}

/** 12.3K; "—" when unknown. */
export function count(n) {
  return n === null || n === undefined ? '—' : compact.format(n);
}
