// One stream per browser. The tabs of a login session elect a leader (Web Locks); only the leader
// holds the EventSource (realtime.js), and it passes every message to the other tabs
// (BroadcastChannel). Each tab keeps its own cursor and applies a message only if it moves that
// cursor forward and names only branches the tab may see, so every tab gets every event once, in
// order, whichever tab leads. A tab that joins, and every tab when a new leader takes over, first
// asks the leader for what it missed from the messages every tab keeps. When the leader tab closes
// or crashes its lock passes to another tab, which goes on from its own cursor. Where Web Locks or
// BroadcastChannel are missing, each tab holds its own stream.
//
// While every tab is hidden the stream closes after a while to save the battery, unless the
// browser keeps it for background alerts (admins on a desktop); it resumes, losslessly, when a tab
// is shown again.

import { DATA_EVENTS, Listeners, RealtimeConnection } from './realtime.js';
import { parseCursor } from './shop.js';

/** Messages every tab keeps to catch up another (a tab that joins, a new leader's followers). */
const KEEP = 2000;
/** How long a joining tab waits for a leader's answer before it applies what it gets as it comes. */
const HELLO_WAIT_MS = 1500;

function cursorString(positions) {
  return [...positions].sort((a, b) => a[0] - b[0]).map(([b, s]) => b + ':' + s).join(',');
}

/** Whether a message with this id moves {@code positions} forward (a reset: whether it changes them). */
function moves(positions, name, id) {
  if (!id) return true;
  const next = parseCursor(id);
  if (name === 'reset') {
    return next.size !== positions.size || [...next].some(([b, s]) => positions.get(b) !== s);
  }
  return [...next].some(([b, s]) => !positions.has(b) || s > positions.get(b));
}

/** Every branch a message's data names (branchId / branch_id, a few levels deep). */
function branchesNamed(data, found = new Set(), depth = 0) {
  if (!data || typeof data !== 'object' || depth > 4) return found;
  for (const [k, v] of Object.entries(data)) {
    if ((k === 'branchId' || k === 'branch_id') && v !== null) found.add(Number(v));
    else if (typeof v === 'object') branchesNamed(v, found, depth + 1);
  }
  return found;
}

/** A refusal another tab passed on, as text only, or null. */
function refusalOf(r) {
  if (!r || typeof r !== 'object' || typeof r.detail !== 'string') return null;
  return { title: String(r.title ?? '').slice(0, 120), detail: r.detail.slice(0, 300) };
}

function advance(positions, name, id) {
  if (!id) return;
  const next = parseCursor(id);
  if (name === 'reset') positions.clear();
  for (const [b, s] of next) {
    if (name === 'reset' || !positions.has(b) || s > positions.get(b)) positions.set(b, s);
  }
}

/** Emits each data message by name ('stock', 'sale', ..., 'reset'), 'state', 'failing', 'token-expired', 'tab:<kind>'. */
export class BrowserStream extends Listeners {
  /**
   * @param {object} options
   * @param {string[]} options.urls the realtime nodes
   * @param {string} options.name the login session's name for its tabs (lock and channel)
   * @param {number} options.hiddenAfterMs close after every tab has been hidden this long
   * @param {boolean} options.keepWhenHidden keep the stream while every tab is hidden (background alerts)
   */
  constructor({ urls, name, hiddenAfterMs, keepWhenHidden }) {
    super();
    this.name = 'optik-stream:' + name;
    this.tab = globalThis.crypto?.randomUUID?.() ?? String(Math.random()).slice(2);
    this.positions = new Map();
    this.view = null; // branches this tab may apply, or null for any its cursor names
    this.recent = [];
    this.recentFrom = new Map(); // the positions the kept messages start after
    this.leader = false;
    this.waiting = null; // a joining follower's timer while it waits for the leader's answer
    this.queue = [];
    this.state = 'offline';
    this.hiddenAfterMs = hiddenAfterMs;
    this.keepWhenHidden = keepWhenHidden;
    this.visibleTabs = new Map(); // the leader's view: tab -> visible
    this.hiddenTimer = null;
    this.paused = false;
    this.connection = new RealtimeConnection({ urls });
    this.connection.on('message', (n, data, id) => { if (this.leader) this.received({ name: n, data, id }); });
    this.connection.on('state', (state, refusal) => {
      if (this.leader) { this.setState(state, refusal); this.post({ t: 'state', state, refusal }); }
    });
    this.connection.on('failing', attempts => this.emit('failing', attempts));
    this.connection.on('token-expired', data => this.emit('token-expired', data));
    this.shared = 'locks' in navigator && 'BroadcastChannel' in window;
    if (this.shared) {
      this.channel = new BroadcastChannel(this.name);
      this.channel.onmessage = e => this.onChannel(e.data);
    }
    document.addEventListener('visibilitychange', () => this.onVisibility());
    window.addEventListener('pagehide', () => this.post({ t: 'bye' }));
  }

  /**
   * Joins the browser's stream at the cursor the tab's data is exact at.
   * @param {string} cursor
   * @param {number[]} [view] the branches this tab may see (a message naming another is refused)
   */
  start(cursor, view) {
    this.positions = parseCursor(cursor || '');
    this.recentFrom = new Map(this.positions);
    this.view = view ? new Set(view) : null;
    if (!this.shared) {
      this.lead();
      return;
    }
    this.hello();
    navigator.locks.request(this.name, () => {
      this.lead();
      return new Promise(() => {}); // held until the tab goes: then the next tab in line leads
    });
  }

  /** Whether this tab holds the browser's stream. */
  isLeader() {
    return this.leader;
  }

