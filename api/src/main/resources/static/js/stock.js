// Stock: frames, lenses and accessories with search; rows coloured by level, flashing yellow and
// updating in place when a sale or an adjustment changes them. Admins receive stock and correct it
// after a count from here (POST /api/products/{id}/stock-adjustments); the change comes back as the
// stock event every screen gets.

import { realtime, isNewer, toast } from './layout.js';
import { api, ApiError, config, el, isAdmin, isSuperAdmin, loadSequence, parseCursor, rupiah, setLevelClass, flash, t }
  from './shop.js';

const params = new URLSearchParams(location.search);
const branchSelect = document.getElementById('branch-select');
const search = document.getElementById('stock-search');
let branch = config.branchId;
let positions = new Map();
let loading = null; // events that arrive while the table loads wait here
const newLoad = loadSequence();

if (branchSelect) {
  if (params.get('branch')) branchSelect.value = params.get('branch');
  branch = Number(branchSelect.value);
  branchSelect.addEventListener('change', () => { branch = Number(branchSelect.value); load(); });
}
if (params.get('q')) search.value = params.get('q');

function row(p) {
  const tr = el('tr', { dataset: { productId: p.id, name: (p.name + ' ' + p.kode).toLowerCase() } },
    el('td', {}, p.kode), el('td', {}, p.name, el('span', { class: 'badge text-bg-info ms-1 in-transit', hidden: true })),
    el('td', { class: 'text-end' }, rupiah(p.price)),
    el('td', { class: 'text-end stock-cell fw-semibold' }, p.stock),
    el('td', { class: 'level-cell' }, t('level.' + p.alertLevel)));
  if (adjustModal) {
    tr.append(el('td', {}, el('button', { type: 'button', class: 'btn btn-sm btn-outline-success adjust',
      'aria-label': label('label-adjust') + ' ' + p.name, onclick: () => openAdjust(p) },
      el('i', { class: 'bi bi-box-arrow-in-down', 'aria-hidden': 'true' }), ' ', label('label-adjust'))));
  }
  setLevelClass(tr, p.alertLevel);
  return tr;
}

async function load() {
  const current = newLoad();
  loading = [];
  const { data, cursor } = await api('/api/products' + (isSuperAdmin ? '?branchId=' + branch : ''));
  if (!current()) return; // the branch was switched meanwhile: a newer load brings its table
  positions = parseCursor(cursor);
  for (const body of document.querySelectorAll('tbody[data-type]')) {
    body.replaceChildren(...data.filter(p => p.type === body.dataset.type).map(row));
  }
  filter();
  showInTransit();
  const waiting = loading;
  loading = null;
  waiting.forEach(([data, id]) => apply(data, id));
  const q = params.get('q');
  if (q) {
    const target = [...document.querySelectorAll('tbody[data-type] tr')].find(r => r.dataset.name.includes(q.toLowerCase()));
    if (target) {
      const pane = target.closest('.tab-pane');
      document.querySelector(`[data-bs-target="#${pane.id}"]`)?.click();
    }
  }
}

function filter() {
  const q = search.value.trim().toLowerCase();
  for (const tr of document.querySelectorAll('tbody[data-type] tr')) {
    tr.hidden = q !== '' && !tr.dataset.name.includes(q);
  }
}
search.addEventListener('input', filter);

/** Units sent to this branch and not received yet: in no branch's stock, shown beside the product. */
async function showInTransit() {
  const { data } = await api('/api/transfers/in-transit' + (isSuperAdmin ? '?branchId=' + branch : ''));
  const coming = new Map(data.map(i => [i.productId, i.quantity]));
  for (const badge of document.querySelectorAll('tbody[data-type] .in-transit')) {
    const n = coming.get(Number(badge.closest('tr').dataset.productId));
    badge.hidden = !n;
    badge.textContent = n ? t('stock.inTransit', n) : '';
  }
}
realtime.on('transfer', () => { if (!loading) showInTransit(); });

realtime.on('stock', (data, id) => loading ? loading.push([data, id]) : apply(data, id));

