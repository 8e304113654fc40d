// Glasses orders (pesanan): a new order with the customer, the prescription, the frame and lenses
// (scanned or typed by code, reserved from stock when the order is made), the deposit and the
// balance; the branch's orders with their way (lab, ready, picked up, cancelled) and their slip.
// Another screen's change, or an order falling overdue, shows up here live.

import { realtime } from './layout.js';
import { api, ApiError, config, date, el, isAdmin, isSuperAdmin, loadSequence, rupiah, shopToday, t, typedRupiah } from './shop.js';

const branchSelect = document.getElementById('branch-select');
const rows = document.getElementById('order-rows');
const lineRows = document.getElementById('order-lines');
const barcode = document.getElementById('order-barcode');
const deposit = document.getElementById('order-deposit');
const promised = document.getElementById('order-promised');
let branch = branchSelect ? Number(branchSelect.value) : config.branchId;
const label = id => document.getElementById(id).textContent;
const products = new Map(); // kode -> product of this branch
const lines = new Map(); // product id -> { product, quantity }
const emptyLines = lineRows.querySelector('.empty td').textContent;

const newLoad = loadSequence();

promised.min = shopToday();
promised.value = shopToday(3);

async function loadProducts() {
  const { data } = await api('/api/products' + (isSuperAdmin ? '?branchId=' + branch : ''));
  products.clear();
  data.filter(p => p.active !== false).forEach(p => products.set(p.kode.toUpperCase(), p));
  document.getElementById('order-products').replaceChildren(...data.map(p =>
    el('option', { value: p.kode }, `${p.name} (${p.stock})`)));
}

async function load() {
  const current = newLoad();
  const { data } = await api('/api/orders' + (isSuperAdmin ? '?branchId=' + branch : ''));
  if (!current()) return;
  rows.replaceChildren(...(data.length ? data.map(row)
    : [el('tr', { class: 'empty' }, el('td', { colspan: 7, class: 'text-muted' }, t('orders.none')))]));
}

const NEXT = { ORDERED: ['AT_LAB', 'READY', 'CANCELLED'], AT_LAB: ['READY', 'CANCELLED'], READY: ['PICKED_UP', 'CANCELLED'] };
const BADGE = { ORDERED: 'text-bg-warning', AT_LAB: 'text-bg-info', READY: 'text-bg-success', PICKED_UP: 'text-bg-secondary',
  CANCELLED: 'text-bg-light border' };

function row(o) {
  // a flex box inside the cell: a cell that is itself flex leaves the table's grid
  const actions = el('div', { class: 'd-flex flex-wrap gap-1' });
  for (const next of NEXT[o.status] ?? []) {
    if (next === 'CANCELLED' && !isAdmin) continue;
    const style = next === 'CANCELLED' ? 'btn-outline-danger' : next === 'READY' ? 'btn-success' : 'btn-outline-secondary';
    actions.append(el('button', { type: 'button', class: 'btn btn-sm ' + style, dataset: { next },
      onclick: () => move(o, next) }, label('label-' + next)));
  }
  actions.append(el('a', { class: 'btn btn-sm btn-outline-primary slip', href: `/pesanan/${o.id}/nota`, target: '_blank' },
    label('label-slip')));
  const when = el('td', {}, date(o.promisedDate));
  if (o.overdue) when.append(' ', el('span', { class: 'badge text-bg-danger overdue' }, label('label-overdue')));
  return el('tr', { dataset: { orderId: o.id, status: o.status, overdue: String(o.overdue) }, class: o.overdue ? 'table-danger' : '' },
    el('td', {}, o.orderNo),
    el('td', {}, o.customerName, el('br'), el('small', { class: 'text-muted' }, o.customerPhone ?? '')),
    when,
    el('td', { class: 'text-end' }, rupiah(o.total)),
    el('td', { class: 'text-end' }, rupiah(o.status === 'PICKED_UP' ? 0 : o.balance)),
    el('td', {}, el('span', { class: 'badge ' + BADGE[o.status] }, label('status-' + o.status))),
    el('td', {}, actions));
}

async function move(o, status) {
  const body = { status };
  if (status === 'CANCELLED') {
    const answer = await Swal.fire({ icon: 'warning', text: t('orders.confirmCancel', o.orderNo), showCancelButton: true,
      confirmButtonText: label('label-CANCELLED'), cancelButtonText: t('cancel') });
    if (!answer.isConfirmed) return;
  }
  if (status === 'PICKED_UP') {
    const answer = await Swal.fire({ title: t('orders.payment', rupiah(o.balance)), input: 'select',
      inputOptions: { UMUM: 'UMUM', BPJS: 'BPJS' }, inputValue: 'UMUM', showCancelButton: true,
      confirmButtonText: label('label-PICKED_UP'), cancelButtonText: t('cancel') });
    if (!answer.isConfirmed) return;
    body.paymentType = answer.value;
  }
  try {
    await api(`/api/orders/${o.id}/status`, { method: 'POST', body });
  } catch (e) {
    failed(e);
  }
  await load();
}

