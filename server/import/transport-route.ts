// Postfix transport(5) values as old servers store them, in Mailroom's routes. Local delivery agents
// (`virtual`, `lmtp:...`, `dovecot`, `local`, `maildrop`) become no entry at all: a domain Mailroom
// hosts is delivered locally anyway. `smtp`/`relay` with a next hop relay, `error`/`discard` reject;
// anything else (`uucp:`, `pipe` services, a bare next hop without brackets) is unsupported.
import type { TransportRoute } from '../store/transports.js';

export type TransportMapping = { kind: 'none' } | { kind: 'route'; route: TransportRoute } | { kind: 'unsupported'; reason: string };

const LOCAL_AGENTS = new Set(['virtual', 'lmtp', 'dovecot', 'local', 'maildrop', 'deliver', 'procmail']);

export function mapTransport(value: string): TransportMapping {
  const trimmed = value.trim();
  const colon = trimmed.indexOf(':');
  const agent = (colon === -1 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  const nexthop = colon === -1 ? '' : trimmed.slice(colon + 1).trim();
  if (LOCAL_AGENTS.has(agent)) return { kind: 'none' };
  if (agent === 'error' || agent === 'discard') return { kind: 'route', route: { kind: 'reject' } };
  if (agent === 'smtp' || agent === 'relay' || (agent === '' && nexthop !== '')) {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(nexthop);
    if (!m) return { kind: 'unsupported', reason: `"${trimmed}" names no next hop Mailroom can relay to` };
    const port = m[3] === undefined ? 25 : Number(m[3]);
    if (port < 1 || port > 65535) return { kind: 'unsupported', reason: `port ${m[3]} is out of range` };
    return { kind: 'route', route: { kind: 'smtp', host: (m[1] ?? m[2]).toLowerCase(), port, mxLookup: m[1] === undefined } };
  }
  return { kind: 'unsupported', reason: `the Postfix transport "${agent}" has no Mailroom equivalent` };
}
