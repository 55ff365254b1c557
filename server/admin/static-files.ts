// Serves the built renderer (dist/renderer, from `vite build`) to browsers of a headless install.
// Only GET/HEAD of files under the root; no directory listings; `..` and encoded separators cannot
// leave the root. index.html is never cached (it names the hashed assets); hashed assets are
// immutable.
import { createReadStream, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** dist/renderer next to dist/server/admin/ (this module's compiled location). */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Mailroom</title>
<p>The admin GUI has not been built. Run <code>npm run build</code>, then reload this page.</p>`;

/** The file for a request path, or undefined when it is outside the root or not a regular file. */
export function resolveStatic(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(join(base, rel));
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Answers a GET/HEAD for a static file; returns false (nothing sent) when there is no such file. */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, pathname: string, headers: Record<string, string>): boolean {
  const file = resolveStatic(root, pathname);
  if (file === undefined) {
    if (pathname !== '/' && pathname !== '/index.html') return false;
    res.writeHead(200, { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
    res.end(NOT_BUILT);
    return true;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    ...headers,
    'content-type': type,
    'content-length': String(statSync(file).size),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
}
