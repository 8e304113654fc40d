// End of day (tutup hari, admins): the day's figures, live while it is open; the cash counted against
// the cash expected; the close, which fixes the figures (the Z report) and stops the day's sales;
// and a reopen, with its reason, for an admin who must book something after all.

import { realtime } from './layout.js';
import { api, ApiError, config, dateTime, el, loadSequence, number, rupiah, shopToday, t, typedRupiah } from './shop.js';

const branchSelect = document.getElementById('branch-select');
const dateInput = document.getElementById('day-date');
const counted = document.getElementById('cash-counted');
let branch = branchSelect ? Number(branchSelect.value) : config.branchId;
let current = null;

const today = shopToday();
dateInput.value = today;
dateInput.max = today;

const newLoad = loadSequence();

async function load() {
  const latest = newLoad();
  const { data } = await api(`/api/branches/${branch}/day-close?date=${dateInput.value}`);
  if (!latest()) return;
  current = data;
  render();
}

function render() {
  const f = current.figures;
  for (const cell of document.querySelectorAll('#day-figures [data-field]')) {
    const field = cell.dataset.field;
    cell.textContent = field === 'transactions' ? number(f[field]) : rupiah(f[field]);
  }
  document.querySelectorAll('#day-figures .closed-only').forEach(r => r.classList.toggle('d-none', !current.closed));
  const state = document.getElementById('day-state');
  state.classList.remove('d-none', 'alert-success', 'alert-secondary');
  state.classList.add(current.closed ? 'alert-secondary' : 'alert-success');
  state.textContent = current.closed
    ? t('dayClose.closedBy', current.closedBy, dateTime(current.closedAt)) + (current.note ? ' · ' + current.note : '')
    : t('dayClose.open');
  document.getElementById('close-form').classList.toggle('d-none', current.closed);
  document.getElementById('closed-actions').classList.toggle('d-none', !current.closed);
  document.getElementById('z-report').href = `/tutup-hari/z?branch=${branch}&date=${current.date}`;
  document.getElementById('day-log').replaceChildren(...current.log.map(l =>
    el('li', {}, `${dateTime(l.at)} · ${t('dayClose.action.' + l.action)} · ${l.by}` + (l.note ? ` · ${l.note}` : ''))));
  difference();
}

function difference() {
  const out = document.getElementById('difference');
  const cash = current?.closed ? current.figures.cashCounted : typedRupiah(counted.value);
  if (cash === null || !current) { out.textContent = '-'; out.className = ''; return; }
  const d = current.closed ? current.figures.difference : cash - current.figures.cashExpected;
  out.textContent = (d > 0 ? '+' : '') + rupiah(d) + ' ' + t(d === 0 ? 'dayClose.even' : d > 0 ? 'dayClose.over' : 'dayClose.short');
  out.className = d === 0 ? 'text-success' : 'text-danger';
}
counted.addEventListener('input', difference);

function failed(e) {
  Swal.fire({ icon: 'error', title: t('dayClose.failed'), text: e instanceof ApiError ? e.message : String(e), confirmButtonText: t('ok') });
}

document.getElementById('close-form').addEventListener('submit', async event => {
  event.preventDefault();
  const cash = typedRupiah(counted.value);
  if (cash === null) {
    failed(new Error(t('dayClose.countFirst')));
    return;
  }
  const answer = await Swal.fire({ icon: 'question', text: t('dayClose.confirm', current.date), showCancelButton: true,
    confirmButtonText: document.getElementById('close-day').textContent, cancelButtonText: t('cancel') });
  if (!answer.isConfirmed) return;
  try {
    const { data } = await api(`/api/branches/${branch}/day-close`, { method: 'POST',
      body: { date: dateInput.value, cashCounted: cash, note: document.getElementById('close-note').value.trim() } });
    current = data;
    render();
  } catch (e) {
    failed(e);
  }
});

document.getElementById('reopen-day').addEventListener('click', async () => {
  const answer = await Swal.fire({ icon: 'warning', text: t('dayClose.reopenWhy'), input: 'text', showCancelButton: true,
    inputValidator: v => (v.trim() ? undefined : t('dayClose.reopenWhy')),
    confirmButtonText: document.getElementById('reopen-day').textContent, cancelButtonText: t('cancel') });
  if (!answer.isConfirmed) return;
  try {
    const { data } = await api(`/api/branches/${branch}/day-close/${current.date}/reopen`, { method: 'POST',
      body: { reason: answer.value.trim() } });
    current = data;
    render();
  } catch (e) {
    failed(e);
  }
});

dateInput.addEventListener('change', load);
branchSelect?.addEventListener('change', () => { branch = Number(branchSelect.value); load(); });
// while the day is open its figures move with every sale, return and order; a close elsewhere shows too
for (const kind of ['sale', 'sale-return', 'order', 'day', 'reset']) {
  realtime.on(kind, data => { if (kind === 'reset' || (data?.branchId ?? data?.sale?.branchId ?? data?.saleReturn?.branchId) === branch) load(); });
}

load();
