// `mailroom cert show|import|renew`: the server's TLS certificate (issue 18 §3), through the admin
// service as the GUI's Certificate settings. The files land in the data folder's tls/; a running
// server takes them for new connections within a second, without a restart.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { TlsInfo } from '../../admin/contract.js';
import { printable } from './output.js';
import { withSession, type CliEnv } from './session.js';
import { UsageError } from './errors.js';

function describe(info: TlsInfo): string[] {
  const c = info.certificate;
  return [
    `subject:     ${c.subject}`,
    `names:       ${c.altNames.join(', ') || '(none)'}`,
    `issuer:      ${c.selfSigned ? 'self-signed' : c.issuer}`,
    `valid:       ${new Date(c.validFrom).toISOString()} to ${new Date(c.validTo).toISOString()}`,
    `key:         ${c.keyType}, chain of ${c.chainLength}`,
    `fingerprint: ${c.fingerprint256}`,
    `hostname:    ${info.hostname} (${info.namesHostname ? 'named by the certificate' : 'NOT named by the certificate: clients will warn'})`,
  ];
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function registerCert(program: Command, env: CliEnv) {
  const cert = program.command('cert').description('the TLS certificate of the mail listeners');

  cert
    .command('show')
    .description('describe the certificate in use')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const info = await api.getTlsInfo({});
        if (out.json) out.io.print(JSON.stringify(info));
        else for (const line of describe(info)) out.io.print(printable(line));
      }),
    );

  cert
    .command('import')
    .description('check a PEM chain and private key and use them (a running server applies them to new connections)')
    .requiredOption('--cert <file>', 'the certificate chain (PEM): the server certificate first, then intermediates')
    .requiredOption('--key <file>', 'its private key (PEM, without a passphrase)')
    .action((opts: { cert: string; key: string }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const result = await api.importCertificate({ certPem: readPem(opts.cert, 'certificate'), keyPem: readPem(opts.key, 'key') });
        out.item(result, result.message);
      }),
    );

  cert
    .command('renew')
    .description('replace the certificate with a new self-signed one for the hostname setting')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const result = await api.renewSelfSigned({});
        out.item(result, result.message);
      }),
    );
}
