// Public surface of the SMTP package: the listeners for the composition root and the narrow auth
// interface they depend on (server/auth's Authenticator satisfies it).
export { createSmtpListeners, type SmtpListenerOptions } from './server.js';
export type { SmtpAuth } from './session.js';
export type { SmtpListenerName } from '../context.js';
