// Reports: branch comparison, peak hours, stockout forecast, stock movement and low-stock
// frequency, from /api/reports/*, with charts and CSV downloads. Figures, axes and dates in the
// page's locale (Rp 1.250.000 and 2,5 in Indonesian); the period the API answered for is shown and
// fills the date fields.

import './layout.js';
import { api, ApiError, date, el, isSuperAdmin, loadSequence, locale, number, rupiah, t } from './shop.js';

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

/** A bar chart; {@code format} writes its values (axis and tooltip) in the page's locale. */
function chart(id, type, labels, data, label, format = v => number(v)) {
  if (!window.Chart) return;
  charts[id]?.destroy();
  charts[id] = new Chart(document.getElementById(id), {
    type, data: { labels, datasets: [{ label, data, backgroundColor: '#198754' }] },
    options: { animation: false, locale, plugins: { legend: { display: false },
      tooltip: { callbacks: { label: item => label + ': ' + format(item.raw) } } },
    scales: { y: { ticks: { precision: 0, callback: v => format(v) } } } }, // counts and rupiah: whole ticks only
  });
}

/** Figures (from the third column) right-aligned; no figure or amount breaks over two lines. */
function cell(c, i) {
  const figure = i >= 2;
  const wrap = figure || String(c).startsWith('Rp ') ? ' text-nowrap' : '';
  return el('td', { class: (figure ? 'text-end' : '') + wrap }, c);
}

function rows(id, items, cells) {
  const body = document.getElementById(id);
  if (items.length === 0) {
    const columns = body.closest('table').querySelectorAll('thead th').length;
    body.replaceChildren(el('tr', {}, el('td', { colspan: columns, class: 'text-muted' }, t('reports.none'))));
    return;
  }
  body.replaceChildren(...items.map(item =>
    el('tr', {}, ...cells(item).map(cell))));
}

function showPeriod(period) {
  if (!from.value) from.value = period.from;
  if (!to.value) to.value = period.to;
  document.getElementById('period').textContent = t('reports.period', date(period.from), date(period.to));
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

    showPeriod(branches.period);
    rows('rows-branches', branches.branches, b => [b.name, rupiah(b.omset), rupiah(b.returns), number(b.transactions),
      rupiah(b.averageSale), number(b.bpjsShare * 100) + '%', number(b.stockouts)]);
    chart('chart-branches', 'bar', branches.branches.map(b => b.name), branches.branches.map(b => b.omset), t('reports.omset'),
      rupiah);

    const byHour = Array(24).fill(0);
    peak.rows.forEach(r => { byHour[r.hour] += r.transactions; });
    chart('chart-peak', 'bar', byHour.map((_, h) => String(h).padStart(2, '0') + ':00'), byHour, t('reports.transactions'));

    const bt = forecast.backtest;
    // The API describes its method in the page's language (api() sends it as Accept-Language).
    document.getElementById('forecast-method').textContent = t('reports.method', forecast.method) + ' '
      + t('reports.backtest', bt.window, number(bt.products), number(bt.meanAbsoluteError, 2),
        bt.meanAbsolutePercentageError == null ? '-' : number(bt.meanAbsolutePercentageError * 100) + '%');
    rows('rows-forecast', forecast.products.filter(p => p.daysUntilStockout != null).slice(0, 15), p => [p.kode, p.name,
      number(p.stock), number(p.dailyRate, 2), number(p.daysUntilStockout, 1), number(p.reorderQuantity)]);

    // A product that did not move in the period is no row of its movement.
    const moved = movement.products.filter(p => p.sold || p.returned || p.restocked || p.corrected || p.transferredIn
      || p.transferredOut || p.reserved);
    rows('rows-movement', moved.slice(0, 15), p => [p.kode, p.name, number(p.sold), number(p.returned), number(p.restocked),
      number(p.corrected), number(p.transferredIn), number(p.transferredOut), number(p.reserved)]);
    rows('rows-low', low.products.slice(0, 15), p => [p.kode, p.name, number(p.timesLow), number(p.stockouts),
      number(p.hoursLow, 1), number(p.hoursOut, 1)]);
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
