// Finds every user's Maildir under a root laid out as Dovecot's mail_location names it:
// `%d/%n` (/var/vmail/example.com/alice), `%d/%n/Maildir`, `%u` (/var/vmail/alice@example.com),
// with Dovecot's `%L` (lower-case) modifier accepted. Each path segment holding a variable matches any
// directory at that level; the address is assembled from what %d, %n and %u matched. Only directories
// that are Maildirs (have cur/ or new/) are returned; unreadable directories are reported.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorText, type UnreadableItem } from '../source-message.js';
import { isMaildir } from './folders.js';

export interface FoundMaildir {
  address: string;
  path: string;
}

export class LayoutError extends Error {
  override name = 'LayoutError';
}

type Captures = { d?: string; n?: string; u?: string };

function segmentMatcher(segment: string): ((name: string) => Captures | undefined) | undefined {
  const vars: ('d' | 'n' | 'u')[] = [];
  const pattern = segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%L?([dnu])/g, (_m, v: 'd' | 'n' | 'u') => {
    vars.push(v);
    return '(.+?)';
  });
  if (vars.length === 0) return undefined;
  const re = new RegExp(`^${pattern}$`);
  return (name) => {
    const m = re.exec(name);
    if (!m) return undefined;
    const captures: Captures = {};
    vars.forEach((v, i) => (captures[v] = m[i + 1]));
    return captures;
  };
}

export async function discoverMaildirs(root: string, layout: string): Promise<{ found: FoundMaildir[]; problems: UnreadableItem[] }> {
  const segments = layout.split('/').filter((s) => s !== '');
  if (!/%L?[du]/.test(layout) || (!/%L?u/.test(layout) && !/%L?n/.test(layout))) {
    throw new LayoutError(`"${layout}" must name the user: use %d/%n, %d/%n/Maildir or %u`);
  }
  const found: FoundMaildir[] = [];
  const problems: UnreadableItem[] = [];
  async function walk(dir: string, depth: number, captures: Captures): Promise<void> {
    if (depth === segments.length) {
      const address = captures.u ?? `${captures.n}@${captures.d}`;
      if (await isMaildir(dir)) found.push({ address, path: dir });
      return;
    }
    const match = segmentMatcher(segments[depth]);
    if (!match) return walk(join(dir, segments[depth]), depth + 1, captures);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ kind: 'unreadable', path: dir, reason: errorText(error) });
      return;
    }
    for (const entry of entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const got = match(entry.name);
      if (got) await walk(join(dir, entry.name), depth + 1, { ...captures, ...got });
    }
  }
  await walk(root, 0, {});
  return { found, problems };
}
