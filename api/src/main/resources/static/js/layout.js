// What every page has: the browser's realtime stream (shared by its tabs), the token's renewal, the
// connection indicator, the low-stock badge and its dropdown, toasts, the critical-stock popup (once
// per product per session) and browser notifications while every tab is hidden. Pages import
// { realtime, screen } from here.

import { BrowserStream } from './tabs.js';
import { Session } from './session.js';
import { api, config, el, isAdmin, isSuperAdmin, parseCursor, t, rupiah } from './shop.js';

// Phones and tablets close the stream while hidden, whoever holds them: their battery comes first.
const handheld = window.matchMedia?.('(pointer: coarse)').matches ?? false;
export const realtime = new BrowserStream({ urls: config.realtimeUrls, name: config.session || 'user-' + config.username,
  hiddenAfterMs: config.hiddenAfterMs, keepWhenHidden: config.backgroundAlerts && !handheld });

const toLogin = () => { location.href = '/login?kedaluwarsa'; };
const session = new Session({
  expiresAt: config.tokenExpires, issuedAt: config.tokenIssued, leads: () => realtime.isLeader(),
  tell: renewed => { realtime.share('renewed', renewed); realtime.reconnectIfClosed(); },
  ended: () => { realtime.share('ended'); toLogin(); },
});
realtime.on('tab:renewed', renewed => session.adopt(renewed));
realtime.on('tab:ended', toLogin);
// The stream ends when the token it was opened with expires: go on from the cursor with the new one.
// One whose account or session was ended (deactivated, logged out elsewhere) cannot be renewed.
realtime.on('token-expired', data => {
  if (data?.reason === 'token-revoked') { realtime.share('ended'); toLogin(); }
  else if (session.fresh()) realtime.reconnectIfClosed();
  else session.renew().catch(() => {});
});

const lowStock = new Map(); // "branch:product" -> stock update
let applied = new Map(); // branch -> seq the layout's state includes

/** Whether an event at {@code seq} of {@code branch} is newer than the state it would be applied to. */
export function isNewer(positions, branch, lastEventId) {
  const seq = parseCursor(lastEventId).get(branch);
  const at = positions.get(branch);
  return seq === undefined || at === undefined || seq > at;
}

async function loadScreen() {
  const { data } = await api('/api/screen');
  applied = parseCursor(data.cursor);
  lowStock.clear();
  for (const b of data.branches) {
    for (const p of b.lowStock) {
      lowStock.set(b.id + ':' + p.id, { product_id: p.id, product_name: p.name, kode: p.kode, new_stock: p.stock,
        branch_id: b.id, branch_name: b.name, alert_level: p.alertLevel });
    }
  }
  renderLowStock();
  overdue.clear();
  for (const b of data.branches) overdue.set(b.id, b.overdueOrders);
  renderOverdue();
  return data;
}

// ---- the navbar's count of overdue orders (past their promised date, not ready), per branch ----
const overdue = new Map();
function renderOverdue() {
  const badge = document.getElementById('overdue-badge');
  if (!badge) return;
  const n = [...overdue.values()].reduce((a, b) => a + b, 0);
  badge.textContent = String(n);
  badge.classList.toggle('d-none', n === 0);
}
realtime.on('order', data => {
  overdue.set(data.branchId, data.overdueOrders);
  renderOverdue();
  if (data.overdue && !data.by) toast(inBranch(t('orders.overdueToast', data.orderNo, data.customerName), data.branchName), 'danger');
});

/** The screen state every page starts from; its cursor is where the stream starts. */
export const screen = loadScreen();

// A tab applies only its own branch's messages (a super admin's, any branch the chain has).
screen.then(data => realtime.start(data.cursor, isSuperAdmin ? undefined : [config.branchId]))
  .catch(e => console.error('could not load the screen', e));

// ---- connection indicator ----
const indicator = document.getElementById('connection');
const INDICATOR_LOOK = { connected: 'text-bg-light text-success', reconnecting: 'text-bg-warning', refused: 'text-bg-danger',
  offline: 'text-bg-secondary' };