  /** Whether no tab of the browser is visible (as far as this tab knows; the leader knows). */
  allHidden() {
    return document.hidden && ![...this.visibleTabs.values()].some(Boolean);
  }

  /** Tells the other tabs something ('tab:<kind>' on theirs). */
  share(kind, data) {
    this.post({ t: 'share', kind, data });
  }

  /** Opens the stream again from the cursor if it is closed (it ended on the old token's expiry). */
  reconnectIfClosed() {
    if (this.leader && !this.paused && !this.connection.source) this.connection.connect();
  }

  lead() {
    this.leader = true;
    clearTimeout(this.waiting);
    this.waiting = null;
    this.flushQueue();
    this.post({ t: 'leader' });
    this.connection.start(cursorString(this.positions));
    this.onVisibility();
  }

  hello() {
    clearTimeout(this.waiting);
    this.waiting = setTimeout(() => { this.waiting = null; this.flushQueue(); }, HELLO_WAIT_MS);
    this.post({ t: 'hello', cursor: cursorString(this.positions) });
    this.post({ t: 'visible', visible: !document.hidden });
  }

  post(message) {
    if (this.channel) this.channel.postMessage({ ...message, from: this.tab });
  }

  onChannel(m) {
    if (!m || typeof m !== 'object' || typeof m.t !== 'string' || m.from === this.tab) return;
    switch (m.t) {
      case 'msg':
        if (this.leader) return; // two leaders cannot be; a stray message is ignored
        if (this.waiting) this.queue.push(m); else this.accept(m);
        break;
      case 'state':
        if (!this.leader && typeof m.state === 'string') this.setState(m.state, refusalOf(m.refusal));
        break;
      case 'hello':
        if (this.leader && typeof m.cursor === 'string') this.answer(m.from, m.cursor);
        break;
      case 'since':
        if (m.to === this.tab && this.waiting) this.caughtUp(m);
        break;
      case 'leader':
        if (!this.leader) { this.setState('reconnecting'); this.hello(); }
        break;
      case 'visible':
        this.visibleTabs.set(m.from, !!m.visible);
        if (this.leader) this.onVisibility();
        break;
      case 'bye':
        this.visibleTabs.delete(m.from);
        if (this.leader) this.onVisibility();
        break;
      case 'share':
        if (typeof m.kind === 'string') this.emit('tab:' + m.kind, m.data);
        break;
      default:
    }
  }

  /** The leader's stream delivered a message: apply it here and pass it on. */
  received(m) {
    if (this.accept(m)) this.post({ t: 'msg', name: m.name, data: m.data, id: m.id });
  }

  /** Applies a message if it is one a screen takes, names only this tab's branches and moves its cursor. */
  accept(m) {
    if (!DATA_EVENTS.includes(m.name) || (m.id !== null && typeof m.id !== 'string')) return false;
    if (m.id) {
      const branches = [...parseCursor(m.id).keys(), ...branchesNamed(m.data)];
      if (!parseCursor(m.id).size || (this.view && branches.some(b => !this.view.has(b)))) {
        console.warn('a message for branches this tab does not show was ignored', m.id);
        return false;
      }
    }
    if (!moves(this.positions, m.name, m.id)) return false;
    advance(this.positions, m.name, m.id);
    if (m.id) this.keep(m);
    this.emit(m.name, m.data, m.id);
    return true;
  }

  keep(m) {
    this.recent.push({ name: m.name, data: m.data, id: m.id });
    while (this.recent.length > KEEP) advance(this.recentFrom, this.recent[0].name, this.recent.shift().id);
  }

  /** A follower asked what it missed after {@code cursor}: what this tab keeps, and whether that reaches back far enough. */
  answer(to, cursor) {
    const at = parseCursor(cursor);
    const complete = [...this.recentFrom].every(([b, s]) => (at.get(b) ?? 0) >= s);
    const msgs = [];
    for (const m of this.recent) {
      if (moves(at, m.name, m.id)) {
        advance(at, m.name, m.id);
        msgs.push(m);
      }
    }
    this.post({ t: 'since', to, msgs, complete, cursor: cursorString(this.positions), state: this.state,
      refusal: this.refusal });
  }

  caughtUp(m) {
    clearTimeout(this.waiting);
    this.waiting = null;
    if (typeof m.state === 'string') this.setState(m.state, refusalOf(m.refusal));
    if (m.complete) {
      for (const msg of Array.isArray(m.msgs) ? m.msgs : []) this.accept(msg);
    } else if (typeof m.cursor === 'string') {
      // Too far behind what the leader keeps: take up at its position, and reload like a reset.
      this.positions = parseCursor(m.cursor);
      this.recent = [];
      this.recentFrom = new Map(this.positions);
      this.emit('reset', { reason: 'tab-resync' }, m.cursor);
    }
    this.flushQueue();
  }

  flushQueue() {
    const queued = this.queue;
    this.queue = [];
    for (const m of queued) this.accept(m);
  }

  setState(state, refusal = null) {
    if (this.state !== state || (refusal && refusal.detail !== this.refusal?.detail)) {
      this.state = state;
      this.refusal = refusal;
      this.emit('state', state, refusal);
    }
  }

  onVisibility() {
    if (!this.leader) {
      this.post({ t: 'visible', visible: !document.hidden });
      return;
    }
    clearTimeout(this.hiddenTimer);
    if (!this.allHidden()) {
      if (this.paused) {
        this.paused = false;
        this.connection.connect(); // from the last id: nothing missed while hidden
      }
    } else if (!this.keepWhenHidden && !this.paused) {
      this.hiddenTimer = setTimeout(() => {
        if (this.allHidden()) {
          this.paused = true;
          this.connection.stop();
        }
      }, this.hiddenAfterMs);
    }
  }
}
