// The admin side of the setup wizard's ports step (issue 7): would each chosen port bind, and if
// not, why and which port to use instead. Ports this running Mailroom holds count as fine.
import type { Logger } from '../../log.js';
import type { Settings } from '../../settings.js';
import { testPortSet } from '../../net/port-probe.js';
import { AdminSchemas, type AdminApi, type ListenerName } from '../contract.js';

export function createSetupAdmin(deps: { log: Logger; settings: () => Settings; listeners: () => Record<string, number> }): Pick<AdminApi, 'testPorts'> {
  return {
    async testPorts(input) {
      const { host, ports } = AdminSchemas.testPorts.parse(input);
      const s = deps.settings();
      const results = await testPortSet(
        Object.entries(ports).map(([name, port]) => ({ name: name as ListenerName, port: port!, host: host ?? (name === 'admin' ? s.adminHost : s.listenHost) })),
        deps.listeners(),
      );
      deps.log.info('admin.ports.test', { results: results.map((r) => `${r.name}:${r.port}:${r.status}`).join(' ') });
      return { results, allOk: results.every((r) => r.ok), note: 'Mailroom reads its ports when it starts: changed ports take effect at the next start.' };
    },
  };
}
