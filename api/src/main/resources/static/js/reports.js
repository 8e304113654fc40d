// Reports: branch comparison, peak hours, stockout forecast, stock movement and low-stock
// frequency, from /api/reports/*, with charts and CSV downloads.

import './layout.js';
import { api, ApiError, el, isSuperAdmin, loadSequence, rupiah, t } from './shop.js';

const branchSelect = document.getElementById('branch-select');
const from = document.getElementById('from');
const to = document.getElementById('to');
const charts = {};

/** The period (and the chosen branch, for the single-branch reports) as a query string. */
function query(extra = {}, withBranch = true) {
  const q = new URLSearchParams();
  if (from.value) q.set('from', from.value);
  if (to.value) q.set('to', to.value);
  if (withBranch && isSuperAdmin && branchSelect) q.set('branchId', branchSelect.value);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return '?' + q.toString();
}

function chart(id, type, labels, data, label) {
  if (!window.Chart) return;
  charts[id]?.destroy();
  charts[id] = new Chart(document.getElementById(id), {
    type, data: { labels, datasets: [{ label, data, backgroundColor: '#198754' }] },
    options: { animation: false, plugins: { legend: { display: false } } },
  });
}

function rows(id, items, cells) {
  document.getElementById(id).replaceChildren(...items.map(item =>
    el('tr', {}, ...cells(item).map((c, i) => el('td', { class: i >= 2 ? 'text-end' : '' }, c)))));
}

const newLoad = loadSequence();

async function load() {
  const current = newLoad();
  try {
    const [branches, peak, forecast, movement, low] = (await Promise.all([
      api('/api/reports/branches' + query({}, false)), api('/api/reports/peak-hours' + query()),
      api('/api/reports/forecast' + query()), api('/api/reports/stock-movement' + query()),
      api('/api/reports/low-stock' + query())])).map(answer => answer.data);
    if (!current()) return; // the branch or the period changed meanwhile: a newer load shows its figures

    rows('rows-branches', branches.branches, b => [b.name, rupiah(b.omset), rupiah(b.returns), b.transactions, rupiah(b.averageSale),
      Math.round(b.bpjsShare * 100) + '%', b.stockouts]);
    chart('chart-branches', 'bar', branches.branches.map(b => b.name), branches.branches.map(b => b.omset), 'omset');

    const byHour = Array(24).fill(0);
    peak.rows.forEach(r => { byHour[r.hour] += r.transactions; });
    chart('chart-peak', 'bar', byHour.map((_, h) => String(h).padStart(2, '0') + ':00'), byHour, 'transaksi');

    const bt = forecast.backtest;
    // The API describes its method in the page's language (api() sends it as Accept-Language).
    document.getElementById('forecast-method').textContent = t('reports.method', forecast.method) + ' '
      + t('reports.backtest', bt.window, bt.products, bt.meanAbsoluteError,
        bt.meanAbsolutePercentageError == null ? '-' : Math.round(bt.meanAbsolutePercentageError * 100) + '%');
    rows('rows-forecast', forecast.products.filter(p => p.daysUntilStockout != null).slice(0, 15), p => [p.kode, p.name,
      p.stock, p.dailyRate, p.daysUntilStockout, p.reorderQuantity]);

    rows('rows-movement', movement.products.slice(0, 15), p => [p.kode, p.name, p.sold, p.returned, p.restocked, p.corrected]);
    rows('rows-low', low.products.slice(0, 15), p => [p.kode, p.name, p.timesLow, p.stockouts, p.hoursLow, p.hoursOut]);
  } catch (e) {
    if (!current()) return;
    if (e instanceof ApiError && e.status === 403) {
      document.getElementById('admin-only').classList.remove('d-none');
    } else {
      throw e;
    }
  }
}

for (const a of document.querySelectorAll('a.csv')) {
  a.addEventListener('click', event => {
    event.preventDefault();
    const report = a.dataset.report;
    location.href = '/api/reports/' + report + query({ format: 'csv' }, report !== 'branches');
  });
}
document.getElementById('report-form').addEventListener('submit', event => { event.preventDefault(); load(); });
branchSelect?.addEventListener('change', load);
load();
