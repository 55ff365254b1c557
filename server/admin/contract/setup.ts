// The first-run wizard's TLS certificate and port bind test (issue 7): the admin contract's setup area.
import { z } from 'zod';
import { PORT_NAMES, RunPortSchema, type PortName } from '../../settings.js';
import type { CertificateDescription } from '../../tls/inspect.js';
import type { InputOf } from './fields.js';

export const SetupSchemas = {
  getTlsInfo: z.object({}),
  importCertificate: z.object({
    certPem: z.string({ error: 'Paste the certificate chain.' }).trim().min(1, 'Paste the certificate chain (PEM) or pick its file.').max(100_000, 'The certificate text is too long.'),
    keyPem: z.string({ error: 'Paste the private key.' }).trim().min(1, 'Paste the private key (PEM) or pick its file.').max(100_000, 'The private key text is too long.'),
  }),
  renewSelfSigned: z.object({}),
  testPorts: z.object({
    host: z.string().trim().min(1).max(253).optional(),
    ports: z.partialRecord(z.enum(PORT_NAMES), RunPortSchema),
  }),
} as const;

type In<M extends keyof typeof SetupSchemas> = InputOf<typeof SetupSchemas, M>;

export type ListenerName = PortName;

/** What the wizard shows of a certificate (computed by server/tls/inspect.ts; a type-only import). */
export type CertificateView = CertificateDescription;

export interface TlsInfo {
  /** The certificate in the data folder's tls/cert.pem. */
  certificate: CertificateView;
  /** The server's hostname setting, and whether the certificate names it (clients check that). */
  hostname: string;
  namesHostname: boolean;
  /** True when the running listeners use another pair than tls/cert.pem (it could not be loaded: see the log); a new import is applied at once. */
  restartNeeded: boolean;
}

export interface CertificateImportResult extends TlsInfo {
  /** A sentence for the admin: imported, and when the mail listeners use it. */
  message: string;
}

export type PortTestStatus = 'free' | 'mailroom' | 'privileged' | 'in-use' | 'duplicate' | 'unavailable';

export interface PortTestResult {
  name: ListenerName;
  port: number;
  host: string;
  /** free, or held by this running Mailroom. */
  ok: boolean;
  status: PortTestStatus;
  /** The system's error code when the bind failed (EACCES, EADDRINUSE, …). */
  code?: string;
  /** What happened, in a sentence, and what to do about it. */
  explanation: string;
  /** A port that binds now and that no other listener uses, offered instead of a failing one. */
  alternative?: number;
}

export interface PortTestReport {
  results: PortTestResult[];
  allOk: boolean;
  /** Ports are read at start: changing them takes effect at the next start. */
  note: string;
}

export interface SetupApi {
  /** The server's certificate as stored in the data folder. */
  getTlsInfo(input?: In<'getTlsInfo'>): Promise<TlsInfo>;
  /** Checks a PEM chain and key (readable, matching, valid now, chain in order) and stores them; refusals name the problem and the field. */
  importCertificate(input: In<'importCertificate'>): Promise<CertificateImportResult>;
  /** Replaces the certificate with a new self-signed one for the current hostname setting. */
  renewSelfSigned(input?: In<'renewSelfSigned'>): Promise<CertificateImportResult>;
  /** Tries to bind each port (then lets go at once) and explains each failure, with an alternative port. */
  testPorts(input: In<'testPorts'>): Promise<PortTestReport>;
}
