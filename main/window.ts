// The main window and the app:// scheme it loads the renderer from. Secure defaults (STYLE "Not to
// copy": never sandbox: false): context isolation, no Node integration, sandboxed renderer, our
// preload only, a strict Content-Security-Policy header on every file, no navigation away from
// app://mailroom, no new windows (http(s) links open in the user's browser), no permissions.
import { BrowserWindow, net, protocol, session, shell, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../server/admin/http.js';
import { resolveStatic } from '../server/admin/static-files.js';
import { ADMIN_METHODS_ARGUMENT, APP_ORIGIN, APP_SCHEME } from './ipc.js';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer under app://mailroom/ with the CSP header; anything else is a 404. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'mailroom' ? resolveStatic(rendererDir, url.pathname) : undefined;
    if (!file) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
  // The window needs no camera, notifications API, geolocation, ...: refuse every permission.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

export function createMainWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Mailroom',
    show: false,
    webPreferences: {
      preload,
      additionalArguments: [ADMIN_METHODS_ARGUMENT],
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  lockDown(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
