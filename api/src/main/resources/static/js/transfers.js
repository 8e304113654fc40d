// Transfers between branches and deliveries from suppliers. The list follows every step live: a
// `transfer` message on the stream (either branch's side) reloads it, and a `reset` too.

import { realtime } from './layout.js';
import { api, ApiError, config, el, isSuperAdmin, loadSequence, number, t } from './shop.js';

const branchSelect = document.getElementById('branch-select');
const rows = document.getElementById('transfer-rows');
const fromSelect = document.getElementById('transfer-from');
let branch = branchSelect ? Number(branchSelect.value) : config.branchId;
const products = new Map(); // "KODE — name" as typed or picked -> product

async function loadProducts() {
  const { data } = await api('/api/products');
  const options = document.getElementById('product-options');
  options.replaceChildren(...data.map(p => {
    const label = `${p.kode} — ${p.name}`;
    products.set(label, p);
    products.set(p.kode.toUpperCase(), p);
    if (p.barcode) products.set(p.barcode, p);
    return el('option', { value: label });
  }));
}

/** One product line of a form: a product (kode, barcode or picked from the list) and a quantity. */
function addLine(container, focus = true) {
  const product = el('input', { class: 'form-control form-control-sm', list: 'product-options',
    placeholder: t('transfers.product'), 'aria-label': t('transfers.product'), required: true });
  const quantity = el('input', { class: 'form-control form-control-sm', type: 'number', min: 1, max: 100000,
    value: 1, 'aria-label': t('transfers.quantity'), required: true });
  const remove = el('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', 'aria-label': t('transfers.removeLine'),
    onclick: () => line.remove() }, '×');
  const line = el('div', { class: 'd-flex gap-2 mb-1 line' }, el('div', { class: 'flex-grow-1' }, product),
    el('div', { class: 'w-25' }, quantity), remove);
  container.append(line);
  if (focus) product.focus();
}

function linesOf(form) {
  const out = [];
  for (const line of form.querySelectorAll('.line')) {
    const [product, quantity] = line.querySelectorAll('input');
    const p = products.get(product.value.trim()) ?? products.get(product.value.trim().toUpperCase());
    if (!p) throw new Error(t('transfers.unknownProduct', product.value));
    out.push({ productId: p.id, quantity: Number(quantity.value) });
  }
  if (!out.length) throw new Error(t('transfers.noLines'));
  return out;
}

function failed(e) {
  Swal.fire({ icon: 'error', title: t('transfers.failed'), text: e instanceof ApiError || e instanceof Error ? e.message : String(e),
    confirmButtonText: t('ok') });
}

const newLoad = loadSequence();

async function load() {
  const current = newLoad();
  const { data } = await api('/api/transfers' + (isSuperAdmin ? '?branchId=' + branch : ''));
  if (!current()) return;
  rows.replaceChildren(...(data.length ? data.map(row)
    : [el('tr', { class: 'empty' }, el('td', { colspan: 5, class: 'text-muted' }, t('transfers.none')))]));
}

const BADGES = { REQUESTED: 'text-bg-warning', SENT: 'text-bg-info', RECEIVED: 'text-bg-success', CANCELLED: 'text-bg-secondary' };

function row(tr) {
  const mine = id => isSuperAdmin ? id === branch : id === config.branchId;
  const actions = el('div', { class: 'd-flex flex-wrap gap-1' });
  const button = (label, cls, onclick) => actions.append(el('button', { type: 'button', class: 'btn btn-sm ' + cls, onclick }, label));
  if (tr.status === 'REQUESTED' && mine(tr.fromBranchId)) button(t('transfers.send'), 'btn-primary', () => act(tr, 'send'));
  if (tr.status === 'SENT' && mine(tr.toBranchId)) button(t('transfers.receive'), 'btn-success', () => receive(tr));
  if (tr.status === 'REQUESTED' || tr.status === 'SENT') button(t('transfers.cancel'), 'btn-outline-danger', () => act(tr, 'cancel'));
  const items = el('ul', { class: 'list-unstyled mb-0 small' }, ...tr.items.map(i => el('li', {},
    `${i.kode} ${i.productName}: ${number(i.quantity)}`,
    i.received != null && i.received < i.quantity
      ? el('span', { class: 'text-danger ms-1' }, t('transfers.short', number(i.received), number(i.quantity - i.received))) : '')));
  return el('tr', { dataset: { transferId: tr.id, status: tr.status } }, el('td', {}, tr.transferNo),
    el('td', {}, `${tr.fromBranchName} → ${tr.toBranchName}`, tr.note ? el('div', { class: 'small text-muted' }, tr.note) : ''),
    el('td', {}, items),
    el('td', {}, el('span', { class: 'badge ' + BADGES[tr.status] }, t('transfers.status.' + tr.status))), el('td', {}, actions));
}