let lastRefusal = null;
realtime.on('state', (state, refusal) => {
  if (!indicator) return;
  indicator.dataset.state = state;
  indicator.className = 'connection-indicator badge rounded-pill ms-auto me-2 order-xl-last ' + (INDICATOR_LOOK[state] ?? '');
  // Refused is not an outage: say what the node said (too many tabs, this network, a full node).
  indicator.querySelector('.label').textContent = state === 'refused' && refusal?.title ? refusal.title : t('conn.' + state);
  indicator.title = state === 'refused' && refusal ? refusal.detail : '';
  if (state === 'refused' && refusal && refusal.detail !== lastRefusal) toast(refusal.detail, 'danger');
  lastRefusal = state === 'refused' ? refusal?.detail : null;
});
realtime.on('failing', async () => {
  // Several failures in a row: maybe the token ran out while the computer slept (the stream's 401 is
  // invisible to EventSource), or the session is gone.
  if (!session.fresh()) {
    session.renew().catch(() => {});
    return;
  }
  try { await api('/api/branches'); } catch { /* api() sends a logged-out user to the login page */ }
});

// ---- low-stock badge and dropdown ----
function renderLowStock() {
  const badge = document.getElementById('low-stock-badge');
  const list = document.getElementById('low-stock-list');
  if (!badge || !list) return;
  badge.textContent = String(lowStock.size);
  badge.classList.toggle('d-none', lowStock.size === 0);
  list.querySelectorAll('li.item').forEach(li => li.remove());
  list.querySelector('li.empty')?.classList.toggle('d-none', lowStock.size > 0);
  const items = [...lowStock.values()].sort((a, b) => a.new_stock - b.new_stock).slice(0, 50);
  for (const u of items) {
    const href = '/stok?q=' + encodeURIComponent(u.kode) + (config.role === 'SUPER_ADMIN' ? '&branch=' + u.branch_id : '');
    list.append(el('li', { class: 'item' }, el('a', { class: 'dropdown-item d-flex justify-content-between gap-3', href },
      el('span', {}, u.product_name + (config.role === 'SUPER_ADMIN' ? ' · ' + u.branch_name : '')),
      el('span', { class: 'badge text-bg-danger' }, u.new_stock))));
  }
}

realtime.on('stock', (data, id) => {
  for (const u of data.updates) {
    if (!isNewer(applied, u.branch_id, id)) continue;
    const key = u.branch_id + ':' + u.product_id;
    if (u.alert_level === 'low') lowStock.set(key, u); else lowStock.delete(key);
    if (u.alert_level === 'low' && u.previous_alert_level !== undefined && u.previous_alert_level !== 'low') critical(u);
  }
  const seq = parseCursor(id);
  for (const [b, s] of seq) applied.set(b, s);
  renderLowStock();
});

realtime.on('reset', async () => {
  toast(t('reset'), 'secondary');
  await loadScreen().catch(() => {});
});

// ---- popups, toasts, browser notifications ----
let criticalBatch = null; // products that became critical together, shown as one toast

/**
 * A product became critical: admins confirm a popup (configurable); everyone else, a kasir half-way
 * through a sale included, gets a toast that groups what came within a moment, and the navbar's
 * list. Once per product per session, whichever tab it reached.
 */
function critical(u) {
  const key = 'critical:' + u.branch_id + ':' + u.product_id;
  if (sessionStorage.getItem(key)) return; // at most once per product per session
  sessionStorage.setItem(key, '1');
  const text = t('critical.text', u.product_name, u.branch_name, u.new_stock);
  notifyIfHidden(t('critical.title'), text);
  speak(t('voice.critical', u.product_name, u.new_stock));
  if (config.criticalPopup && window.Swal) {
    if (Swal.isVisible()) toast(text, 'danger'); // never one popup over another
    else criticalPopup(u, text);
    return;
  }
  if (!criticalBatch) {
    criticalBatch = [];
    setTimeout(() => {
      const batch = criticalBatch;
      criticalBatch = null;
      toast(batch.length === 1 ? t('critical.title') + ': ' + batch[0]
        : t('critical.many', batch.length) + ': ' + batch.slice(0, 5).join('; ') + (batch.length > 5 ? '; …' : ''), 'danger');
    }, 1500);
  }
  criticalBatch.push(text);
}

/**
 * The popup of a product that became critical, for admins: with the branch that can spare the most of
 * it (above its own medium level) and one click to a prefilled transfer request.
 */
async function criticalPopup(u, text) {
  let suggestion = null;
  if (isAdmin) {
    const query = `productId=${u.product_id}` + (isSuperAdmin ? `&branchId=${u.branch_id}` : '');
    suggestion = await api('/api/transfers/suggestion?' + query).then(r => r.data).catch(() => null);
  }
  const answer = await Swal.fire({ icon: 'warning', title: t('critical.title'),
    text: suggestion ? text + ' ' + t('critical.suggest', suggestion.fromBranchName, suggestion.available) : text,
    confirmButtonText: t('ok'), confirmButtonColor: '#dc3545', showDenyButton: !!suggestion,
    denyButtonText: suggestion ? t('critical.askTransfer', suggestion.quantity, suggestion.fromBranchName) : '',
    denyButtonColor: '#0d6efd' });
  if (answer.isDenied && suggestion) {
    location.assign('/transfer?' + new URLSearchParams({ from: suggestion.fromBranchId, to: suggestion.toBranchId,
      product: u.kode, quantity: suggestion.quantity }));
  }
}

