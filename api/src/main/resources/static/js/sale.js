// New sale (penjualan): products chosen in a modal that shows live stock (an item at 0 cannot be
// added), or by scanning a code into the barcode field (scanners type and press Enter; "3*CODE"
// adds three); payment BPJS or UMUM. Each cart line shows the stock left, live: a line above it is
// marked and Save says why it is off, so a sale that must fail is not sent. A sale refused because
// stock ran out meanwhile anyway (409) says which products. Keys: F8 switches UMUM/BPJS, F9 or
// Ctrl+Enter saves, Enter closes the dialog and the next scan goes to the barcode field.

import { realtime, toast, isNewer } from './layout.js';
import { api, ApiError, config, el, isSuperAdmin, loadSequence, newKey, parseCursor, rupiah, setLevelClass, flash, t } from './shop.js';

const branchSelect = document.getElementById('branch-select');
const barcode = document.getElementById('barcode');
const search = document.getElementById('product-search');
const rowsBody = document.getElementById('product-rows');
const cartBody = document.getElementById('cart');
const addLabel = document.getElementById('label-add').textContent;
const removeLabel = document.getElementById('label-remove').textContent;

let branch = branchSelect ? Number(branchSelect.value) : config.branchId;
const products = new Map(); // id -> product (with live stock)
const cart = new Map(); // id -> quantity
let positions = new Map();
let loading = null;
let catalogue = Promise.resolve(); // settles once the product list being loaded is in
const newLoad = loadSequence();
let saleKey = null; // the Idempotency-Key of an attempt whose outcome we do not know yet
let saving = false; // a save is on its way: Save stays off

function reload() {
  catalogue = load().catch(e => {
    console.error('could not load the products', e);
    toast(t('sale.loadFailed'), 'danger');
  });
  return catalogue;
}

async function load() {
  const current = newLoad();
  loading = [];
  try {
    const { data, cursor } = await api('/api/products' + (isSuperAdmin ? '?branchId=' + branch : ''));
    if (!current()) return; // the branch was switched meanwhile: a newer load brings its list
    positions = parseCursor(cursor);
    products.clear();
    data.forEach(p => products.set(p.id, p));
    renderProducts();
  } catch (e) {
    if (current()) throw e;
  } finally {
    if (current()) {
      // Held events apply to whichever list we now have; the cursor check skips what it already shows.
      const waiting = loading;
      loading = null;
      waiting.forEach(([d, id]) => apply(d, id));
    }
  }
}

function productRow(p) {
  const tr = el('tr', { dataset: { productId: p.id, name: (p.name + ' ' + p.kode).toLowerCase() } },
    el('td', {}, p.kode), el('td', {}, p.name), el('td', { class: 'text-end' }, rupiah(p.price)),
    el('td', { class: 'text-end stock-cell fw-semibold' }, p.stock),
    el('td', {}, el('button', { type: 'button', class: 'btn btn-sm btn-success add', disabled: p.stock <= 0,
      'aria-label': addLabel + ' ' + p.name, onclick: () => add(p.id) }, addLabel)));
  setLevelClass(tr, p.alertLevel);
  return tr;
}

function renderProducts() {
  rowsBody.replaceChildren(...[...products.values()].map(productRow));
  filter();
  renderCart();
}

function filter() {
  const q = search.value.trim().toLowerCase();
  for (const tr of rowsBody.rows) tr.hidden = q !== '' && !tr.dataset.name.includes(q);
}
search.addEventListener('input', filter);

function add(id, quantity = 1) {
  const p = products.get(id);
  if (!p) return;
  if (p.stock <= 0) {
    toast(t('sale.noStock', p.name), 'danger');
    return;
  }
  cart.set(id, Math.min((cart.get(id) ?? 0) + quantity, 1000));
  saleKey = null;
  renderCart();
}

/** Why the cart cannot be sold as it is, or null. */
function blocked() {
  const short = [...cart].filter(([id, qty]) => products.has(id) && products.get(id).stock < qty)
    .map(([id]) => products.get(id).name);
  if (short.length) return t('sale.overStock', short.join(', '));
  if ([...cart.keys()].some(id => !products.has(id))) return t('sale.lineInactive');
  return null;
}

