// What the POP3 server needs from auth: the narrow slice of server/auth's Authenticator that USER/PASS
// and AUTH (RFC 5034) use, so the composition root can pass the authenticator itself and tests a fake.
// Throttling and blocking happen behind verify/startSasl, the same for POP3 as for IMAP and SMTP.
import type { AuthContext, AuthResult, SaslExchange } from '../auth/authenticator.js';
import type { Credentials } from '../auth/sasl.js';

export type { AuthContext, AuthResult, SaslExchange } from '../auth/authenticator.js';

export interface Pop3Auth {
  verify(credentials: Credentials, context: AuthContext): Promise<AuthResult>;
  /** Throws SaslError('unsupported-mechanism') for a mechanism it does not know. */
  startSasl(mechanism: string, context: AuthContext): SaslExchange;
}