function failed(e) {
  Swal.fire({ icon: 'error', title: t('orders.failed'), text: e instanceof ApiError ? e.message : String(e), confirmButtonText: t('ok') });
}

// ---- the new order's lines ----
function total() {
  let sum = 0;
  for (const { product, quantity } of lines.values()) sum += product.price * quantity;
  return sum;
}

function renderLines() {
  lineRows.replaceChildren(...(lines.size ? [...lines.values()].map(({ product, quantity }) => el('tr', { dataset: { productId: product.id } },
    el('td', {}, `${product.kode} · ${product.name}`),
    el('td', { class: 'text-end' }, el('input', { type: 'number', min: 1, max: 1000, value: quantity, class: 'form-control form-control-sm text-end qty',
      'aria-label': t('orders.qty', product.name), oninput: e => { lines.get(product.id).quantity = Math.max(1, Number(e.target.value) || 1); money(); } })),
    el('td', { class: 'text-end subtotal' }, rupiah(product.price * quantity)),
    el('td', {}, el('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', onclick: () => { lines.delete(product.id); renderLines(); } },
      label('label-remove')))))
    : [el('tr', { class: 'empty' }, el('td', { colspan: 4, class: 'text-muted' }, emptyLines))]));
  money();
}

function money() {
  document.getElementById('order-total').textContent = rupiah(total());
  document.getElementById('order-balance').textContent = rupiah(Math.max(0, total() - (typedRupiah(deposit.value) ?? 0)));
}

barcode.addEventListener('keydown', event => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  const code = barcode.value.trim().toUpperCase();
  if (!code) return;
  const p = products.get(code);
  if (!p) {
    Swal.fire({ icon: 'warning', text: t('orders.unknownProduct', code), confirmButtonText: t('ok') });
    return;
  }
  const line = lines.get(p.id);
  if (line) line.quantity += 1; else lines.set(p.id, { product: p, quantity: 1 });
  barcode.value = '';
  renderLines();
});
deposit.addEventListener('input', money);

// ---- the prescription: empty, or complete enough for the API to check ----
/** A decimal as typed, with a comma or a point; undefined when empty. */
function decimal(id) {
  const text = document.getElementById(id).value.trim().replace(',', '.').replace('−', '-');
  if (text === '') return undefined;
  if (!/^[+-]?\d+(\.\d+)?$/.test(text)) throw new Error(t('orders.badNumber', document.getElementById(id).getAttribute('aria-label') ?? 'PD'));
  return Number(text);
}

function prescription() {
  const filled = [...document.querySelectorAll('.rx')].some(i => i.value.trim() !== '');
  if (!filled) return null;
  const eye = side => ({ sph: decimal(`rx-${side}-sph`), cyl: decimal(`rx-${side}-cyl`), axis: decimal(`rx-${side}-axis`),
    add: decimal(`rx-${side}-add`) });
  return { right: eye('right'), left: eye('left'), pd: decimal('rx-pd') };
}

document.getElementById('order-form').addEventListener('submit', async event => {
  event.preventDefault();
  try {
    const body = {
      branchId: isSuperAdmin ? branch : null,
      customerName: document.getElementById('order-customer').value.trim(),
      customerPhone: document.getElementById('order-phone').value.trim(),
      description: document.getElementById('order-description').value.trim(),
      prescription: prescription(),
      items: [...lines.values()].map(l => ({ productId: l.product.id, quantity: l.quantity })),
      deposit: (typedRupiah(deposit.value) ?? 0),
      promisedDate: promised.value,
    };
    const { data } = await api('/api/orders', { method: 'POST', body });
    event.target.reset();
    promised.value = shopToday(3);
    lines.clear();
    renderLines();
    Swal.fire({ icon: 'success', text: t('orders.created', data.orderNo), showCancelButton: true,
      confirmButtonText: label('label-slip'), cancelButtonText: t('ok') })
      .then(r => { if (r.isConfirmed) window.open(`/pesanan/${data.id}/nota`, '_blank'); });
    loadProducts();
  } catch (e) {
    failed(e);
  }
  await load();
});

branchSelect?.addEventListener('change', () => {
  branch = Number(branchSelect.value);
  lines.clear();
  renderLines();
  loadProducts();
  load();
});
realtime.on('order', data => { if (data.branchId === branch) load(); });
realtime.on('stock', () => loadProducts());
realtime.on('reset', () => { loadProducts(); load(); });

renderLines();
loadProducts();
load();
