// Orders (pesanan): a list with "ready" and "picked up" actions; an order another screen marks
// ready shows up here live.

import { realtime } from './layout.js';
import { api, ApiError, config, el, isSuperAdmin, loadSequence, t } from './shop.js';

const branchSelect = document.getElementById('branch-select');
const rows = document.getElementById('order-rows');
let branch = branchSelect ? Number(branchSelect.value) : config.branchId;
const label = id => document.getElementById(id).textContent;

const newLoad = loadSequence();

async function load() {
  const current = newLoad();
  const { data } = await api('/api/orders' + (isSuperAdmin ? '?branchId=' + branch : ''));
  if (!current()) return;
  rows.replaceChildren(...(data.length ? data.map(row)
    : [el('tr', { class: 'empty' }, el('td', { colspan: 5, class: 'text-muted' }, t('orders.none')))]));
}

function row(o) {
  // a flex box inside the cell: a cell that is itself flex leaves the table's grid
  const actions = el('div', { class: 'd-flex flex-wrap gap-1' });
  if (o.status === 'IN_PROGRESS') {
    actions.append(el('button', { type: 'button', class: 'btn btn-sm btn-success', onclick: () => act(o.id, 'ready') },
      label('label-ready')));
  } else if (o.status === 'READY') {
    actions.append(el('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', onclick: () => act(o.id, 'picked-up') },
      label('label-picked-up')));
  }
  const badge = { IN_PROGRESS: 'text-bg-warning', READY: 'text-bg-success', PICKED_UP: 'text-bg-secondary' }[o.status];
  return el('tr', { dataset: { orderId: o.id, status: o.status } }, el('td', {}, o.orderNo), el('td', {}, o.customerName),
    el('td', {}, o.description), el('td', {}, el('span', { class: 'badge ' + badge }, label('status-' + o.status))), el('td', {}, actions));
}

async function act(id, action) {
  try {
    await api(`/api/orders/${id}/${action}`, { method: 'POST' });
  } catch (e) {
    Swal.fire({ icon: 'error', title: t('orders.failed'), text: e instanceof ApiError ? e.message : String(e), confirmButtonText: t('ok') });
  }
  await load();
}

document.getElementById('order-form').addEventListener('submit', async event => {
  event.preventDefault();
  const customerName = document.getElementById('order-customer').value.trim();
  const description = document.getElementById('order-description').value.trim();
  try {
    await api('/api/orders', { method: 'POST', body: { branchId: isSuperAdmin ? branch : null, customerName, description } });
    event.target.reset();
  } catch (e) {
    Swal.fire({ icon: 'error', title: t('orders.failed'), text: e instanceof ApiError ? e.message : String(e), confirmButtonText: t('ok') });
  }
  await load();
});

branchSelect?.addEventListener('change', () => { branch = Number(branchSelect.value); load(); });
realtime.on('notification', data => { if (data.kind === 'order_ready' && data.branchId === branch) load(); });
realtime.on('reset', load);

load();
