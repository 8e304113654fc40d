// The catalogue (produk): every product with the branch's stock; admins add and edit products. A
// change made on another screen shows up here live; an edit that another admin's change overtook
// is refused by the server (409/412) and says so, instead of overwriting it.

import { realtime, toast } from './layout.js';
import { api, ApiError, config, el, isAdmin, isSuperAdmin, loadSequence, rupiah, flash, t } from './shop.js';

const branchSelect = document.getElementById('branch-select');
const rows = document.getElementById('product-rows');
const search = document.getElementById('product-search');
const label = id => document.getElementById(id).textContent;
const field = id => document.getElementById('p-' + id);
const modalEl = document.getElementById('product-modal');
let modal = null;
let branch = branchSelect ? Number(branchSelect.value) : config.branchId;
const products = new Map();
const newLoad = loadSequence();

async function load() {
  const current = newLoad();
  const { data } = await api('/api/products?includeInactive=true' + (isSuperAdmin ? '&branchId=' + branch : ''));
  if (!current()) return;
  products.clear();
  data.forEach(p => products.set(p.id, p));
  render();
}

function row(p) {
  const edit = isAdmin ? el('button', { type: 'button', class: 'btn btn-sm btn-outline-success',
    'aria-label': label('label-edit') + ' ' + p.name, onclick: () => open(p) }, el('i', { class: 'bi bi-pencil', 'aria-hidden': 'true' })) : '';
  return el('tr', { dataset: { productId: p.id, name: [p.name, p.kode, p.barcode ?? '', p.brand].join(' ').toLowerCase() },
    class: p.active ? '' : 'text-muted' },
    el('td', {}, p.kode), el('td', {}, p.barcode ?? ''), el('td', {}, p.name), el('td', {}, p.brand),
    el('td', {}, label('type-' + p.type)), el('td', { class: 'text-end' }, rupiah(p.price)),
    el('td', { class: 'text-end' }, p.stock ?? 0),
    el('td', {}, el('span', { class: 'badge ' + (p.active ? 'text-bg-success' : 'text-bg-secondary') },
      label(p.active ? 'label-active' : 'label-inactive'))),
    el('td', {}, edit));
}

function render() {
  rows.replaceChildren(...[...products.values()].map(row));
  filter();
}

function filter() {
  const q = search.value.trim().toLowerCase();
  for (const tr of rows.rows) tr.hidden = q !== '' && !tr.dataset.name.includes(q);
}
search.addEventListener('input', filter);

function open(p) {
  modal ??= new bootstrap.Modal(modalEl);
  document.getElementById('product-modal-title').textContent = p ? label('label-edit') + ' ' + p.kode : label('label-new');
  field('id').value = p?.id ?? '';
  field('version').value = p?.version ?? '';
  field('type').value = p?.type ?? 'FRAME';
  field('kode').value = p?.kode ?? '';
  field('kode').readOnly = !!p;
  field('barcode').value = p?.barcode ?? '';
  field('name').value = p?.name ?? '';
  field('brand').value = p?.brand ?? '';
  field('price').value = p?.price ?? '';
  field('active').checked = p ? p.active : true;
  field('changed').classList.add('d-none');
  modal.show();
}
document.getElementById('new-product')?.addEventListener('click', () => open(null));
modalEl.addEventListener('shown.bs.modal', () => (field('id').value ? field('name') : field('type')).focus());

document.getElementById('product-form').addEventListener('submit', async event => {
  event.preventDefault();
  const id = field('id').value;
  const body = {
    kode: field('kode').value.trim() || null, barcode: field('barcode').value.trim() || null,
    name: field('name').value.trim(), brand: field('brand').value.trim(), type: field('type').value,
    price: field('price').value === '' ? null : Number(field('price').value), active: field('active').checked,
  };
  if (id) body.version = Number(field('version').value);
  const button = document.getElementById('p-save');
  button.disabled = true;
  try {
    await api(id ? '/api/products/' + id : '/api/products', { method: id ? 'PUT' : 'POST', body });
    modal.hide();
    toast(t('products.saved', body.name), 'success');
    await load();
  } catch (e) {
    Swal.fire({ icon: 'error', title: t('products.failed'), text: e instanceof ApiError ? e.message : String(e),
      confirmButtonText: t('ok') });
    if (e instanceof ApiError && (e.status === 409 || e.status === 412)) await load();
  } finally {
    button.disabled = false;
  }
});

realtime.on('product', data => {
  const p = products.get(data.productId);
  const updated = { ...(p ?? { stock: 0 }), id: data.productId, kode: data.kode, barcode: data.barcode ?? null,
    name: data.name, brand: data.brand, type: data.type, price: data.price, active: data.active, version: data.version };
  products.set(data.productId, updated);
  const tr = rows.querySelector(`tr[data-product-id="${data.productId}"]`);
  const fresh = row(updated);
  if (tr) tr.replaceWith(fresh); else rows.prepend(fresh);
  filter();
  flash(fresh);
  // Someone else saved the product being edited here: the next save would be refused.
  if (modalEl.classList.contains('show') && Number(field('id').value) === data.productId
      && Number(field('version').value) !== data.version) {
    field('changed').classList.remove('d-none');
  }
});
realtime.on('stock', data => {
  for (const u of data.updates) {
    const p = products.get(u.product_id);
    if (!p || u.branch_id !== branch) continue;
    p.stock = u.new_stock;
    const tr = rows.querySelector(`tr[data-product-id="${u.product_id}"]`);
    if (tr) tr.replaceWith(row(p));
  }
  filter();
});
realtime.on('reset', load);
branchSelect?.addEventListener('change', () => { branch = Number(branchSelect.value); load(); });

load();
