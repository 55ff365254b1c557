// The admin side of the transport map: per-domain routes for outbound mail (deliver here, refuse, or
// relay through a given host), written in Postfix transport(5) syntax.
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import type { TransportRoute } from '../../store/transports.js';
import { normalizeDomain } from '../../mime/addr-spec.js';
import { AdminError, AdminSchemas, type AdminApi, type TransportView } from '../contract.js';
import { guard } from './errors.js';

export type TransportAdmin = Pick<AdminApi, 'listTransports' | 'setTransport' | 'removeTransport'>;

export function createTransportAdmin(deps: { store: Store; log: Logger }): TransportAdmin {
  const { store, log } = deps;
  return {
    async listTransports() {
      return (await store.transports.list()).map((t) => ({ domain: t.domain, route: formatRoute(t.route) }));
    },
    async setTransport(input) {
      const { domain, route } = AdminSchemas.setTransport.parse(input);
      const name = guard(() => normalizeDomain(domain), 'domain');
      const parsed = parseRoute(route);
      const t = await store.transports.set(name, parsed);
      log.info('admin.transport.set', { domain: name, route: formatRoute(parsed) });
      return { domain: t.domain, route: formatRoute(t.route) } satisfies TransportView;
    },
    async removeTransport(input) {
      const { domain } = AdminSchemas.removeTransport.parse(input);
      const name = guard(() => normalizeDomain(domain), 'domain');
      if (!await store.transports.remove(name)) throw new AdminError('not-found', `There is no transport entry for ${name}.`, 'domain');
      log.info('admin.transport.remove', { domain: name });
    },
  };
}

/** `local`, `reject`, `smtp:[host]:port`, `smtp:host:port`, `smtp:[host]`, `smtp:host` (Postfix transport(5) syntax). */
export function parseRoute(route: string): TransportRoute {
  const r = route.trim();
  if (r === 'local') return { kind: 'local' };
  if (r === 'reject' || r === 'error') return { kind: 'reject' };
  const m = /^smtp:(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(r);
  if (!m) throw new AdminError('invalid', `"${r}" is not a route. Use local, reject, smtp:[host]:port (fixed host) or smtp:host:port (MX lookup).`, 'route');
  const port = m[3] === undefined ? 25 : Number(m[3]);
  if (port < 1 || port > 65535) throw new AdminError('invalid', `Port ${m[3]} is out of range (1 to 65535).`, 'route');
  const host = (m[1] ?? m[2]).trim().toLowerCase();
  if (host === '') throw new AdminError('invalid', 'The route names no host.', 'route');
  return { kind: 'smtp', host, port, mxLookup: m[1] === undefined };
}

export function formatRoute(route: TransportRoute): string {
  if (route.kind !== 'smtp') return route.kind;
  return route.mxLookup ? `smtp:${route.host}:${route.port}` : `smtp:[${route.host}]:${route.port}`;
}
