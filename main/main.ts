// Electron main process (DESIGN §9): thin, composed here from small modules. One instance; the
// server runs supervised in a utilityProcess (restarted if it dies) with the data in the app-data
// folder; one window loads the renderer from app://mailroom with the preload bridge; a tray shows
// the server's state; bounces and listener failures become desktop notifications; quitting stops
// the server cleanly first. Closing the window keeps the server running (it is a mail server); Quit
// in the tray ends it.
//
// Files (after `npm run build`): dist/main/main.js (this), dist/main/preload.cjs (sandboxed
// preload, CommonJS), dist/server/host/utility.js (the server process), dist/renderer/ (the GUI).
import { app, BrowserWindow, ipcMain, Notification, utilityProcess } from 'electron';
import { fileURLToPath } from 'node:url';
import { registerAdminIpc, EVENT_CHANNEL } from './ipc.js';
import { createSupervisor, type UtilityLike } from './supervisor.js';
import { createMainWindow, registerAppScheme, serveRenderer } from './window.js';
import { createTray, type AppTray } from './tray.js';
import { notificationFor } from './notifications.js';
// Pulls the preload into this program so `tsc -p tsconfig.main.json` emits dist/main/preload.cjs even
// where the config's include pattern (main/**/*.ts) does not match .cts files. Nothing is imported.
import type {} from './preload.cjs';

const file = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const RENDERER_DIR = file('../renderer/');
const PRELOAD = file('./preload.cjs');
const UTILITY = file('../server/host/utility.js');

app.setName('Mailroom');
app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let tray: AppTray | null = null;
  let quitting = false;

  const supervisor = createSupervisor({
    fork: () =>
      utilityProcess.fork(UTILITY, ['--data-dir', app.getPath('userData')], { serviceName: 'Mailroom server', stdio: 'inherit' }) as unknown as UtilityLike,
    onEvent(event) {
      window?.webContents.send(EVENT_CHANNEL, event);
      const text = notificationFor(event);
      if (text && Notification.isSupported()) new Notification(text).show();
    },
    onState(state) {
      tray?.update(state);
      if (state.kind === 'failed' && Notification.isSupported()) {
        new Notification({ title: 'Mailroom could not start', body: state.reason }).show();
      }
    },
  });

  const openWindow = () => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow(PRELOAD);
      window.on('closed', () => (window = null));
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  app.on('second-instance', openWindow);
  // The server keeps running with the window closed; the tray's Quit ends it.
  app.on('window-all-closed', () => undefined);
  app.on('activate', openWindow);
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void supervisor.stop().finally(() => {
      tray?.destroy();
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    serveRenderer(RENDERER_DIR);
    registerAdminIpc(ipcMain, (method, input) => supervisor.call(method, input));
    supervisor.start();
    tray = createTray({ open: openWindow, quit: () => app.quit() });
    tray.update(supervisor.state());
    openWindow();
  });
}
