// AUTHENTICATE (RFC 3501 §6.2.2) with SASL-IR (RFC 4959): runs a server/auth SASL exchange over
// `+ challenge` / client-line round trips.
//
// Rules: only the mechanisms the capability list offers, and only where login is allowed (login.ts).
// A client line of `*` cancels the exchange (BAD); malformed base64 is BAD; a mechanism's SaslError
// (malformed or unexpected client data) fails the login with NO [AUTHENTICATIONFAILED]. SASL payloads
// are never logged.
import { SaslError } from '../../auth/sasl.js';
import { SASL_MECHANISMS } from '../capabilities.js';
import { NOT_AUTHENTICATED, NO_FLAGS, type CommandSpec } from '../command.js';
import { ImapBad, ImapNo } from '../errors.js';
import { parseSaslResponse } from '../wire/index.js';
import { concludeLogin, requireLoginAllowed } from './login.js';

const OFFERED: ReadonlySet<string> = new Set(SASL_MECHANISMS);

export const authenticate: CommandSpec<'AUTHENTICATE'> = {
  name: 'AUTHENTICATE',
  states: NOT_AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    requireLoginAllowed(session);
    if (!OFFERED.has(args.mechanism)) throw new ImapNo(`Unsupported authentication mechanism ${args.mechanism.slice(0, 40)}`);
    const exchange = session.ctx.auth.startSasl(args.mechanism, { protocol: 'imap', remoteIp: session.remoteIp, secure: session.secure });
    try {
      let step = await exchange.start(args.initialResponse ?? undefined);
      while (step.type === 'challenge') {
        session.send({ kind: 'continue', text: step.challenge.toString('base64') });
        const response = parseSaslResponse(await session.readLine());
        if (response === null) {
          exchange.cancel();
          throw new ImapBad('Authentication cancelled');
        }
        step = await exchange.step(response);
      }
      return concludeLogin(session, step.result);
    } catch (error) {
      if (error instanceof SaslError) throw new ImapNo(`Authentication failed: ${error.message}`, 'AUTHENTICATIONFAILED');
      throw error;
    }
  },
};
