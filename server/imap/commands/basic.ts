// CAPABILITY, NOOP, CHECK, LOGOUT (RFC 3501 §6.1, §6.4.1): the commands that only answer. NOOP and
// CHECK have no work of their own: the session reports the selected mailbox's changes after every
// command, which is what clients send them for (RFC 3501 §6.1.2 "poll for new messages").
import { ANY_STATE, NO_FLAGS, SELECTED, type CommandSpec } from '../command.js';

export const capability: CommandSpec<'CAPABILITY'> = {
  name: 'CAPABILITY',
  states: ANY_STATE,
  flags: NO_FLAGS,
  run(session) {
    session.send({ kind: 'capability', capabilities: session.capabilities() });
    return { text: 'Capability completed' };
  },
};

export const noop: CommandSpec<'NOOP'> = {
  name: 'NOOP',
  states: ANY_STATE,
  flags: NO_FLAGS,
  run: () => ({ text: 'NOOP completed' }),
};

// CHECK requests a checkpoint; every write here is committed before its OK, so there is none to make.
export const check: CommandSpec<'CHECK'> = {
  name: 'CHECK',
  states: SELECTED,
  flags: NO_FLAGS,
  run: () => ({ text: 'CHECK completed' }),
};

export const logout: CommandSpec<'LOGOUT'> = {
  name: 'LOGOUT',
  states: ANY_STATE,
  flags: NO_FLAGS,
  run(session) {
    // Nothing but the tagged OK may follow BYE: pending updates of the selected mailbox are dropped.
    session.deselect();
    session.send({ kind: 'untagged', status: 'BYE', text: 'Logging out' });
    return { text: 'LOGOUT completed', then: 'logout' };
  },
};