function renderCart() {
  let total = 0;
  const rows = [];
  for (const [id, qty] of cart) {
    const p = products.get(id);
    if (!p) continue;
    total += p.price * qty;
    const over = p.stock < qty;
    const left = el('div', { class: 'small line-stock ' + (over ? 'text-danger fw-semibold' : 'text-muted') },
      p.stock <= 0 ? t('sale.soldOut') : over ? t('sale.lineOver', p.stock) : t('sale.lineStock', p.stock));
    const input = el('input', { type: 'number', class: 'form-control form-control-sm', min: 1, max: 1000, value: qty,
      'aria-label': t('sale.qty', p.name) });
    input.addEventListener('change', () => {
      const n = Math.max(1, Math.min(1000, Math.floor(Number(input.value) || 1)));
      cart.set(id, n);
      saleKey = null;
      renderCart();
    });
    const tr = el('tr', { dataset: { productId: id } }, el('td', { class: 'd-none d-sm-table-cell' }, p.kode),
      el('td', {}, p.name, left),
      el('td', { class: 'text-end d-none d-md-table-cell' }, rupiah(p.price)), el('td', { class: 'qty-col' }, input),
      el('td', { class: 'text-end text-nowrap' }, rupiah(p.price * qty)),
      el('td', {}, el('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', 'aria-label': removeLabel + ' ' + p.name,
        onclick: () => { cart.delete(id); saleKey = null; renderCart(); } }, el('i', { class: 'bi bi-trash', 'aria-hidden': 'true' }))));
    if (over) tr.classList.add('stock-low', 'over-stock');
    rows.push(tr);
  }
  for (const [id, qty] of cart) {
    if (products.has(id)) continue; // no longer sold: shown, struck out, and the save is refused
    rows.push(el('tr', { dataset: { productId: id }, class: 'text-decoration-line-through text-muted' },
      el('td', { colspan: 3 }, t('sale.lineInactive')), el('td', {}, qty),
      el('td', {}, el('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', 'aria-label': removeLabel,
        onclick: () => { cart.delete(id); saleKey = null; renderCart(); } }, el('i', { class: 'bi bi-trash', 'aria-hidden': 'true' })))));
  }
  cartBody.replaceChildren(...rows);
  document.getElementById('cart-empty').hidden = rows.length > 0;
  document.getElementById('cart-total').textContent = rupiah(total);
  const reason = blocked();
  document.getElementById('save-sale').disabled = reason !== null || saving;
  const why = document.getElementById('save-blocked');
  why.textContent = reason ?? '';
  why.hidden = reason === null;
}

// Scanners type the code and press Enter.
barcode.addEventListener('keydown', async event => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  // "3*CODE": three of it, as tills take a count before the scan.
  const typed = barcode.value.trim().match(/^(?:(\d{1,4})\s*[*xX]\s*)?(.*)$/);
  const count = typed[1] ? Math.max(1, Math.min(1000, Number(typed[1]))) : 1;
  const code = typed[2].trim().toUpperCase();
  barcode.dataset.last = typed[2].trim();
  barcode.value = '';
  if (!code) return;
  // A scanner may fire before the product list has arrived (page just opened, branch switched):
  // wait for it instead of calling a real code unknown. Scans waiting together keep their order.
  await catalogue;
  const scanned = barcode.dataset.last;
  const found = [...products.values()].find(p => p.kode.toUpperCase() === code || (p.barcode && p.barcode === scanned));
  if (found) {
    add(found.id, count);
  } else {
    toast(t('sale.unknownCode', code), 'danger');
  }
  barcode.focus();
});

branchSelect?.addEventListener('change', () => {
  branch = Number(branchSelect.value);
  cart.clear();
  saleKey = null;
  reload();
});

realtime.on('stock', (data, id) => loading ? loading.push([data, id]) : apply(data, id));

// A product added or edited on another screen: the list and the cart show it at once. It comes on
// every branch's stream; its version tells a change already applied from a new one.
realtime.on('product', data => {
  const p = products.get(data.productId);
  if (p && p.version >= data.version) return;
  if (!p && !data.active) return;
  if (!data.active) {
    products.delete(data.productId);
    if (cart.has(data.productId)) toast(t('sale.productInactive', data.name), 'danger');
  } else if (p) {
    if (cart.has(data.productId) && p.price !== data.price) {
      toast(t('sale.priceChanged', data.name, rupiah(p.price), rupiah(data.price)), 'warning');
    }
    Object.assign(p, { kode: data.kode, barcode: data.barcode ?? null, name: data.name, brand: data.brand, price: data.price,
      version: data.version });
  } else {
    reload(); // a new product (or one sold again): its stock and level come with the list; the cart stays
    return;
  }
  renderProducts();
  const line = cartBody.querySelector(`tr[data-product-id="${data.productId}"]`);
  if (line) flash(line);
});
realtime.on('reset', reload);

