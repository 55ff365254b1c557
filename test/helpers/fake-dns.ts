// A small authoritative DNS server on 127.0.0.1 (UDP, ephemeral port) for tests: answers A, AAAA,
// MX, TXT and PTR from an in-memory zone the test may change while it runs. A name missing from the zone
// is NXDOMAIN, a present name without the asked type is NODATA, and a name marked `servfail` answers
// SERVFAIL (a temporary DNS failure). Only what c-ares and mailauth ask is implemented (RFC 1035 §4).
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

export interface FakeRecords {
  A?: string[];
  AAAA?: string[];
  MX?: Array<{ priority: number; exchange: string }>;
  /** Each string is one TXT record; long ones are split into 255-byte character-strings. */
  TXT?: string[];
  /** Names for a reverse zone entry (`4.3.2.1.in-addr.arpa`). */
  PTR?: string[];
  servfail?: boolean;
}

export type FakeZone = Record<string, FakeRecords>;

export interface FakeDns {
  /** `127.0.0.1:port`, for the resolver's server list. */
  server: string;
  zone: FakeZone;
  queries: Array<{ name: string; type: string }>;
  close(): Promise<void>;
}

const TYPES: Record<number, keyof FakeRecords> = { 1: 'A', 28: 'AAAA', 15: 'MX', 16: 'TXT', 12: 'PTR' };
const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;

export async function startFakeDns(t: { after(fn: () => Promise<void> | void): void }, zone: FakeZone = {}): Promise<FakeDns> {
  const socket = createSocket('udp4');
  const queries: FakeDns['queries'] = [];
  const state: FakeDns = {
    server: '',
    zone,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg, remote) => {
    const reply = answer(msg, state.zone, queries);
    if (reply) socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  state.server = `127.0.0.1:${socket.address().port}`;
  t.after(() => state.close());
  return state;
}

function answer(query: Buffer, zone: FakeZone, log: FakeDns['queries']): Buffer | null {
  if (query.length < 12) return null;
  let pos = 12;
  const labels: string[] = [];
  while (pos < query.length && query[pos] !== 0) {
    const len = query[pos];
    labels.push(query.toString('latin1', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  const questionEnd = pos + 5;
  if (questionEnd > query.length) return null;
  const qtype = query.readUInt16BE(pos + 1);
  const name = labels.join('.').toLowerCase();
  const type = TYPES[qtype];
  log.push({ name, type: type ?? String(qtype) });

  const entry = Object.entries(zone).find(([n]) => n.toLowerCase() === name)?.[1];
  let rcode = 0;
  let rdatas: Buffer[] = [];
  if (!entry) rcode = RCODE_NXDOMAIN;
  else if (entry.servfail) rcode = RCODE_SERVFAIL;
  else if (!type) rcode = RCODE_NOTIMP;
  else rdatas = encodeRecords(type, entry);

  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  const rd = query[2] & 0x01;
  header[2] = 0x80 | 0x04 | rd; // QR, AA, RD copied
  header[3] = 0x80 | rcode; // RA
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rdatas.length, 6);
  const answers = rdatas.map((rdata) => {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

function encodeRecords(type: keyof FakeRecords, entry: FakeRecords): Buffer[] {
  switch (type) {
    case 'A':
      return (entry.A ?? []).map((ip) => Buffer.from(ip.split('.').map(Number)));
    case 'AAAA':
      return (entry.AAAA ?? []).map(ipv6Bytes);
    case 'MX':
      return (entry.MX ?? []).map((mx) => {
        const pref = Buffer.alloc(2);
        pref.writeUInt16BE(mx.priority);
        return Buffer.concat([pref, encodeName(mx.exchange)]);
      });
    case 'TXT':
      return (entry.TXT ?? []).map((text) => {
        const bytes = Buffer.from(text, 'utf8');
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length || i === 0; i += 255) {
          const chunk = bytes.subarray(i, i + 255);
          chunks.push(Buffer.from([chunk.length]), chunk);
        }
        return Buffer.concat(chunks);
      });
    case 'PTR':
      return (entry.PTR ?? []).map(encodeName);
    default:
      return [];
  }
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l !== '');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
}

function ipv6Bytes(ip: string): Buffer {
  if (!isIPv6(ip)) throw new Error(`not an IPv6 address: ${ip}`);
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, null];
  const h = head === '' ? [] : head.split(':');
  const t = tail === null || tail === '' ? [] : tail.split(':');
  const words = tail === null ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(parseInt(w, 16), i * 2));
  return out;
}
