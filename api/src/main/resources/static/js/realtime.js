// The browser's realtime connection (the dashboard stream), held by the leading tab (tabs.js).
//
// - One EventSource, with credentials (the HttpOnly token cookie).
// - Starts from the cursor the tab's data is exact at, and always resumes from the last event id
//   it saw (sent as ?lastEventId=, since every reconnect opens a new EventSource), so nothing is
//   missed or applied twice, on whichever node it lands.
// - Reconnects itself with exponential backoff and jitter, trying the next realtime node each time.
// - `reset` carries a fresh snapshot: listeners rebuild their state from it.
// Every data message goes to the 'message' listeners as (name, data, id).

/** The messages a screen applies; the control messages below are the connection's own business. */
export const DATA_EVENTS = ['stock', 'omset', 'sale', 'sale-return', 'product', 'user', 'transfer', 'order', 'day', 'notification', 'reset'];
const EVENTS = [...DATA_EVENTS, 'reconnect', 'token-expired'];

/** Named listeners; one that throws does not stop the others. */
export class Listeners {
  constructor() {
    this.listeners = new Map();
  }

  on(name, handler) {
    if (!this.listeners.has(name)) this.listeners.set(name, []);
    this.listeners.get(name).push(handler);
    return this;
  }

  emit(name, ...args) {
    for (const handler of this.listeners.get(name) ?? []) {
      try { handler(...args); } catch (e) { console.error('realtime listener failed', name, e); }
    }
  }
}

/**
 * Emits 'message' (name, data, id), 'state' (connected / reconnecting / refused / offline, and for
 * refused the node's problem: { title, detail }), 'failing' (attempts), 'token-expired'.
 */
export class RealtimeConnection extends Listeners {
  /**
   * @param {object} options
   * @param {string[]} options.urls base URLs of the realtime nodes ('{host}' = this page's host;
   *   none = this origin)
   * @param {string} [options.path] the stream
   */
  constructor({ urls, path = '/realtime/dashboard' }) {
    super();
    this.urls = (urls.length ? urls : ['']).map(u => u.replaceAll('{host}', location.hostname));
    this.path = path;
    this.node = Math.floor(Math.random() * this.urls.length); // spread browsers over the nodes
    this.cursor = null;
    this.source = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.running = false;
    this.state = 'offline';
    // The browser's word on the network: back online, a stream that kept working is connected again
    // (the 'offline' event may come while it goes on), and a closed one reconnects now.
    window.addEventListener('online', () => {
      if (this.source?.readyState === EventSource.OPEN) this.setState('connected');
      else if (this.running) this.connectSoon(0);
    });
    window.addEventListener('offline', () => this.setState('offline'));
  }

  /** Opens the stream from the given cursor (what the tab's data already includes). */
  start(cursor) {
    this.cursor = cursor || null;
    this.connect();
  }

  /** Closes the stream until connect() (a hidden browser saving its battery). */
  stop() {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.close();
  }

  connect() {
    this.running = true;
    clearTimeout(this.retryTimer);
    this.close();
    const base = this.urls[this.node % this.urls.length];
    const url = base + this.path + (this.cursor ? '?lastEventId=' + encodeURIComponent(this.cursor) : '');
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    let opened = false;
    source.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.setState('connected');
    };
    source.onerror = () => {
      if (this.source !== source) return;
      // The browser would retry the same node by itself; we retry with backoff and fail over instead.
      this.close();
      if (opened || navigator.onLine === false) this.retry();
      else this.probe(url);
    };
    for (const name of EVENTS) {
      source.addEventListener(name, event => this.onEvent(name, event));
    }
  }

  onEvent(name, event) {
    if (event.lastEventId) this.cursor = event.lastEventId;
    if (this.state !== 'connected' && navigator.onLine !== false) this.setState('connected'); // data flows
    let data = null;
    try { data = event.data ? JSON.parse(event.data) : null; } catch { data = event.data; }
    if (name === 'reconnect') {
      // The node is shutting down: go to another one, after a jittered pause so its clients spread out.
      this.close();
      this.node++;
      this.setState('reconnecting');
      this.connectSoon(500 + Math.random() * 2000);
      return;
    }
    if (name === 'token-expired') {
      this.close();
      this.emit('token-expired', data);
      return;
    }
    this.emit('message', name, data, event.lastEventId || null);
  }

  /**
   * A stream that failed before it opened may have been refused (too many tabs or screens for this
   * user, too many connections from this network, a full node): EventSource hides the answer, so
   * ask the same URL once and read it. The node's problem names the reason in the page's language.
   */
  async probe(url) {
    const abort = new AbortController();
    let answer = null;
    try {
      const response = await fetch(url, { credentials: 'include', signal: abort.signal,
        headers: { Accept: 'text/event-stream', 'Accept-Language': document.documentElement.lang || 'id' } });
      if (response.ok) {
        abort.abort(); // it would have been admitted now: reconnect as after any failure
      } else {
        const problem = await response.json().catch(() => ({}));
        answer = { status: response.status, title: String(problem.title ?? ''), detail: String(problem.detail ?? ''),
          retryAfter: Number(response.headers.get('Retry-After')) || 0 };
      }
    } catch {
      // no answer at all: the network or the node is down
    }
    if (!this.running || this.source) return; // stopped or reconnected meanwhile
    if (answer?.status === 401) {
      this.emit('token-expired', { reason: 'unauthenticated' });
      return;
    }
    if (answer && (answer.status === 429 || answer.status === 503 || answer.status === 403)) {
      this.retry({ title: answer.title, detail: answer.detail }, answer.retryAfter * 1000);
    } else {
      this.retry();
    }
  }

  /** Tries again later, on the next node; {@code refusal}: why the last one said no. */
  retry(refusal = null, notBefore = 0) {
    this.attempt++;
    this.node++; // fail over: the next node in the list
    if (refusal) this.setState('refused', refusal);
    else this.setState(navigator.onLine === false || this.attempt > 6 ? 'offline' : 'reconnecting');
    const backoff = Math.min(30000, 500 * 2 ** Math.min(this.attempt - 1, 6));
    this.connectSoon(Math.max(notBefore, backoff / 2 + Math.random() * backoff / 2));
    if (this.attempt >= 3 && !refusal) this.emit('failing', this.attempt);
  }

  connectSoon(delay) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  close() {
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  setState(state, refusal = null) {
    if (this.state !== state || (refusal && refusal.detail !== this.refusal?.detail)) {
      this.state = state;
      this.refusal = refusal;
      this.emit('state', state, refusal);
    }
  }
}
