// Admin sessions for the headless admin HTTP server: an in-memory table of random session ids, each
// with its own CSRF token. Sessions live only as long as the process (a restart logs everyone out).
//
// Invariants:
// - A session id is 32 random bytes (base64url) and is only ever sent in the cookie, which is
//   HttpOnly and SameSite=Strict, so page scripts and other sites never see or send it.
// - Every state-changing request also carries the session's CSRF token in a header; the token is
//   handed to the page by JSON endpoints only (never in the cookie). Tokens compare in constant time.
// - A session ends after SESSION_IDLE_MS without a request or SESSION_MAX_MS after login, whichever
//   comes first; time comes only from the injected clock.
// - At most MAX_SESSIONS live at once: the least recently used is dropped first.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';

export const SESSION_COOKIE = 'mailroom_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_IDLE_MS = 2 * 3600_000;
export const SESSION_MAX_MS = 12 * 3600_000;
export const MAX_SESSIONS = 100;

export interface Session {
  id: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionTable {
  create(): Session;
  /** The live session for a Cookie header, refreshing its idle timer; undefined if none or expired. */
  fromCookieHeader(header: string | undefined): Session | undefined;
  /** Constant-time check of the CSRF header against the session's token. */
  csrfOk(session: Session, given: string | string[] | undefined): boolean;
  destroy(id: string): void;
  /** Ends every session except `keep` (after a password change). */
  destroyAllExcept(keep?: string): void;
  size(): number;
}

export function createSessionTable(clock: Clock): SessionTable {
  // Map order is least recently used first: a lookup re-inserts.
  const sessions = new Map<string, Session>();

  const expired = (s: Session, now: number) => now - s.lastSeenAt >= SESSION_IDLE_MS || now - s.createdAt >= SESSION_MAX_MS;

  return {
    create() {
      const now = clock.now();
      const session: Session = { id: token(), csrfToken: token(), createdAt: now, lastSeenAt: now };
      sessions.set(session.id, session);
      for (const id of sessions.keys()) {
        if (sessions.size <= MAX_SESSIONS) break;
        sessions.delete(id);
      }
      return session;
    },
    fromCookieHeader(header) {
      const id = parseCookies(header)[SESSION_COOKIE];
      if (id === undefined) return undefined;
      const session = sessions.get(id);
      if (!session) return undefined;
      const now = clock.now();
      sessions.delete(id);
      if (expired(session, now)) return undefined;
      session.lastSeenAt = now;
      sessions.set(id, session);
      return session;
    },
    csrfOk(session, given) {
      if (typeof given !== 'string') return false;
      const a = Buffer.from(given);
      const b = Buffer.from(session.csrfToken);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    destroy(id) {
      sessions.delete(id);
    },
    destroyAllExcept(keep) {
      for (const id of [...sessions.keys()]) if (id !== keep) sessions.delete(id);
    },
    size: () => sessions.size,
  };
}

/** The Set-Cookie value for a session (or, with `null`, one that removes the cookie). */
export function sessionCookie(session: Session | null): string {
  const value = session === null ? '' : session.id;
  const maxAge = session === null ? 0 : Math.floor(SESSION_MAX_MS / 1000);
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name !== '' && !(name in out)) out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

function token(): string {
  return randomBytes(32).toString('base64url');
}