export function toast(text, color = 'success') {
  const box = document.getElementById('toasts');
  if (!box || !window.bootstrap) return;
  const node = el('div', { class: 'toast align-items-center border-0 text-bg-' + color, role: 'status', 'aria-atomic': 'true' },
    el('div', { class: 'd-flex' }, el('div', { class: 'toast-body' }, text),
      el('button', { type: 'button', class: 'btn-close btn-close-white me-2 m-auto', 'data-bs-dismiss': 'toast', 'aria-label': t('ok') })));
  box.append(node);
  node.addEventListener('hidden.bs.toast', () => node.remove());
  new bootstrap.Toast(node, { delay: 6000 }).show();
}

/** A browser notification, from one tab only, when no tab of the browser is in view. */
function notifyIfHidden(title, body) {
  if (realtime.isLeader() && realtime.allHidden() && 'Notification' in window && Notification.permission === 'granted') {
    new Notification(title, { body, tag: title + body });
  }
}

/** A super admin watches every branch: their toasts say which one. */
function inBranch(text, branchName) {
  return config.role === 'SUPER_ADMIN' && branchName ? text + ' · ' + branchName : text;
}

realtime.on('sale', data => {
  const n = data.notification;
  if (isAdmin && n) {
    const text = inBranch(t('toast.sale') + ': ' + n.invoiceNo + ' · ' + rupiah(n.total) + ' · ' + n.paymentType + ' · '
      + n.cashier, n.branchName);
    toast(text, 'success');
    notifyIfHidden(t('toast.sale'), text);
  }
});
realtime.on('sale-return', data => {
  const n = data.notification;
  if (isAdmin && n) {
    const text = inBranch(t('notification.sale_returned.' + n.returnKind, n.invoiceNo, rupiah(n.amount), n.returnedBy),
      n.branchName);
    toast(text, 'warning');
    notifyIfHidden(t('toast.saleReturned'), text);
  }
});
realtime.on('notification', data => {
  if (data.kind === 'order_ready') {
    const text = inBranch(t('notification.order_ready', data.orderNo, data.customerName), data.branchName);
    toast(text, 'info');
    notifyIfHidden(t('toast.orderReady'), text);
    speak(t('voice.orderReady', data.customerName, data.orderNo));
  } else if (data.kind === 'stock_forecast') {
    const text = inBranch(t('notification.stock_forecast', data.productName, data.days, data.stock), data.branchName);
    toast(text, 'warning');
    notifyIfHidden(t('toast.forecast'), text);
  }
});

// ---- voice alerts: spoken, switched on per screen (remembered on this device), off by default ----
const VOICE_KEY = 'optik.voice';
const voiceToggle = document.getElementById('voice-toggle');
const voiceOn = () => localStorage.getItem(VOICE_KEY) === 'on';
function showVoice() {
  voiceToggle.setAttribute('aria-pressed', String(voiceOn()));
  voiceToggle.querySelector('i').className = 'bi ' + (voiceOn() ? 'bi-volume-up' : 'bi-volume-mute');
}
if (voiceToggle && 'speechSynthesis' in window) {
  voiceToggle.classList.remove('d-none');
  showVoice();
  voiceToggle.addEventListener('click', () => {
    localStorage.setItem(VOICE_KEY, voiceOn() ? 'off' : 'on');
    showVoice();
    if (voiceOn()) speak(t('voice.on'));
  });
}

/** Says it aloud once per browser (the leading tab speaks), if this screen has voice alerts on. */
function speak(text) {
  if (!voiceOn() || !('speechSynthesis' in window) || !realtime.isLeader()) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = config.lang === 'en' ? 'en-GB' : 'id-ID';
  window.speechSynthesis.speak(utterance);
}

// Browser notifications: offered by a button, asked for only after the click.
const enable = document.getElementById('enable-notifications');
if (enable && 'Notification' in window && Notification.permission === 'default') {
  enable.classList.remove('d-none');
  enable.addEventListener('click', async () => {
    await Notification.requestPermission();
    enable.classList.add('d-none');
  });
}
