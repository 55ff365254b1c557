// The admin side of the TLS certificate (issue 7, issue 18): show the stored one, import a chain and
// key (checked: readable, matching, valid now, in order), or make a new self-signed one. A running
// server applies the new pair at once to new connections (tls/live-identity.ts); in the CLI there is
// no listener here, and a running server picks the files up within a second.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Settings } from '../../settings.js';
import { createSelfSigned, loadOrCreateCertificate, saveCertificate, type TlsIdentity } from '../../tls/certificate.js';
import { CertificateError, checkCertificatePair, describeCertificate, namesHost } from '../../tls/inspect.js';
import { AdminError, AdminSchemas, type AdminApi, type TlsInfo } from '../contract.js';

export type TlsAdmin = Pick<AdminApi, 'getTlsInfo' | 'importCertificate' | 'renewSelfSigned'>;

export interface TlsAdminDeps {
  clock: Clock;
  log: Logger;
  settings: () => Settings;
  /** The data folder (its tls/ holds the certificate); without it the methods answer not-found. */
  dataDir?: string;
  /** The identity the running listeners use now (absent in the CLI: no listeners in this process). */
  runningTls?: () => TlsIdentity;
  /** Makes the running listeners take the data folder's pair now. */
  reloadTls?: () => boolean;
}

export function createTlsAdmin(deps: TlsAdminDeps): TlsAdmin {
  const { clock, log, settings } = deps;

  const dataDirOf = (): string => {
    if (deps.dataDir === undefined) throw new AdminError('not-found', 'This admin service has no data folder, so it has no certificate to show or replace.');
    return deps.dataDir;
  };

  const tlsInfo = (certPem: string): TlsInfo => {
    const hostname = settings().hostname;
    const running = deps.runningTls?.().cert;
    return {
      certificate: describeCertificate(certPem),
      hostname,
      namesHostname: namesHost(certPem, hostname),
      restartNeeded: running !== undefined && running.trim() !== certPem.trim(),
    };
  };

  return {
    async getTlsInfo() {
      return tlsInfo(loadOrCreateCertificate(dataDirOf(), settings().hostname, clock.now()).cert);
    },
    async importCertificate(input) {
      const { certPem, keyPem } = AdminSchemas.importCertificate.parse(input);
      const dataDir = dataDirOf();
      let checked: ReturnType<typeof checkCertificatePair>;
      try {
        checked = checkCertificatePair({ certPem, keyPem }, clock.now());
      } catch (error) {
        if (error instanceof CertificateError) throw new AdminError('invalid', error.message, error.field);
        throw error;
      }
      saveCertificate(dataDir, checked);
      deps.reloadTls?.();
      const info = tlsInfo(checked.cert);
      log.info('admin.tls.import', { subject: info.certificate.subject, fingerprint: info.certificate.fingerprint256, validTo: info.certificate.validTo });
      const naming = info.namesHostname ? '' : ` Note: it does not name ${info.hostname}, so mail clients connecting by that name will warn.`;
      return { ...info, message: `Certificate for ${info.certificate.commonName ?? info.certificate.subject} imported. ${inUse(info)}${naming}` };
    },
    async renewSelfSigned() {
      const dataDir = dataDirOf();
      const hostname = settings().hostname;
      const identity = createSelfSigned(hostname, clock.now());
      saveCertificate(dataDir, identity);
      deps.reloadTls?.();
      const info = tlsInfo(identity.cert);
      log.info('admin.tls.renew-self-signed', { hostname, fingerprint: info.certificate.fingerprint256 });
      return { ...info, message: `A new self-signed certificate for ${hostname} was made. ${inUse(info)}` };
    },
  };

  /** When the listeners use the stored pair: now (this process serves), or a running server's next look. */
  function inUse(info: TlsInfo): string {
    if (deps.runningTls === undefined) return 'A running Mailroom uses it for new connections within a second; open ones keep the old one.';
    if (info.restartNeeded) return 'The running listeners could not load it and keep the previous one; see the log (tls.reload-refused).';
    return 'New connections use it now; open ones keep the old one until they reconnect.';
  }
}
