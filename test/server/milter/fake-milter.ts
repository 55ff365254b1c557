// A scripted milter for tests: listens on 127.0.0.1 (ephemeral port) or a Unix socket in a temp folder,
// answers option negotiation with the flags it is given, records every packet it receives, and answers
// each event with what the script returns. Its packet parsing and reply encoding are written here by
// hand, independently of server/milter, so the tests compare two readings of the protocol.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Received {
  readonly code: string;
  readonly data: Buffer;
  /** `data` split at NULs (the last, empty piece after the final NUL dropped); for macros, the event code first. */
  readonly strings: readonly string[];
}

/** What to do with an event: reply packets (built with `reply()`), nothing (let it time out), hang up,
 *  or replies written one at a time with a pause before each (a slow milter sending progress). */
export type Answer = Buffer[] | 'close' | { readonly paced: Buffer[]; readonly everyMs: number };
export type Script = (event: Received, connection: number) => Answer;

export interface FakeMilterOptions {
  readonly version?: number;
  readonly actions?: number;
  readonly protocol?: number;
  /** Raw bytes appended to the negotiation reply (SETSYMLIST data). */
  readonly negotiationExtra?: Buffer;
  readonly unix?: boolean;
  readonly script?: Script;
}

export interface FakeMilter {
  readonly endpoint: string;
  /** Packets received, per connection, in order (negotiation included). */
  readonly connections: Received[][];
  /** Codes received on connection `i`, e.g. `'OCDHQ'`. */
  codes(i?: number): string;
  /** Events of one code on connection `i`. */
  events(code: string, i?: number): Received[];
  close(): Promise<void>;
}

/** A reply packet: strings get a NUL, numbers are 32-bit big-endian, Buffers go as they are. */
export function reply(code: string, ...fields: (string | number | Buffer)[]): Buffer {
  const parts = fields.map((f) => {
    if (Buffer.isBuffer(f)) return f;
    if (typeof f === 'string') return Buffer.from(`${f}\0`, 'utf8');
    const b = Buffer.alloc(4);
    b.writeUInt32BE(f);
    return b;
  });
  const body = Buffer.concat([Buffer.from(code, 'latin1'), ...parts]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

const CONTINUE = () => [reply('c')];
/** SMFIP_NR_* bit for each event code that can carry one. */
const NO_REPLY_BIT: Readonly<Record<string, number>> = { C: 1 << 12, H: 1 << 13, M: 1 << 14, R: 1 << 15, T: 1 << 16, U: 1 << 17, L: 1 << 7, N: 1 << 18, B: 1 << 19 };
const WITHOUT_REPLY = new Set(['D', 'A', 'Q', 'K']);

export async function startFakeMilter(options: FakeMilterOptions = {}): Promise<FakeMilter> {
  const connections: Received[][] = [];
  const sockets = new Set<Socket>();
  const script = options.script ?? CONTINUE;
  const protocol = options.protocol ?? 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const index = connections.push([]) - 1;
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
        const length = buffered.readUInt32BE(0);
        const code = String.fromCharCode(buffered[4]);
        const data = Buffer.from(buffered.subarray(5, 4 + length));
        buffered = buffered.subarray(4 + length);
        // A macro packet starts with the (unterminated) code of the event it belongs to.
        const strings = code === 'D' ? [String.fromCharCode(data[0]), ...cstrings(data.subarray(1))] : cstrings(data);
        const event: Received = { code, data, strings };
        connections[index].push(event);
        if (code === 'O') {
          const negotiation = reply('O', options.version ?? 6, options.actions ?? 0x1ff, protocol);
          socket.write(options.negotiationExtra ? withExtra(negotiation, options.negotiationExtra) : negotiation);
          continue;
        }
        if (WITHOUT_REPLY.has(code) || (protocol & (NO_REPLY_BIT[code] ?? 0)) !== 0) {
          if (code === 'Q') socket.end();
          continue;
        }
        const answer = script(event, index);
        if (answer === 'close') socket.destroy();
        else if (Array.isArray(answer)) for (const packet of answer) socket.write(packet);
        else writePaced(socket, answer.paced, answer.everyMs);
      }
    });
  });
  let dir: string | null = null;
  let endpoint: string;
  if (options.unix) {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-milter-'));
    const path = join(dir, 'milter.sock');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    endpoint = `unix:${path}`;
  } else {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    endpoint = `inet:127.0.0.1:${address.port}`;
  }
  return {
    endpoint,
    connections,
    codes: (i = 0) => (connections[i] ?? []).map((e) => e.code).join(''),
    events: (code, i = 0) => (connections[i] ?? []).filter((e) => e.code === code),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function writePaced(socket: Socket, packets: readonly Buffer[], everyMs: number): void {
  const [first, ...rest] = packets;
  if (first === undefined) return;
  setTimeout(() => {
    if (socket.destroyed) return;
    socket.write(first);
    writePaced(socket, rest, everyMs);
  }, everyMs);
}

function cstrings(data: Buffer): string[] {
  const strings = data.toString('utf8').split('\0');
  if (strings.at(-1) === '') strings.pop();
  return strings;
}

/** Appends SETSYMLIST data to a negotiation packet, fixing up its length. */
function withExtra(packet: Buffer, extra: Buffer): Buffer {
  const out = Buffer.concat([packet, extra]);
  out.writeUInt32BE(out.length - 4, 0);
  return out;
}

/** Waits (bounded) until `check` holds: the milter side of a no-reply event lands asynchronously. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
