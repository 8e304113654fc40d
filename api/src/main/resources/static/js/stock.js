// Stock: frames, lenses and accessories with search; rows coloured by level, flashing yellow and
// updating in place when a sale or an adjustment changes them.

import { realtime, isNewer } from './layout.js';
import { api, config, el, isSuperAdmin, loadSequence, parseCursor, rupiah, setLevelClass, flash, t } from './shop.js';

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
    el('td', {}, p.kode), el('td', {}, p.name), el('td', { class: 'text-end' }, rupiah(p.price)),
    el('td', { class: 'text-end stock-cell fw-semibold' }, p.stock),
    el('td', { class: 'level-cell' }, t('level.' + p.alertLevel)));
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

realtime.on('stock', (data, id) => loading ? loading.push([data, id]) : apply(data, id));

function apply(data, id) {
  const seq = parseCursor(id).get(branch);
  if (!isNewer(positions, branch, id)) return; // the table has it
  for (const u of data.updates) {
    if (u.branch_id !== branch) continue;
    const tr = document.querySelector(`tbody[data-type] tr[data-product-id="${u.product_id}"]`);
    if (!tr) continue;
    tr.querySelector('.stock-cell').textContent = u.new_stock;
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

load();
