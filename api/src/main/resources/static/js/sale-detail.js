// One sale (penjualan): its lines, returns and void, with the receipt in three paper sizes; admins
// void it or take a return here. A void or return made on another screen shows up live.

import { realtime, toast } from './layout.js';
import { api, ApiError, el, isAdmin, rupiah, dateTime, saleStatus, t, newKey } from './shop.js';

const id = Number(location.pathname.split('/').pop());
const $ = s => document.getElementById(s);
let sale = null;
let returnModal = null;
let attemptKey = null; // the Idempotency-Key of a void or return whose outcome we do not know yet

for (const paper of ['80', '58', 'a4']) $('receipt-' + paper).href = `/penjualan/${id}/struk?kertas=${paper}`;

async function load() {
  const { data } = await api('/api/sales/' + id);
  sale = data;
  render();
}

function render() {
  $('d-invoice').textContent = sale.invoiceNo;
  $('d-status').replaceChildren(saleStatus(sale.status));
  $('d-branch').textContent = sale.branchName;
  $('d-time').textContent = dateTime(sale.createdAt);
  $('d-cashier').textContent = sale.cashier;
  $('d-customer').textContent = sale.customerName ?? '—';
  $('d-payment').textContent = sale.paymentType;
  $('d-total').textContent = rupiah(sale.total);
  $('d-returned').textContent = rupiah(sale.returnedTotal);
  $('d-net').textContent = rupiah(sale.netTotal);
  $('d-items').replaceChildren(...sale.items.map(i => el('tr', { dataset: { productId: i.productId } },
    el('td', {}, i.kode), el('td', {}, i.name), el('td', { class: 'text-end' }, rupiah(i.unitPrice)),
    el('td', { class: 'text-end' }, i.quantity), el('td', { class: 'text-end returned-cell' }, i.returnedQuantity),
    el('td', { class: 'text-end' }, rupiah(i.subtotal)))));
  const history = [el('li', { class: 'list-group-item small' }, t('saleDetail.sold', dateTime(sale.createdAt), sale.cashier))];
  for (const r of sale.returns) {
    history.push(el('li', { class: 'list-group-item small' },
      t(r.kind === 'VOID' ? 'saleDetail.voidedBy' : 'saleDetail.returnedBy', dateTime(r.at), r.by, rupiah(r.amount), r.reason),
      r.kind === 'RETURN' ? ' — ' + r.items.map(i => i.quantity + ' × ' + i.name).join(', ') : ''));
  }
  $('d-history').replaceChildren(...history);
  const open = sale.status !== 'VOIDED';
  if ($('void-sale')) $('void-sale').disabled = !open;
  if ($('return-items')) $('return-items').disabled = !open;
}

async function takeBack(path, body) {
  attemptKey = attemptKey ?? newKey();
  try {
    const { data } = await api(`/api/sales/${id}/${path}`, { method: 'POST', body, headers: { 'Idempotency-Key': attemptKey } });
    attemptKey = null;
    sale = data;
    render();
    return true;
  } catch (e) {
    if (e instanceof ApiError) attemptKey = null; // a definite answer: the next attempt is a new one
    Swal.fire({ icon: 'error', title: t('saleDetail.failed'), text: e instanceof ApiError ? e.message : String(e),
      confirmButtonText: t('ok') });
    if (e instanceof ApiError && e.status === 409) await load();
    return false;
  }
}

$('void-sale')?.addEventListener('click', async () => {
  const answer = await Swal.fire({ icon: 'warning', title: t('saleDetail.voidTitle', sale.invoiceNo), input: 'text',
    inputLabel: t('saleDetail.reason'), inputAttributes: { maxlength: 200, 'aria-label': t('saleDetail.reason') },
    showCancelButton: true, confirmButtonText: t('saleDetail.voidConfirm'), cancelButtonText: t('cancel'),
    confirmButtonColor: '#dc3545', inputValidator: v => (v && v.trim() ? undefined : t('saleDetail.reasonRequired')) });
  if (!answer.isConfirmed) return;
  if (await takeBack('void', { reason: answer.value.trim() })) toast(t('saleDetail.voided', sale.invoiceNo), 'warning');
});

$('return-items')?.addEventListener('click', () => {
  returnModal ??= new bootstrap.Modal($('return-modal'));
  $('return-lines').replaceChildren(...sale.items.filter(i => i.quantity > i.returnedQuantity).map(i => {
    const left = i.quantity - i.returnedQuantity;
    const input = el('input', { type: 'number', class: 'form-control form-control-sm return-qty', min: 0, max: left, value: 0,
      id: 'ret-' + i.productId, dataset: { productId: i.productId } });
    return el('div', { class: 'row g-2 align-items-center mb-1' },
      el('label', { class: 'col-8 col-form-label-sm', for: 'ret-' + i.productId }, i.name + ' (' + t('saleDetail.left', left) + ')'),
      el('div', { class: 'col-4' }, input));
  }));
  $('return-reason').value = '';
  returnModal.show();
});

$('return-form')?.addEventListener('submit', async event => {
  event.preventDefault();
  const items = [...document.querySelectorAll('.return-qty')].map(input => ({
    productId: Number(input.dataset.productId), quantity: Math.floor(Number(input.value) || 0) })).filter(l => l.quantity > 0);
  const reason = $('return-reason').value.trim();
  if (!items.length || !reason) {
    Swal.fire({ icon: 'info', text: t(items.length ? 'saleDetail.reasonRequired' : 'saleDetail.nothingChosen'), confirmButtonText: t('ok') });
    return;
  }
  if (await takeBack('returns', { reason, items })) {
    returnModal.hide();
    toast(t('saleDetail.returnSaved', sale.invoiceNo), 'warning');
  }
});

realtime.on('sale-return', data => { if (data.saleReturn.saleId === id) load(); });
realtime.on('reset', load);
if (!isAdmin) document.querySelectorAll('#void-sale, #return-items').forEach(b => b.remove());

load().catch(e => Swal.fire({ icon: 'error', text: e instanceof ApiError ? e.message : String(e), confirmButtonText: t('ok') }));
