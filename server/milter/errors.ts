// Why a milter stopped being usable for this connection. Every one of these ends in the milter's
// default action (server/milter/milter-client.ts decides it, in one place).

/** The milter broke the protocol: a malformed packet, a reply that does not fit the event, an action
 *  it did not negotiate. */
export class MilterProtocolError extends Error {
  override name = 'MilterProtocolError';
}

/** The milter could not be reached, closed the connection, or did not answer in time. */
export class MilterUnavailableError extends Error {
  override name = 'MilterUnavailableError';
}

/** The milter configuration itself is unusable (bad endpoint, bad timeout). Raised when the chain is
 *  created, so a typo shows up at start-up rather than on the first mail. */
export class MilterConfigError extends Error {
  override name = 'MilterConfigError';
}