async function act(tr, action) {
  if (action === 'cancel') {
    const sure = await Swal.fire({ icon: 'question', title: t('transfers.cancelConfirm', tr.transferNo),
      text: tr.status === 'SENT' ? t('transfers.cancelSent') : '', showCancelButton: true,
      confirmButtonText: t('transfers.cancel'), cancelButtonText: t('back') });
    if (!sure.isConfirmed) return;
  }
  try {
    await api(`/api/transfers/${tr.id}/${action}`, { method: 'POST' });
  } catch (e) {
    failed(e);
  }
  await load();
}

/** Books an arrival: what came of each line, the sent quantity unless changed (less: a short delivery). */
async function receive(tr) {
  const inputs = tr.items.map(i => el('input', { class: 'form-control form-control-sm', type: 'number', min: 0, max: i.quantity,
    value: i.quantity, 'aria-label': i.productName }));
  const html = el('div', { class: 'text-start' }, ...tr.items.map((i, n) => el('label', { class: 'd-block mb-2' },
    `${i.kode} ${i.productName} (${t('transfers.sent', number(i.quantity))})`, inputs[n])));
  const answer = await Swal.fire({ title: t('transfers.receiveTitle', tr.transferNo), html, showCancelButton: true,
    confirmButtonText: t('transfers.receive'), cancelButtonText: t('back'), focusConfirm: false });
  if (!answer.isConfirmed) return;
  try {
    await api(`/api/transfers/${tr.id}/receive`, { method: 'POST',
      body: { items: tr.items.map((i, n) => ({ productId: i.productId, quantity: Number(inputs[n].value) })) } });
  } catch (e) {
    failed(e);
  }
  await load();
}

document.querySelectorAll('[data-add-line]').forEach(b => b.addEventListener('click', () =>
  addLine(document.querySelector(`[data-lines="${b.dataset.addLine}"]`))));
document.querySelectorAll('[data-lines]').forEach(c => addLine(c, false));

document.getElementById('transfer-form').addEventListener('submit', async event => {
  event.preventDefault();
  try {
    await api('/api/transfers', { method: 'POST', body: { fromBranchId: Number(fromSelect.value),
      toBranchId: isSuperAdmin ? branch : null, items: linesOf(event.target),
      note: document.getElementById('transfer-note').value.trim() || null } });
    event.target.reset();
    event.target.querySelectorAll('.line').forEach(l => l.remove());
    addLine(event.target.querySelector('[data-lines]'));
  } catch (e) {
    failed(e);
  }
  await load();
});

document.getElementById('delivery-form').addEventListener('submit', async event => {
  event.preventDefault();
  try {
    const { data } = await api('/api/deliveries', { method: 'POST', body: { branchId: isSuperAdmin ? branch : null,
      supplier: document.getElementById('delivery-supplier').value.trim(),
      reference: document.getElementById('delivery-reference').value.trim(), items: linesOf(event.target) } });
    event.target.reset();
    event.target.querySelectorAll('.line').forEach(l => l.remove());
    addLine(event.target.querySelector('[data-lines]'));
    Swal.fire({ icon: 'success', title: t('delivery.booked', data.reference), text: t('delivery.lines', data.items.length),
      confirmButtonText: t('ok') });
  } catch (e) {
    failed(e);
  }
});

/** The asking branch cannot ask itself. */
function offerOtherBranches() {
  for (const option of fromSelect.options) option.hidden = option.disabled = Number(option.value) === branch;
  if (Number(fromSelect.value) === branch) fromSelect.value = [...fromSelect.options].find(o => !o.disabled)?.value ?? '';
}

branchSelect?.addEventListener('change', () => { branch = Number(branchSelect.value); offerOtherBranches(); load(); });
realtime.on('transfer', load);
realtime.on('reset', load);

/** Arrived from a critical-stock popup: the request it suggested, ready to send. */
function prefill() {
  const asked = new URLSearchParams(location.search);
  if (!asked.has('product')) return;
  if (branchSelect && asked.has('to')) { branchSelect.value = asked.get('to'); branch = Number(branchSelect.value); }
  offerOtherBranches();
  if (asked.has('from')) fromSelect.value = asked.get('from');
  const [product, quantity] = document.querySelectorAll('[data-lines=transfer] .line input');
  product.value = asked.get('product');
  quantity.value = asked.get('quantity') ?? 1;
  document.querySelector('#transfer-form button[type=submit]').focus();
}

offerOtherBranches();
prefill();
loadProducts();
load();
