// A ManageSieve session (RFC 5804): greeting with capabilities, then one command at a time from a
// table that says in which state each is allowed. Errors a command throws as ManageSieveNo become
// NO responses in this one place; anything else propagates to the listener, which logs it and
// ends the connection with BYE.
//
// State: anonymous until AUTHENTICATE succeeds, then authenticated as one account (UNAUTHENTICATE
// goes back). Credentials are taken before TLS only where the deployment allows plaintext login.

import type { SecureContext } from 'node:tls';
import { authCommands } from './auth-commands.js';
import type { ManageSieveConnection } from './connection.js';
import { capabilities, type Command, type ManageSieveDeps, type Session } from './context.js';
import { ManageSieveNo, response } from './responses.js';
import { scriptCommands } from './script-commands.js';

const COMMANDS: Record<string, Command> = { ...authCommands, ...scriptCommands };

export async function runSession(connection: ManageSieveConnection, deps: ManageSieveDeps, secureContext: SecureContext): Promise<void> {
  const session: Session = { connection, deps, secureContext, state: { kind: 'anonymous' }, log: deps.log };
  await connection.write(capabilities(session, 'Mailroom ManageSieve ready'));
  for (;;) {
    const framed = await connection.next();
    if (framed === null) return;
    if (framed.kind === 'bad') {
      await connection.write(response('NO', `Bad command: ${framed.reason}`));
      continue;
    }
    if (framed.kind === 'too-big') {
      await connection.write(response('NO', `A string of ${framed.size} bytes is larger than this server accepts`, 'QUOTA/MAXSIZE'));
      continue;
    }
    const command = COMMANDS[framed.name];
    if (command === undefined) {
      await connection.write(response('NO', `Unknown command ${framed.name.slice(0, 40)}`));
      continue;
    }
    if (!command.states.includes(session.state.kind)) {
      await connection.write(response('NO', session.state.kind === 'anonymous' ? 'Authenticate first' : 'Already authenticated'));
      continue;
    }
    try {
      if ((await command.run(session, framed.args)) === 'logout') {
        await connection.close();
        return;
      }
    } catch (error) {
      if (!(error instanceof ManageSieveNo)) throw error;
      await connection.write(response('NO', error.text, error.code));
    }
  }
}
