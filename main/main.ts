// Electron main process (DESIGN §9): thin. One instance, one window with the renderer, secure
// defaults (context isolation, no node integration, sandbox). The server supervisor (utilityProcess),
// preload bridge, tray and notifications arrive with the GUI issue.
import { app, BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';

const RENDERER = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Mailroom',
    webPreferences: { contextIsolation: true, nodeIntegration: false, sandbox: true },
  });
  void window.loadFile(RENDERER);
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  void app.whenReady().then(() => {
    window = createWindow();
  });
  app.on('window-all-closed', () => app.quit());
}
