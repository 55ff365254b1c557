// The headless admin transport (DESIGN §9): serves the built renderer and the admin RPC over HTTP,
// bound to 127.0.0.1 unless configured otherwise, behind the admin login.
//
// Routes:
//   GET  /api/health               {ok:true}, no login (for probes)
//   GET  /auth/session             {authenticated, passwordSet, csrfToken?}
//   POST /auth/setup    {token}    redeem the one-time setup token (only while no password is set)
//   POST /auth/login    {password} start a session
//   POST /auth/password {password, currentPassword?}  set the admin password (session + CSRF)
//   POST /auth/logout              end the session (session + CSRF)
//   POST /api/<method>  {input}    the admin RPC (session + CSRF; the password must be set)
//   GET  /api/events               live log rows, listener changes and bounces (server-sent events)
//   GET  /, /assets/...            the renderer
//
// Invariants:
// - Every request must name this server in its Host header: an IP literal, `localhost` (or a name
//   under `.localhost`), or one of the configured host names. Anything else gets 421: a page on a
//   DNS-rebinding name never reaches the login or the RPC (issue 11 §5).
// - Oversized requests get an answer with a JSON body, never a reset: a body beyond MAX_BODY gets
//   413 (the rest of the body is read and dropped, so the client sees the answer), a header block
//   beyond Node's limit gets 431.
// - The session cookie is HttpOnly and SameSite=Strict. Every POST must be JSON (so a cross-site
//   form cannot send it without a CORS preflight, which is never granted), must not come from
//   another Origin, and, once there is a session, must carry the session's CSRF token.
// - Password and setup-token attempts go through the server's auth throttle (bans per source; the
//   admin "account" is only ever slowed down); a banned client gets 429 without its password being
//   checked.
// - Until the admin password is set, a session (from the setup token) may only set it: the admin
//   RPC answers 403 `setup-required`, so no configuration can happen on an unprotected server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { PasswordHasher } from '../auth/password-hash.js';
import { createThrottle, type Throttle } from '../auth/throttle.js';
import type { AdminApi } from './contract.js';
import { dispatch } from './rpc.js';
import { ADMIN_THROTTLE_ACCOUNT, PasswordRuleError, createAdminLogin, type KeyValueStore } from './admin-login.js';
import { CSRF_HEADER, createSessionTable, sessionCookie, type Session } from './sessions.js';
import { DEFAULT_RENDERER_DIR, serveStatic } from './static-files.js';
import { streamEvents } from './live-events.js';

export const MAX_BODY = 1024 * 1024;
/** How long a refused client may go on sending before the connection is closed. */
const DRAIN_MS = 10_000;
const STATUS = { 'not-found': 404, invalid: 400, conflict: 409, internal: 500 } as const;

/** The Content-Security-Policy of every page: scripts only from this server, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine sets style attributes and injects its CSS variables in a <style> element.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export interface AdminHttpDeps {
  api: AdminApi;
  bus: EventBus;
  log: Logger;
  clock: Clock;
  hasher: PasswordHasher;
  /** Where the admin password hash is kept (the store's settings rows). */
  settings: KeyValueStore;
  /** The built renderer; defaults to dist/renderer. */
  rendererDir?: string;
  /** Defaults to the auth throttle's standard limits on the injected clock. */
  throttle?: Throttle;
  /** Waits before answering a throttled login (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  /** Host names the admin is reached by, besides IP literals and localhost (the mail hostname, the machine's name). */
  hostNames?: () => string[];
}

export interface AdminHttpServer {
  start(host: string, port: number): Promise<number>;
  stop(): Promise<void>;
  /** The one-time first-run URL while no admin password is set (after start). */
  setupUrl(): string | undefined;
}

type Json = Record<string, unknown>;

