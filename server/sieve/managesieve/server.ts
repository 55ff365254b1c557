// The ManageSieve listener (RFC 5804, port 4190): plain with STARTTLS, over server/net's TCP
// listener. Not wired into server/index.ts yet: the lead does that once the store is asynchronous,
// adding "managesieve" to PORT_NAMES and a script repository over the store.

import { randomBytes } from 'node:crypto';
import type { Listener, PortName } from '../../index.js';
import { createTcpListener } from '../../net/tcp-listener.js';
import { ManageSieveConnection } from './connection.js';
import { response } from './responses.js';
import type { ManageSieveDeps } from './context.js';
import { runSession } from './session.js';

export type { ManageSieveDeps } from './context.js';
export type { SieveScriptRepository, SieveScriptSummary } from './repository.js';
export { MAX_SCRIPTS_PER_ACCOUNT, MAX_SCRIPT_NAME_LENGTH } from './repository.js';

export const MANAGESIEVE_PORT = 4190;

export interface ManageSieveListenerOptions extends ManageSieveDeps {
  /** The listener's name in the ready line ("managesieve" once PORT_NAMES has it). */
  name: PortName;
  identity: () => { key: string; cert: string };
  /** The cap on concurrent sessions, read per connection. */
  maxConnections(): number;
  /** The slowest a started command may arrive, read per connection (0: no check). */
  minBytesPerSecond(): number;
}

export function createManageSieveListener(options: ManageSieveListenerOptions): Listener {
  return createTcpListener({
    name: options.name,
    implicitTls: false,
    identity: options.identity,
    log: options.log.child({ component: 'managesieve' }),
    tlsFailedEvent: 'managesieve.tls.failed',
    maxConnections: options.maxConnections,
    busy: response('BYE', 'Too many connections, try again later', 'TRYLATER'),
    connect: (socket, secure) => new ManageSieveConnection(socket, secure, options.minBytesPerSecond()),
    async serve(connection, secureContext) {
      const log = options.log.child({ component: 'managesieve', sessionId: randomBytes(6).toString('hex'), fields: { remote: connection.remoteIp } });
      log.info('managesieve.connect', {});
      try {
        await runSession(connection, { ...options, log }, secureContext);
      } catch (error) {
        log.error('managesieve.session.failed', { error });
        await connection.write(response('BYE', 'Internal error'));
        connection.destroy();
      }
    },
  });
}