function apply(data, id) {
  const seq = parseCursor(id).get(branch);
  if (!isNewer(positions, branch, id)) return; // the list has it
  for (const u of data.updates) {
    if (u.branch_id !== branch) continue;
    const p = products.get(u.product_id);
    if (!p) continue;
    p.stock = u.new_stock;
    p.alertLevel = u.alert_level;
    const tr = rowsBody.querySelector(`tr[data-product-id="${u.product_id}"]`);
    if (tr) {
      tr.querySelector('.stock-cell').textContent = u.new_stock;
      tr.querySelector('button.add').disabled = u.new_stock <= 0;
      setLevelClass(tr, u.alert_level);
      flash(tr);
    }
  }
  if (seq !== undefined) positions.set(branch, seq);
  renderCart();
}

// A dialog takes Enter (its button has the focus); once it closes, the next scan goes to the barcode field.
function dialog(options) {
  return Swal.fire({ confirmButtonText: t('ok'), returnFocus: false, didClose: () => barcode.focus(), ...options });
}

// Keys for a cashier with a scanner in one hand: F8 switches the payment type, F9 or Ctrl+Enter saves.
document.addEventListener('keydown', event => {
  if (Swal.isVisible() || document.querySelector('.modal.show')) return;
  if (event.key === 'F8') {
    event.preventDefault();
    const bpjs = document.getElementById('pay-bpjs');
    (bpjs.checked ? document.getElementById('pay-umum') : bpjs).checked = true;
  } else if (event.key === 'F9' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey))) {
    event.preventDefault();
    document.getElementById('sale-form').requestSubmit();
  }
});

document.getElementById('sale-form').addEventListener('submit', async event => {
  event.preventDefault();
  if (saving) return;
  if (cart.size === 0) {
    dialog({ icon: 'info', text: t('sale.emptyCart') });
    return;
  }
  const reason = blocked();
  if (reason) {
    dialog({ icon: 'warning', title: t('sale.outOfStock'), text: reason });
    return;
  }
  const button = document.getElementById('save-sale');
  saving = true;
  button.disabled = true;
  saleKey = saleKey ?? newKey();
  const body = {
    paymentType: document.querySelector('input[name="paymentType"]:checked').value,
    customerName: document.getElementById('customer').value.trim() || null,
    items: [...cart].map(([productId, quantity]) => ({ productId, quantity })),
  };
  if (isSuperAdmin) body.branchId = branch;
  try {
    const { data } = await api('/api/sales', { method: 'POST', body, headers: { 'Idempotency-Key': saleKey } });
    saleKey = null;
    cart.clear();
    document.getElementById('customer').value = '';
    // The next customer starts at UMUM: a payment type left over from the last sale would book their
    // revenue in the wrong bucket.
    document.getElementById('pay-umum').checked = true;
    saving = false;
    renderCart();
    dialog({ icon: 'success', title: t('sale.saved'), text: t('sale.savedText', data.invoiceNo, rupiah(data.total)),
      showDenyButton: true, denyButtonText: t('sale.printReceipt'),
      denyButtonColor: '#6c757d', timer: 8000 }).then(answer => {
      if (answer.isDenied) window.open('/penjualan/' + data.id + '/struk', '_blank', 'noopener');
    });
  } catch (e) {
    if (e instanceof ApiError) {
      saleKey = null; // a definite answer: the next attempt is a new sale
      const names = (e.problem.products ?? []).map(p => p.name ?? p.kode ?? p.productId);
      dialog({ icon: 'error', title: e.status === 409 ? t('sale.outOfStock') : t('sale.failed'),
        text: e.message + (names.length && !e.message.includes(names[0]) ? ' (' + names.join(', ') + ')' : '') });
    } else {
      // No answer (network): keep the key, so pressing again cannot sell twice.
      dialog({ icon: 'error', title: t('sale.failed'), text: String(e.message ?? e) });
    }
  } finally {
    saving = false;
    renderCart();
  }
});

reload();