export function createAdminHttpServer(deps: AdminHttpDeps): AdminHttpServer {
  const { log } = deps;
  const sessions = createSessionTable(deps.clock);
  const login = createAdminLogin({ settings: deps.settings, hasher: deps.hasher });
  const throttle = deps.throttle ?? createThrottle({ clock: deps.clock });
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const rendererDir = deps.rendererDir ?? DEFAULT_RENDERER_DIR;
  let origin: string | undefined;

  /** Runs a password-like check under the throttle; answers 429 itself when blocked. */
  const throttled = async (req: IncomingMessage, res: ServerResponse, what: string, check: () => Promise<boolean>): Promise<boolean | undefined> => {
    const ip = req.socket.remoteAddress ?? 'unknown';
    const decision = await throttle.checkLogin(ip, ADMIN_THROTTLE_ACCOUNT);
    if (decision.blocked) {
      const seconds = Math.max(1, Math.ceil((decision.until - deps.clock.now()) / 1000));
      log.warn('admin.login.blocked', { remote: ip, what, until: decision.until });
      sendJson(res, 429, { ok: false, error: { code: 'throttled', message: `Too many failed attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).` } }, { 'retry-after': String(seconds) });
      return undefined;
    }
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    const ok = await check();
    if (ok) {
      throttle.succeed(ip, ADMIN_THROTTLE_ACCOUNT);
      log.info('admin.login.ok', { remote: ip, what });
    } else {
      const blocks = throttle.fail(ip, ADMIN_THROTTLE_ACCOUNT);
      log.warn('admin.login.failed', { remote: ip, what });
      for (const block of blocks) log.warn('admin.login.block', { key: block.key, until: block.until, failures: block.failures });
    }
    return ok;
  };

  const startSession = (res: ServerResponse, body: Json, status = 200) => {
    const session = sessions.create();
    sendJson(res, status, { ok: true, csrfToken: session.csrfToken, passwordSet: login.hasPassword(), ...body }, { 'set-cookie': sessionCookie(session) });
  };

  const handlePost = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    // Cross-site requests: a JSON content type forces a preflight we never grant; a foreign Origin is refused outright.
    if (!isJson(req)) return sendError(res, 415, 'invalid', 'Send JSON (content-type: application/json).');
    if (!sameOrigin(req)) return sendError(res, 403, 'forbidden', 'Requests from other sites are refused.');
    let body: unknown;
    try {
      const raw = await readBody(req);
      body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendError(res, 413, 'too-large', error.message);
      return sendError(res, 400, 'invalid', error instanceof SyntaxError ? 'The request body is not valid JSON.' : (error as Error).message);
    }
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Json;

    if (path === '/auth/login') {
      if (!login.hasPassword()) return sendError(res, 409, 'setup-required', 'No admin password is set yet. Open the setup link that `mailroom serve` printed.');
      const password = typeof fields.password === 'string' ? fields.password : '';
      const ok = await throttled(req, res, 'login', () => login.verify(password));
      if (ok === undefined) return;
      if (!ok) return sendError(res, 401, 'unauthorized', 'Wrong password.');
      return startSession(res, {});
    }
    if (path === '/auth/setup') {
      if (login.hasPassword()) return sendError(res, 409, 'conflict', 'The admin password is already set; log in instead.');
      const token = typeof fields.token === 'string' ? fields.token : '';
      const ok = await throttled(req, res, 'setup', async () => login.redeemSetupToken(token));
      if (ok === undefined) return;
      if (!ok) return sendError(res, 401, 'unauthorized', 'This setup link is wrong or was already used. Restart the server to get a new one.');
      return startSession(res, {});
    }

    const session = sessions.fromCookieHeader(req.headers.cookie);
    if (!session) return sendError(res, 401, 'unauthorized', 'Log in first.');
    if (!sessions.csrfOk(session, req.headers[CSRF_HEADER])) return sendError(res, 403, 'forbidden', 'The request lacks a valid CSRF token. Reload the page.');

    if (path === '/auth/logout') {
      sessions.destroy(session.id);
      return sendJson(res, 200, { ok: true }, { 'set-cookie': sessionCookie(null) });
    }
    if (path === '/auth/password') return changePassword(req, res, session, fields);

    const m = /^\/api\/([A-Za-z]+)$/.exec(path);
    if (!m) return sendError(res, 404, 'not-found', 'Not found.');
    if (!login.hasPassword()) return sendError(res, 403, 'setup-required', 'Set the admin password first.');
    const result = await dispatch(deps.api, m[1], body, log);
    sendJson(res, result.ok ? 200 : STATUS[result.error.code], result);
  };

  const changePassword = async (req: IncomingMessage, res: ServerResponse, session: Session, fields: Json) => {
    const password = fields.password;
    if (login.hasPassword()) {
      const current = typeof fields.currentPassword === 'string' ? fields.currentPassword : '';
      const ok = await throttled(req, res, 'password-change', () => login.verify(current));
      if (ok === undefined) return;
      if (!ok) return sendError(res, 403, 'forbidden', 'The current password is wrong.', 'currentPassword');
    }
    try {
      await login.setPassword(password as string);
    } catch (error) {
      if (error instanceof PasswordRuleError) return sendError(res, 400, 'invalid', error.message, 'password');
      throw error;
    }
    sessions.destroyAllExcept(session.id);
    log.info('admin.password.set', {});
    sendJson(res, 200, { ok: true, passwordSet: true });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    const path = url.pathname;
    if (req.method === 'POST') return handlePost(req, res, path);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'invalid', 'Method not allowed.', undefined, { allow: 'GET, HEAD, POST' });
    if (path === '/api/health') return sendJson(res, 200, { ok: true });
    if (path === '/auth/session') {
      const session = sessions.fromCookieHeader(req.headers.cookie);
      return sendJson(res, 200, { ok: true, authenticated: session !== undefined, passwordSet: login.hasPassword(), csrfToken: session?.csrfToken });
    }
    if (path === '/api/events') {
      const session = sessions.fromCookieHeader(req.headers.cookie);
      if (!session) return sendError(res, 401, 'unauthorized', 'Log in first.');
      return streamEvents(req, res, SECURITY_HEADERS, {
        bus: deps.bus,
        replay: (afterId, limit) => deps.api.queryLog({ afterId, limit }),
        stillAllowed: () => sessions.fromCookieHeader(req.headers.cookie) !== undefined,
      });
    }
    if (path.startsWith('/api/') || path.startsWith('/auth/')) return sendError(res, 405, 'invalid', 'Use POST.', undefined, { allow: 'POST' });
    if (!serveStatic(rendererDir, req, res, path, SECURITY_HEADERS)) sendError(res, 404, 'not-found', 'Not found.');
  };

  const server: Server = createServer((req, res) => {
    if (!hostAllowed(req.headers.host, deps.hostNames?.() ?? [])) {
      req.resume();
      return sendError(res, 421, 'misdirected', 'This admin server does not answer for that host name. Open it by its IP address, localhost or its own name.');
    }
    handle(req, res).catch((error: unknown) => {
      log.error('admin.http.error', { error });
      if (!res.headersSent) sendError(res, 500, 'internal', 'Internal error.');
      else res.destroy();
    });
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code !== 'HPE_HEADER_OVERFLOW' || !socket.writable) return socket.destroy();
    const body = JSON.stringify({ ok: false, error: { code: 'too-large', message: 'The request headers are too large (a cookie of another site on this host name?).' } });
    socket.end(`HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    drainThenClose(socket);
  });

  return {
    start: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          origin = `http://${urlHost(host)}:${bound}`;
          resolve(bound);
        });
      }),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    setupUrl() {
      const token = login.setupToken();
      return token === undefined || origin === undefined ? undefined : `${origin}/#/setup/${token}`;
    },
  };

  function sendError(res: ServerResponse, status: number, code: string, message: string, field?: string, headers: Record<string, string> = {}) {
    sendJson(res, status, { ok: false, error: { code, message, ...(field === undefined ? {} : { field }) } }, headers);
  }
}

/** The host part of a URL for a bind address: the wildcard addresses mean "this machine". */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Whether a Host header names this server (see the header): IP literals, localhost, configured names. */
export function hostAllowed(header: string | undefined, names: readonly string[]): boolean {
  if (!header) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) !== 0) return true;
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  return names.some((name) => name.toLowerCase() === hostname);
}

/** Reads and drops what the client still sends (so closing does not reset the answer away), for at most DRAIN_MS. */
function drainThenClose(socket: Socket): void {
  socket.resume();
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
}

function isJson(req: IncomingMessage): boolean {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

/** No Origin (same-origin GET-less clients, curl) is fine; a present Origin must name this Host. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

class BodyTooLarge extends Error {
  constructor() {
    super(`The request body is larger than ${MAX_BODY} bytes.`);
  }
}

/** The body, or BodyTooLarge as soon as it is known to exceed MAX_BODY; the rest is then read and dropped. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
      req.resume();
      return reject(new BodyTooLarge());
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        chunks.length = 0;
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
