// Where Mailroom keeps its data when no --data-dir is given: the same folder Electron's
// app.getPath('userData') gives the desktop app, so the CLI and the desktop app share one install.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Mailroom';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MAILROOM_DATA_DIR) return env.MAILROOM_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export const DATABASE_FILE = 'mailroom.sqlite';
