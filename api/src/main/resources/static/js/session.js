// The login's token outlives no shift, so the page renews it before it expires (POST
// /api/auth/refresh sets a fresh cookie), up to the session's absolute end. The tab holding the
// browser's stream renews; the others hear of it and renew only if it did not (it was closed).
// A renewal refused (logged out, deactivated, session over) ends the page's session: to the login.

import { csrfToken } from './shop.js';

const MAX_MARGIN_MS = 10 * 60 * 1000;
const FOLLOWER_DELAY_MS = 20000;

export class Session {
  /**
   * @param {object} options
   * @param {number} options.expiresAt the token's expiry, epoch millis
   * @param {number} options.issuedAt when it was issued, epoch millis
   * @param {() => boolean} options.leads whether this tab is the one that renews
   * @param {(data: object) => void} options.tell passes a renewal to the other tabs
   * @param {() => void} options.ended the session is over
   */
  constructor({ expiresAt, issuedAt, leads, tell, ended }) {
    this.expiresAt = expiresAt;
    this.issuedAt = issuedAt;
    this.leads = leads;
    this.tell = tell;
    this.ended = ended;
    this.timer = null;
    this.renewing = null;
    this.schedule();
  }

  /** When to renew: a third of the token's life before it ends, at most ten minutes before. */
  dueAt() {
    const ttl = Math.max(0, this.expiresAt - this.issuedAt);
    return this.expiresAt - Math.min(ttl / 3, MAX_MARGIN_MS);
  }

  schedule() {
    clearTimeout(this.timer);
    if (!this.expiresAt) return;
    const delay = this.dueAt() - Date.now() + (this.leads() ? 0 : FOLLOWER_DELAY_MS);
    this.timer = setTimeout(() => this.renew().catch(() => {}), Math.max(0, delay));
  }

  /** Another tab renewed: the cookie is already new. */
  adopt({ expiresAt, issuedAt }) {
    if (typeof expiresAt === 'number' && expiresAt > this.expiresAt) {
      this.expiresAt = expiresAt;
      this.issuedAt = issuedAt;
      this.schedule();
    }
  }

  /** Whether the token this page knows of is still good for a while. */
  fresh() {
    return this.expiresAt - Date.now() > 5000;
  }

  /** Renews now (once, however many callers ask); resolves once the cookie is new. */
  renew() {
    if (!this.renewing) {
      this.renewing = this.refresh().finally(() => { this.renewing = null; });
    }
    return this.renewing;
  }

  async refresh() {
    const csrf = csrfToken();
    let response;
    try {
      response = await fetch('/api/auth/refresh', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Accept': 'application/json, application/problem+json', ...(csrf ? { 'X-XSRF-TOKEN': csrf } : {}) },
      });
    } catch (e) {
      this.retrySoon();
      throw e;
    }
    if (response.status === 401 || response.status === 403) {
      this.ended();
      throw new Error('session ended');
    }
    if (!response.ok) {
      this.retrySoon();
      throw new Error('renewal failed: HTTP ' + response.status);
    }
    const body = await response.json();
    const now = Date.now();
    this.issuedAt = now;
    this.expiresAt = now + body.expiresIn * 1000;
    this.tell({ expiresAt: this.expiresAt, issuedAt: this.issuedAt });
    this.schedule();
  }

  /** The API or the network failed: try again soon, while the token still lives. */
  retrySoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.renew().catch(() => {}), 15000);
  }
}
