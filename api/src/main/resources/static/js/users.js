// Staff accounts (pengguna): a super admin manages every account, a branch admin the kasir
// accounts of their branch. A change made on another screen reaches this list live.

import { realtime, screen } from './layout.js';
import { api, ApiError, config, el, isSuperAdmin, loadSequence, t } from './shop.js';

const rows = document.getElementById('user-rows');
const label = id => document.getElementById(id).textContent;
const field = id => document.getElementById('u-' + id);
const modalEl = document.getElementById('user-modal');
let modal = null;
const branchNames = new Map();
const newLoad = loadSequence();

screen.then(data => { data.branches.forEach(b => branchNames.set(b.id, b.name)); load(); });

async function load() {
  const current = newLoad();
  const { data } = await api('/api/users');
  if (current()) rows.replaceChildren(...data.map(row));
}

function row(u) {
  // a flex box inside the cell: a cell that is itself flex leaves the table's grid
  const actions = el('div', { class: 'd-flex flex-wrap gap-1' });
  const mine = u.username === config.username;
  const manageable = isSuperAdmin || u.role === 'KASIR';
  if (manageable && !mine) {
    actions.append(u.active
      ? button('label-deactivate', 'btn-outline-danger', () => act(u, 'deactivate'))
      : button('label-reactivate', 'btn-outline-success', () => act(u, 'reactivate')));
    actions.append(button('label-reset', 'btn-outline-secondary', () => reset(u)));
  }
  if (isSuperAdmin && !mine) actions.append(button('label-assign', 'btn-outline-primary', () => open(u)));
  const status = el('td', {}, el('span', { class: 'badge ' + (u.active ? 'text-bg-success' : 'text-bg-secondary') },
    label(u.active ? 'label-active' : 'label-inactive')));
  if (u.mustChangePassword) status.append(' ', el('span', { class: 'badge text-bg-warning' }, label('label-must-change')));
  return el('tr', { dataset: { userId: u.id } }, el('td', {}, u.username), el('td', {}, label('role-' + u.role)),
    el('td', {}, u.branchId == null ? '—' : branchNames.get(u.branchId) ?? u.branchId), status, el('td', {}, actions));
}

function button(text, cls, onclick) {
  return el('button', { type: 'button', class: 'btn btn-sm ' + cls, onclick }, label(text));
}

async function act(u, action) {
  try {
    await api(`/api/users/${u.id}/${action}`, { method: 'POST' });
  } catch (e) {
    failed(e);
  }
  await load();
}

async function reset(u) {
  const ok = await Swal.fire({ icon: 'question', text: t('users.confirmReset', u.username), showCancelButton: true,
    confirmButtonText: t('ok'), cancelButtonText: t('cancel') });
  if (!ok.isConfirmed) return;
  try {
    const { data } = await api(`/api/users/${u.id}/reset-password`, { method: 'POST' });
    await Swal.fire({ icon: 'info', title: t('users.temporaryPassword', u.username),
      text: data.temporaryPassword, confirmButtonText: t('ok') });
  } catch (e) {
    failed(e);
  }
  await load();
}

function open(u) {
  modal ??= new bootstrap.Modal(modalEl);
  document.getElementById('user-modal-title').textContent = u ? label('label-assign') + ' ' + u.username : label('label-new');
  field('id').value = u?.id ?? '';
  field('username').value = u?.username ?? '';
  field('username').readOnly = !!u;
  field('role').value = u?.role ?? 'KASIR';
  if (field('branch')) field('branch').value = u?.branchId ?? field('branch').options[0]?.value;
  field('password').value = '';
  document.getElementById('u-password-group').hidden = !!u;
  syncBranch();
  modal.show();
}
function syncBranch() {
  const group = document.getElementById('u-branch-group');
  if (group) group.hidden = field('role').value === 'SUPER_ADMIN';
}
field('role').addEventListener('change', syncBranch);
document.getElementById('new-user').addEventListener('click', () => open(null));

document.getElementById('user-form').addEventListener('submit', async event => {
  event.preventDefault();
  const id = field('id').value;
  const role = field('role').value;
  const branchId = role === 'SUPER_ADMIN' ? null : isSuperAdmin ? Number(field('branch').value) : config.branchId;
  try {
    if (id) {
      await api('/api/users/' + id, { method: 'PUT', body: { role, branchId } });
    } else {
      await api('/api/users', { method: 'POST', body: { username: field('username').value.trim(), role, branchId,
        password: field('password').value } });
    }
    modal.hide();
  } catch (e) {
    failed(e);
  }
  await load();
});

function failed(e) {
  Swal.fire({ icon: 'error', title: t('users.failed'), text: e instanceof ApiError ? e.message : String(e),
    confirmButtonText: t('ok') });
}

realtime.on('user', () => load());
realtime.on('reset', load);
