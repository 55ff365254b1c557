// The renderer's only door to the server (DESIGN §9, STYLE "IPC / admin"): an AdminClient with two
// transports. In the desktop app the preload exposes `window.mailroom` (one function per admin
// method, plus live events); in a browser the same calls go over the headless admin HTTP server
// with its session cookie and CSRF token. No other renderer file touches `window.mailroom`, fetch
// or EventSource for admin work.
import {
  AdminSchemas,
  type AdminApi,
  type AdminErrorCode,
  type AdminMethod,
  type LiveEvent,
  type LogRow,
} from '../server/admin/contract.js';

/** What every admin call answers on either transport (server/admin/rpc.ts `RpcResult`). */
export type RpcResult = { ok: true; result: unknown } | { ok: false; error: { code: AdminErrorCode | 'internal' | string; message: string; field?: string } };

export type { LiveEvent };

/** The preload's bridge (main/preload.cts builds it): exactly the admin methods, and live events. */
export interface MailroomBridge {
  admin: Record<AdminMethod, (input: unknown) => Promise<RpcResult>>;
  onEvent(handler: (event: LiveEvent) => void): () => void;
}

declare global {
  interface Window {
    mailroom?: MailroomBridge;
  }
}

/** An admin call that the server refused (or that could not reach it). */
export class ClientError extends Error {
  override name = 'ClientError';
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface AuthState {
  authenticated: boolean;
  /** False until the first-run wizard has set the admin password. */
  passwordSet: boolean;
}

/** Login for the HTTP transport; the desktop app's window is always trusted. */
export interface AdminAuth {
  state(): Promise<AuthState>;
  redeemSetupToken(token: string): Promise<void>;
  login(password: string): Promise<void>;
  setPassword(password: string, currentPassword?: string): Promise<void>;
  logout(): Promise<void>;
  /** Called when the server says the session is gone (expired, or logged out elsewhere). */
  onSessionLost(handler: () => void): () => void;
}

export interface AdminClient {
  transport: 'ipc' | 'http';
  api: AdminApi;
  /** Live log rows, listener changes and bounces; returns the unsubscribe function. */
  subscribe(handler: (event: LiveEvent) => void): () => void;
  auth: AdminAuth | null;
}

const METHODS = Object.keys(AdminSchemas) as AdminMethod[];

function unwrap(result: RpcResult): unknown {
  if (result.ok) return result.result;
  throw new ClientError(result.error.code, result.error.message, result.error.field);
}

function makeApi(call: (method: AdminMethod, input: unknown) => Promise<RpcResult>): AdminApi {
  const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const method of METHODS) api[method] = async (input?: unknown) => unwrap(await call(method, input ?? {}));
  return api as unknown as AdminApi;
}

export function createIpcClient(bridge: MailroomBridge): AdminClient {
  return {
    transport: 'ipc',
    api: makeApi((method, input) => {
      const fn = bridge.admin[method];
      if (typeof fn !== 'function') return Promise.resolve({ ok: false, error: { code: 'not-found', message: `The desktop app does not offer ${method}.` } });
      return fn(input);
    }),
    subscribe: (handler) => bridge.onEvent(handler),
    auth: null,
  };
}

export function createHttpClient(base = ''): AdminClient {
  let csrfToken: string | undefined;
  const lost = new Set<() => void>();

  const post = async (path: string, body: unknown): Promise<RpcResult & Record<string, unknown>> => {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
        body: JSON.stringify(body ?? {}),
      });
    } catch {
      return { ok: false, error: { code: 'offline', message: 'The Mailroom server cannot be reached. Is it running?' } };
    }
    let json: RpcResult & Record<string, unknown>;
    try {
      json = (await res.json()) as RpcResult & Record<string, unknown>;
    } catch {
      return { ok: false, error: { code: 'internal', message: `The server answered ${res.status} without a readable body.` } };
    }
    if (typeof json.csrfToken === 'string') csrfToken = json.csrfToken;
    if (res.status === 401 && path.startsWith('/api/')) for (const handler of lost) handler();
    return json;
  };

  const auth: AdminAuth = {
    async state() {
      const res = await fetch(`${base}/auth/session`, { credentials: 'same-origin' });
      const json = (await res.json()) as AuthState & { csrfToken?: string };
      csrfToken = json.csrfToken;
      return { authenticated: json.authenticated, passwordSet: json.passwordSet };
    },
    async redeemSetupToken(token) {
      unwrap(await post('/auth/setup', { token }));
    },
    async login(password) {
      unwrap(await post('/auth/login', { password }));
    },
    async setPassword(password, currentPassword) {
      unwrap(await post('/auth/password', { password, currentPassword }));
    },
    async logout() {
      unwrap(await post('/auth/logout', {}));
      csrfToken = undefined;
    },
    onSessionLost(handler) {
      lost.add(handler);
      return () => lost.delete(handler);
    },
  };

  return {
    transport: 'http',
    api: makeApi((method, input) => post(`/api/${method}`, input)),
    subscribe(handler) {
      // EventSource reconnects by itself and sends Last-Event-ID, so the server replays missed rows.
      const source = new EventSource(`${base}/api/events`, { withCredentials: true });
      const on = (type: string, wrap: (data: never) => LiveEvent) =>
        source.addEventListener(type, (e) => handler(wrap(JSON.parse((e as MessageEvent<string>).data) as never)));
      on('log', (row: LogRow) => ({ type: 'log', row }));
      on('listener', (event: Extract<LiveEvent, { type: 'listener' }>['event']) => ({ type: 'listener', event }));
      on('bounce', (event: Extract<LiveEvent, { type: 'bounce' }>['event']) => ({ type: 'bounce', event }));
      on('backup', (event: Extract<LiveEvent, { type: 'backup' }>['event']) => ({ type: 'backup', event }));
      on('import', (event: Extract<LiveEvent, { type: 'import' }>['event']) => ({ type: 'import', event }));
      return () => source.close();
    },
    auth,
  };
}

/** The desktop bridge when the preload provided one, the HTTP server otherwise. */
export function createAdminClient(): AdminClient {
  return typeof window !== 'undefined' && window.mailroom ? createIpcClient(window.mailroom) : createHttpClient();
}
