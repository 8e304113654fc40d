// The branch's latest sales (transaksi), newest first, with their status; a new sale, a void or a
// return made on another screen shows up here live. A row opens the sale.

import { realtime } from './layout.js';
import { api, config, el, isSuperAdmin, loadSequence, rupiah, dateTime, saleStatus } from './shop.js';

const branchSelect = document.getElementById('branch-select');
const rows = document.getElementById('sale-rows');
const search = document.getElementById('sale-search');
let branch = branchSelect ? Number(branchSelect.value) : config.branchId;
const newLoad = loadSequence();

async function load() {
  const current = newLoad();
  const { data } = await api('/api/sales?limit=200' + (isSuperAdmin ? '&branchId=' + branch : ''));
  if (!current()) return;
  rows.replaceChildren(...data.map(row));
  document.getElementById('sales-empty').hidden = data.length > 0;
  filter();
}

function row(s) {
  const link = el('a', { href: '/penjualan/' + s.id }, s.invoiceNo);
  return el('tr', { dataset: { saleId: s.id, text: [s.invoiceNo, s.cashier, s.customerName ?? ''].join(' ').toLowerCase() } },
    el('td', {}, link), el('td', {}, dateTime(s.createdAt)), el('td', {}, s.cashier), el('td', {}, s.customerName ?? ''),
    el('td', {}, s.paymentType), el('td', { class: 'text-end' }, rupiah(s.total)), el('td', {}, saleStatus(s.status)));
}

function filter() {
  const q = search.value.trim().toLowerCase();
  for (const tr of rows.rows) tr.hidden = q !== '' && !tr.dataset.text.includes(q);
}
search.addEventListener('input', filter);

realtime.on('sale', data => { if (data.sale.branchId === branch) load(); });
realtime.on('sale-return', data => { if (data.saleReturn.branchId === branch) load(); });
realtime.on('reset', load);
branchSelect?.addEventListener('change', () => { branch = Number(branchSelect.value); load(); });

load();
