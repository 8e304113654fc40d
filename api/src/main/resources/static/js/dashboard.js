// Dashboard: today's omset (per branch and in total for a super admin), the latest transactions,
// growing live, with a pulse on every change.

import { realtime, screen, isNewer } from './layout.js';
import { api, dateTime, el, isSuperAdmin, loadSequence, parseCursor, rupiah, time, flash, saleStatus, shopDate, shopToday } from './shop.js';

/** Today's sales by their time, older ones with their date. */
function when(iso) {
  return shopDate(new Date(iso)) === shopToday() ? time(iso) : dateTime(iso);
}

const omsets = new Map(); // branch -> omset
const closedToday = new Set(); // branches whose business day today is closed
const names = new Map();
let positions = new Map();
const shown = new Set(); // sale ids in the table

function renderTotals(changedBranch) {
  const sum = { total: 0, bpjs: 0, umum: 0, transactions: 0 };
  for (const o of omsets.values()) {
    sum.total += o.total; sum.bpjs += o.bpjs; sum.umum += o.umum; sum.transactions += o.transactions;
  }
  for (const field of ['total', 'bpjs', 'umum', 'transactions']) {
    const node = document.getElementById('omset-' + field);
    const text = field === 'transactions' ? String(sum[field]) : rupiah(sum[field]);
    if (node.textContent !== text) {
      node.textContent = text;
      if (changedBranch !== undefined) flash(node.closest('.card'), 'pulse-animation', 1000);
    }
  }
  if (isSuperAdmin) renderBranchCards(changedBranch);
  // a branch's own screens say so in words; a super admin's cards each have their badge
  document.getElementById('day-closed').classList.toggle('d-none', isSuperAdmin || closedToday.size === 0);
}

function renderBranchCards(changedBranch) {
  const box = document.getElementById('branch-cards');
  const template = document.getElementById('branch-card');
  for (const [id, o] of omsets) {
    let card = box.querySelector(`[data-branch-id="${id}"]`);
    if (!card) {
      card = template.content.firstElementChild.cloneNode(true);
      card.dataset.branchId = id;
      card.querySelector('.name').textContent = names.get(id);
      box.append(card);
    }
    card.querySelector('.total').textContent = rupiah(o.total);
    card.querySelector('.bpjs').textContent = rupiah(o.bpjs);
    card.querySelector('.umum').textContent = rupiah(o.umum);
    card.querySelector('.transactions').textContent = o.transactions;
    card.querySelector('.closed-badge').classList.toggle('d-none', !closedToday.has(id));
    if (id === changedBranch) flash(card.querySelector('.card'), 'pulse-animation', 1000);
  }
}

function paymentBadge(type, extra = '') {
  return el('span', { class: 'badge ' + (type === 'BPJS' ? 'text-bg-primary' : 'text-bg-secondary') + ' ' + extra }, type);
}

function addSale(s, live) {
  if (shown.has(s.id ?? s.saleId)) return;
  shown.add(s.id ?? s.saleId);
  const row = el('tr', { dataset: { saleId: s.id ?? s.saleId } },
    el('td', {}, el('a', { href: '/penjualan/' + (s.id ?? s.saleId) }, s.invoiceNo), ' ', saleStatus(s.status ?? 'COMPLETED'),
      ' ', paymentBadge(s.paymentType, 'd-sm-none')), // on a phone the payment type goes with the invoice
    el('td', { class: 'd-none d-md-table-cell' }, names.get(s.branchId) ?? s.branchName ?? s.branchId),
    el('td', { class: 'd-none d-sm-table-cell' }, s.cashier),
    el('td', { class: 'd-none d-sm-table-cell' }, paymentBadge(s.paymentType)),
    el('td', { class: 'text-end text-nowrap' }, rupiah(s.total)),
    el('td', { class: 'text-nowrap' }, when(s.createdAt)));
  const body = document.getElementById('latest-sales');
  if (live) {
    body.prepend(row);
    flash(row, 'row-new', 2000);
    while (body.rows.length > 20) body.deleteRow(body.rows.length - 1);
  } else {
    body.append(row);
  }
}

function load(data) {
  positions = parseCursor(data.cursor);
  omsets.clear();
  closedToday.clear();
  for (const b of data.branches) {
    names.set(b.id, b.name);
    omsets.set(b.id, b.omset);
    if (b.dayClosed) closedToday.add(b.id);
  }
  document.getElementById('latest-sales').replaceChildren();
  shown.clear();
  data.latestSales.forEach(s => addSale(s, false));
  renderTotals();
}

screen.then(load);

realtime.on('sale', (data, id) => {
  const sale = data.sale;
  if (!isNewer(positions, sale.branchId, id)) return; // already in the loaded figures
  positions = new Map([...positions, ...parseCursor(id)]);
  omsets.set(sale.branchId, data.omset);
  addSale(sale, true);
  renderTotals(sale.branchId);
});

// A void or return: the omset of the day it happens goes down, and the sale is marked in the table.
realtime.on('sale-return', (data, id) => {
  const r = data.saleReturn;
  if (!isNewer(positions, r.branchId, id)) return;
  positions = new Map([...positions, ...parseCursor(id)]);
  omsets.set(r.branchId, data.omset);
  const badge = document.querySelector(`#latest-sales tr[data-sale-id="${r.saleId}"] .sale-status`);
  if (badge) {
    badge.replaceWith(saleStatus(r.status));
    flash(document.querySelector(`#latest-sales tr[data-sale-id="${r.saleId}"]`), 'row-new', 2000);
  }
  renderTotals(r.branchId);
});

realtime.on('day', data => {
  if (data.date !== shopToday()) return; // another day's close: today's cards do not change
  if (data.closed) closedToday.add(data.branchId); else closedToday.delete(data.branchId);
  renderTotals();
});

const newLoad = loadSequence();
realtime.on('reset', async () => {
  // History is gone: rebuild from the server's current state (the latest answer, if resets overlap).
  const current = newLoad();
  const { data } = await api('/api/screen');
  if (current()) load(data);
});
