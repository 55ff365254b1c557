// `npm start`: opens the desktop app; where Electron cannot start (its binary is missing, or there
// is no display) it says so plainly and runs the same server headless, printing the admin URL.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;

function electronBinary() {
  try {
    const path = require('electron'); // the package exports the binary's path, or throws if it was not downloaded
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = electronBinary();
const desktopEntry = new URL('../dist/main/main.js', import.meta.url).pathname;

if (electron && hasDisplay && existsSync(desktopEntry)) {
  const child = spawn(electron, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = !electron ? "Electron's binary is not installed" : !hasDisplay ? 'there is no display' : 'the desktop app is not built';
  console.error(`mailroom: ${why}, so the desktop window cannot open; running the server headless instead.`);
  const args = [new URL('../dist/server/host/cli.js', import.meta.url).pathname, 'serve', ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    for (const line of chunk.toString().split('\n')) {
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line);
      if (event.event === 'ready' && event.ports.admin) {
        console.error(`mailroom: admin at http://127.0.0.1:${event.ports.admin}/  (data in ${event.dataDir})`);
        if (event.setupUrl) console.error(`mailroom: first run — open ${event.setupUrl} to set the admin password`);
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
