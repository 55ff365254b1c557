// The CLI's exit codes (README "Commands") and the one error that is the user's to fix by rewording
// the command. Everything the admin service refuses is an AdminError (exit 1); anything else that
// escapes a command is internal (exit 3).
export const EXIT = { done: 0, refused: 1, usage: 2, internal: 3, interrupted: 130 } as const;

/** Bad or missing arguments that the parser itself cannot see (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A refusal that does not come from the admin service (serve cannot bind its admin port): exit 1. */
export class Refused extends Error {
  override name = 'Refused';
}

/** Ctrl-C at a prompt (exit 130, as a shell reports SIGINT). */
export class Interrupted extends Error {
  override name = 'Interrupted';
}
