// `mailroom dns check DOMAIN`: the records a hosted domain should publish and what the configured
// resolver answers for each (the admin service's checkDns, as the GUI's DNS check shows it). Exit 1
// when a record the domain needs is missing or wrong, so a script can wait for DNS to be right.
import type { Command } from 'commander';
import type { DnsRecordStatus } from '../../admin/contract.js';
import { printable } from './output.js';
import { withSession, type CliEnv } from './session.js';
import { Refused } from './errors.js';

const LABEL: Record<DnsRecordStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', unchecked: '-   ' };

export function registerDns(program: Command, env: CliEnv) {
  const dns = program.command('dns').description('the DNS records of the hosted domains');
  dns
    .command('check')
    .description('ask the configured resolver for each record a domain should publish (MX, A/AAAA, SPF, DKIM, DMARC, PTR, client lookups)')
    .argument('<domain>', 'a hosted domain')
    .action((domain: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const report = await api.checkDns({ domain });
        if (out.json) out.io.print(JSON.stringify(report));
        else {
          out.io.print(printable(`DNS of ${report.domain} (server ${report.hostname}), asked of ${report.resolver}:`));
          for (const r of report.records) {
            out.io.print(printable(`${LABEL[r.status]}  ${r.type.padEnd(5)} ${r.name}${r.optional ? ' (optional)' : ''}`));
            out.io.print(printable(`      publish: ${r.value}`));
            if (r.found.length > 0) out.io.print(printable(`      found:   ${r.found.join(' | ')}`));
            out.io.print(printable(`      ${r.detail}`));
          }
        }
        if (report.status === 'fail') throw new Refused(`${report.records.filter((r) => r.status === 'fail' && !r.optional).length} record(s) missing or wrong`);
      }),
    );
}
