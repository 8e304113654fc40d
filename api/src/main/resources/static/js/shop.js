// Small helpers every page shares: messages, money, CSRF-protected fetch, the level colours (the levels
// themselves come from the server, as alert_level: its AlertLevel is the one rule).

const messagesEl = document.getElementById('messages');
const MESSAGES = messagesEl ? JSON.parse(messagesEl.textContent) : {};
const configEl = document.getElementById('shop-config');

/** The page's configuration, rendered by the server into data attributes. */
export const config = {
  realtimeUrls: (configEl?.dataset.realtimeUrls ?? '').split(',').map(s => s.trim()).filter(Boolean),
  hiddenAfterMs: Number(configEl?.dataset.hiddenAfter ?? 120000),
  role: configEl?.dataset.role ?? '',
  branchId: configEl?.dataset.branch ? Number(configEl.dataset.branch) : null,
  username: configEl?.dataset.user ?? '',
  lang: configEl?.dataset.lang ?? 'id',
  session: configEl?.dataset.session ?? '',
  tokenExpires: Number(configEl?.dataset.tokenExpires ?? 0),
  tokenIssued: Number(configEl?.dataset.tokenIssued ?? 0),
  backgroundAlerts: configEl?.dataset.backgroundAlerts === 'true',
  criticalPopup: configEl?.dataset.criticalPopup === 'true',
};
export const isSuperAdmin = config.role === 'SUPER_ADMIN';
export const isAdmin = config.role === 'ADMIN' || isSuperAdmin;

/** A message in the page's language; {0}, {1}... are replaced by the arguments. */
export function t(key, ...args) {
  const text = MESSAGES[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (m, i) => (args[Number(i)] ?? m));
}

/** The page's number and date locale: Indonesian (1.250.000 and 2,5), or English under ?lang=en. */
export const locale = config.lang === 'en' ? 'en-GB' : 'id-ID';

const rupiahFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
export function rupiah(amount) {
  return 'Rp ' + rupiahFormat.format(amount);
}

const numberFormats = new Map();
/** A number in the page's locale, with at most {@code digits} decimals. */
export function number(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '-';
  if (!numberFormats.has(digits)) numberFormats.set(digits, new Intl.NumberFormat(locale, { maximumFractionDigits: digits }));
  return numberFormats.get(digits).format(n);
}

const dateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
/** A calendar date (YYYY-MM-DD) in the page's language. */
export function date(isoDate) {
  return dateFormat.format(new Date(isoDate + 'T00:00:00Z'));
}

const shopDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }); // YYYY-MM-DD
/** The date (YYYY-MM-DD) of an instant in the shop's zone, Asia/Jakarta. */
export function shopDate(instant) {
  return shopDay.format(instant);
}

/** Today's date (YYYY-MM-DD) in the shop's zone, or the day {@code plusDays} after it. */
export function shopToday(plusDays = 0) {
  const today = shopDate(new Date());
  if (plusDays === 0) return today;
  return new Date(Date.parse(today + 'T00:00:00Z') + plusDays * 86_400_000).toISOString().slice(0, 10);
}

/** A rupiah amount as typed (digits, with or without thousands dots), or null if it is not one. */
export function typedRupiah(text) {
  const digits = String(text).replace(/[.\s]/g, '');
  return /^\d+$/.test(digits) ? Number(digits) : null;
}

const timeFormat = new Intl.DateTimeFormat(locale,
  { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Asia/Jakarta' });
export function time(iso) {
  return timeFormat.format(new Date(iso));
}

const dateTimeFormat = new Intl.DateTimeFormat(locale,
  { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Jakarta' });
/** A date and time in the shop's zone, in the page's language. */
export function dateTime(iso) {
  return dateTimeFormat.format(new Date(iso));
}

/** A sale's status as a badge: voided or partly returned stand out, a plain sale says so quietly. */
export function saleStatus(status) {
  const cls = { COMPLETED: 'text-bg-light border', PARTLY_RETURNED: 'text-bg-warning', VOIDED: 'text-bg-danger' }[status];
  return el('span', { class: 'badge sale-status ' + (cls ?? 'text-bg-light'), dataset: { status } }, t('saleStatus.' + status));
}

export function setLevelClass(row, level) {
  row.classList.remove('stock-low', 'stock-medium', 'stock-normal');
  row.classList.add('stock-' + level);
}

/** Briefly highlights an element (yellow flash for stock, pulse for figures). */
export function flash(el, cls = 'stock-updated', ms = 2000) {
  el.classList.remove(cls);
  void el.offsetWidth; // restart the animation
  el.classList.add(cls);
  setTimeout(() => el.classList.remove(cls), ms);
}

/** The CSRF token every state-changing request carries (double-submit cookie). */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : document.querySelector('meta[name="_csrf"]')?.content;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || ('HTTP ' + status));
    this.status = status;
    this.problem = problem || {};
  }
}

/** fetch() against the API with the session cookie, the CSRF token and the page's language. */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const h = { 'Accept': 'application/json, application/problem+json', 'Accept-Language': config.lang, ...headers };
  if (method !== 'GET') {
    h['X-XSRF-TOKEN'] = csrfToken();
    if (body !== undefined) h['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { method, headers: h, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    location.href = '/login?kedaluwarsa';
    throw new ApiError(401, null);
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, cursor: response.headers.get('Event-Cursor'), headers: response.headers };
}

/**
 * For a page that loads its list again (branch switched, history reset, a row changed): call the
 * returned function when a load starts; it gives a check that stays true until the next load
 * starts. The answer to an older load may arrive after a newer one's; checked, it is dropped
 * instead of showing one branch's list under another branch's name.
 */
export function loadSequence() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}

/** A fresh Idempotency-Key: a retry with the same key is the same write, never a second one. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map(x => x.toString(16).padStart(2, '0')).join('');
}

/** A cursor "1:45,2:37" as a Map of branch -> seq. */
export function parseCursor(text) {
  const positions = new Map();
  if (!text) return positions;
  for (const pair of text.split(',')) {
    const [b, s] = pair.split(':');
    if (b && s !== undefined) positions.set(Number(b), Number(s));
  }
  return positions;
}

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
}
