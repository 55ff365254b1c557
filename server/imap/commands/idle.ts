// IDLE (RFC 2177): after `+ idling`, the selected mailbox's changes — other sessions' new mail,
// flag changes and expunges (all allowed here, RFC 3501 §7.4.1) — are sent as they are committed:
// the view wakes this loop from the event bus, so a delivery is announced within the same event-loop
// turn it was committed in. `DONE` ends it; any other line is BAD. Allowed in the authenticated state
// too, where there is nothing to report until DONE.
import { AUTHENTICATED, NO_FLAGS, type CommandSpec } from '../command.js';
import { ImapBad } from '../errors.js';
import { isIdleDone } from '../wire/index.js';

export const idle: CommandSpec<'IDLE'> = {
  name: 'IDLE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session) {
    await session.sendUpdates();
    session.send({ kind: 'continue', text: 'idling' });
    for (;;) {
      const line = await session.readLineOrChange();
      if (line === null) {
        await session.sendUpdates();
        continue;
      }
      if (!isIdleDone(line)) throw new ImapBad('Expected DONE');
      return { text: 'IDLE terminated' };
    }
  },
};
