// Port probing for the setup wizard's ports step (issue 7): can this process bind a port, and if not,
// why (privileges, another program, not an address here) and which nearby port would do instead.
// Each probe binds exclusively and lets go at once; it never keeps a port.
import { createServer } from 'node:net';
import type { ListenerName, PortTestResult } from '../admin/contract.js';
import { DEFAULT_PORTS } from '../settings.js';

/** The common unprivileged stand-in for SMTP's port 25. */
const SMTP_ALTERNATIVE = 2525;
/** The common unprivileged stand-in for HTTP's port 80 (the autoconfig listener). */
const HTTP_ALTERNATIVE = 8080;

/**
 * The usual unprivileged stand-in for a listener on its standard port: 2525 for SMTP, 8080 for HTTP, 1 before the
 * standard number for the others (587 → 1587); none for other ports.
 */
export function usualAlternative(name: ListenerName, port: number): number | undefined {
  if (port !== DEFAULT_PORTS[name] || port >= 1024) return undefined;
  if (name === 'autoconfig') return HTTP_ALTERNATIVE;
  return name === 'smtp' ? SMTP_ALTERNATIVE : 1000 + port;
}
/** How many ports above a failing one the search for a free alternative tries. */
const ALTERNATIVE_SEARCH = 50;

/** Binds `host:port` exclusively and lets go at once: undefined when that worked, else the error. */
export function tryBind(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * The bind test of the ports step: each port is tried in turn on its host. A port that this running
 * Mailroom holds is fine (it is ours); one named twice in the set is refused; every failure carries
 * an explanation and, where one binds, an alternative that no other listener in the set uses.
 */
export async function testPortSet(wanted: Array<{ name: ListenerName; port: number; host: string }>, held: Record<string, number>): Promise<PortTestResult[]> {
  const results: PortTestResult[] = [];
  const taken = new Set(wanted.map((w) => w.port));
  for (const held_port of Object.values(held)) taken.add(held_port);
  const alternativeFor = async (name: ListenerName, host: string, port: number): Promise<number | undefined> => {
    const candidates = [usualAlternative(name, port), ...Array.from({ length: ALTERNATIVE_SEARCH }, (_, i) => (port < 1024 ? 10_000 + port : port + 1) + i)];
    for (const candidate of candidates) {
      if (candidate === undefined || candidate > 65535 || taken.has(candidate)) continue;
      if ((await tryBind(host, candidate)) === undefined) {
        taken.add(candidate);
        return candidate;
      }
    }
    return undefined;
  };
  const useInstead = (n: number | undefined) => (n === undefined ? '' : `; or use the alternative port ${n}`);

  for (const { name, port, host } of wanted) {
    const base = { name, port, host };
    const owner = Object.entries(held).find(([, p]) => p === port)?.[0];
    const twin = wanted.find((w) => w.port === port && w.name !== name && port !== 0);
    if (twin && wanted.indexOf(twin) < wanted.findIndex((w) => w.name === name)) {
      const alternative = await alternativeFor(name, host, port);
      results.push({ ...base, ok: false, status: 'duplicate', alternative, explanation: `Port ${port} is also chosen for ${twin.name}; two listeners cannot share a port${useInstead(alternative)}.` });
      continue;
    }
    if (owner !== undefined && port !== 0) {
      results.push({ ...base, ok: true, status: 'mailroom', explanation: `In use by this Mailroom (its ${owner} listener).` });
      continue;
    }
    const error = await tryBind(host, port);
    if (error === undefined) {
      results.push({ ...base, ok: true, status: 'free', explanation: `Port ${port} on ${host} is free.` });
      continue;
    }
    const code = error.code ?? 'unknown';
    if (code === 'EACCES') {
      const alternative = await alternativeFor(name, host, port);
      results.push({
        ...base,
        ok: false,
        status: 'privileged',
        code,
        alternative,
        explanation:
          `Ports below 1024 need privileges: on Linux grant them with \`sudo setcap cap_net_bind_service=+ep ${process.execPath}\` ` +
          `(the deb package does this)${useInstead(alternative)}.`,
      });
    } else if (code === 'EADDRINUSE') {
      const alternative = await alternativeFor(name, host, port);
      results.push({ ...base, ok: false, status: 'in-use', code, alternative, explanation: `Another program (maybe another mail server) uses port ${port}${useInstead(alternative)}.` });
    } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      results.push({ ...base, ok: false, status: 'unavailable', code, explanation: `${host} is not an address of this machine; pick one of its addresses, or 0.0.0.0 for all.` });
    } else {
      results.push({ ...base, ok: false, status: 'unavailable', code, explanation: `Port ${port} on ${host} cannot be opened: ${error.message}.` });
    }
  }
  return results;
}
