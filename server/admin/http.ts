// The headless admin transport: JSON RPC over HTTP (`POST /api/<method>`), bound to 127.0.0.1 by
// default. Until the GUI issue adds the admin login, requests must carry the bearer token kept in
// the data folder (`admin-token`, readable by the owner only), so no other local user can reconfigure.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { AdminApi } from './contract.js';
import { dispatch } from './rpc.js';

export const MAX_BODY = 1024 * 1024;
const STATUS = { 'not-found': 404, invalid: 400, conflict: 409, internal: 500 } as const;

export function loadOrCreateAdminToken(dataDir: string): string {
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

export interface AdminHttpServer {
  start(host: string, port: number): Promise<number>;
  stop(): Promise<void>;
}

export function createAdminHttpServer(deps: { api: AdminApi; token: string; log: Logger }): AdminHttpServer {
  const expected = Buffer.from(`Bearer ${deps.token}`);
  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    if (req.method === 'GET' && url.pathname === '/api/health') return send(res, 200, { ok: true });
    const m = /^\/api\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return send(res, 404, { ok: false, error: { code: 'not-found', message: 'Not found.' } });
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'invalid', message: 'Use POST.' } });
    if (!authorized(req)) return send(res, 401, { ok: false, error: { code: 'invalid', message: 'Missing or wrong admin token.' } });
    let input: unknown;
    try {
      const body = await readBody(req);
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (error) {
      return send(res, 400, { ok: false, error: { code: 'invalid', message: (error as Error).message } });
    }
    const result = await dispatch(deps.api, m[1], input, deps.log);
    send(res, result.ok ? 200 : STATUS[result.error.code], result);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      deps.log.error('admin.http.error', { error });
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error.' } });
    });
  });

  return {
    start: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error(`The request body is larger than ${MAX_BODY} bytes.`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