function apply(data, id) {
  const seq = parseCursor(id).get(branch);
  if (!isNewer(positions, branch, id)) return; // the table has it
  for (const u of data.updates) {
    if (u.branch_id !== branch) continue;
    const tr = document.querySelector(`tbody[data-type] tr[data-product-id="${u.product_id}"]`);
    if (!tr) continue;
    tr.querySelector('.stock-cell').textContent = u.new_stock;
    if (adjusting?.id === u.product_id) showAdjusting(u.new_stock);
    tr.querySelector('.level-cell').textContent = t('level.' + u.alert_level);
    setLevelClass(tr, u.alert_level);
    flash(tr);
  }
  if (seq !== undefined) positions.set(branch, seq);
}
// A product added or edited on another screen (it comes on every branch's stream; its version
// tells a change already applied from a new one).
const versions = new Map();
realtime.on('product', data => {
  if ((versions.get(data.productId) ?? -1) >= data.version) return;
  versions.set(data.productId, data.version);
  const tr = document.querySelector(`tbody[data-type] tr[data-product-id="${data.productId}"]`);
  if (!data.active) {
    tr?.remove();
    return;
  }
  if (tr) {
    tr.children[1].textContent = data.name;
    tr.children[2].textContent = rupiah(data.price);
    tr.dataset.name = (data.name + ' ' + data.kode).toLowerCase();
    flash(tr);
    filter();
  } else {
    load(); // a new product (or one sold again): its stock and level come with the list
  }
});
realtime.on('reset', load);

// ---- receiving and correcting stock (admins) ----
const label = id => document.getElementById(id)?.textContent ?? '';
const adjustEl = document.getElementById('adjust-modal');
const adjustModal = isAdmin && adjustEl && window.bootstrap ? new bootstrap.Modal(adjustEl) : null;
const quantity = document.getElementById('adjust-quantity');
const reason = document.getElementById('adjust-reason');
let adjusting = null; // { id, name, stock } of the product in the form

function kind() {
  return document.querySelector('input[name="adjust-kind"]:checked').value;
}

/** The change the form would make: what arrives, or what the count says minus what the system has. */
function delta() {
  const n = quantity.value === '' ? NaN : Number(quantity.value);
  if (!Number.isInteger(n) || n < 0) return NaN;
  return kind() === 'restock' ? n : n - adjusting.stock;
}

function showAdjusting(stock) {
  if (stock !== undefined) adjusting.stock = stock;
  document.getElementById('adjust-current').textContent = adjusting.stock;
  const q = document.getElementById('adjust-quantity-label');
  q.textContent = q.dataset[kind()];
  const d = delta();
  document.getElementById('adjust-change').textContent = Number.isNaN(d) ? ''
    : t('adjust.change', adjusting.stock, adjusting.stock + d, (d > 0 ? '+' : '') + d);
}

function openAdjust(p) {
  const tr = document.querySelector(`tbody[data-type] tr[data-product-id="${p.id}"]`);
  adjusting = { id: p.id, name: p.name, stock: Number(tr?.querySelector('.stock-cell').textContent ?? p.stock) };
  document.getElementById('adjust-product').textContent = p.kode + ' · ' + p.name;
  document.getElementById('adjust-restock').checked = true;
  quantity.value = '';
  reason.value = '';
  document.getElementById('adjust-error').hidden = true;
  showAdjusting();
  adjustModal.show();
}

if (adjustModal) {
  adjustEl.addEventListener('shown.bs.modal', () => quantity.focus());
  adjustEl.addEventListener('hidden.bs.modal', () => { adjusting = null; });
  quantity.addEventListener('input', () => showAdjusting());
  for (const r of document.querySelectorAll('input[name="adjust-kind"]')) r.addEventListener('change', () => showAdjusting());
  document.getElementById('adjust-form').addEventListener('submit', async event => {
    event.preventDefault();
    const error = document.getElementById('adjust-error');
    const d = delta();
    const problem = Number.isNaN(d) ? t('adjust.badQuantity') : d === 0 ? t('adjust.noChange')
      : !reason.value.trim() ? t('adjust.needReason') : null;
    if (problem) {
      error.textContent = problem;
      error.hidden = false;
      return;
    }
    const save = document.getElementById('adjust-save');
    save.disabled = true;
    try {
      const { data } = await api('/api/products/' + adjusting.id + '/stock-adjustments', { method: 'POST',
        body: { branchId: branch, delta: d, reason: reason.value.trim() } });
      toast(t('adjust.done', adjusting.name, data.previousStock, data.stock), 'success');
      adjustModal.hide();
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.message : String(e.message ?? e);
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
}

load();
