// What the tray shows for a server state (pure, tested without Electron), and the icon, drawn in code (an envelope, 16×16 BGRA) so the app ships no binary asset for it.
// Colour follows the server's state: green running, orange (re)starting, red failed/stopped.
import type { ServerState } from './supervisor.js';

export const TRAY_ICON_SIZE = 16;

const COLORS = { ok: [0x2f, 0x9e, 0x44], busy: [0xf0, 0x8c, 0x00], bad: [0xe0, 0x31, 0x31] } as const;
export type TrayTone = keyof typeof COLORS;

export function trayIconBitmap(tone: TrayTone): Buffer {
  const size = TRAY_ICON_SIZE;
  const [r, g, b] = COLORS[tone];
  const pixels = Buffer.alloc(size * size * 4);
  const set = (x: number, y: number) => {
    const i = (y * size + x) * 4;
    pixels[i] = b;
    pixels[i + 1] = g;
    pixels[i + 2] = r;
    pixels[i + 3] = 0xff;
  };
  const top = 3;
  const bottom = 12;
  for (let x = 1; x <= 14; x++) {
    set(x, top);
    set(x, bottom);
  }
  for (let y = top; y <= bottom; y++) {
    set(1, y);
    set(14, y);
  }
  // The flap: a V from the top corners to the middle.
  for (let i = 0; i <= 6; i++) {
    set(1 + i, top + Math.round((i * 5) / 6));
    set(14 - i, top + Math.round((i * 5) / 6));
  }
  return pixels;
}

export function describeState(state: ServerState): { text: string; tone: TrayTone } {
  switch (state.kind) {
    case 'running':
      return { text: 'Mailroom is running', tone: 'ok' };
    case 'starting':
      return { text: 'Mailroom is starting…', tone: 'busy' };
    case 'restarting':
      return { text: `Mailroom stopped (${state.reason}); restarting in ${Math.ceil(state.inMs / 1000)} s`, tone: 'busy' };
    case 'failed':
      return { text: `Mailroom could not start: ${state.reason}`, tone: 'bad' };
    case 'stopped':
      return { text: 'Mailroom is stopped', tone: 'bad' };
  }
}
