// Long answers (a FETCH, STORE or MOVE over a whole big mailbox) go out in slices, and the event loop
// turns between slices, so other sessions and new connections are served meanwhile (issue 20).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ImapResponse } from './wire/index.js';

/** Responses sent between two turns of the loop. */
export const RESPONSE_SLICE = 1000;

interface Sender {
  send(response: ImapResponse): void;
  flush(): Promise<void>;
}

/** Sends what is queued (honouring backpressure), then lets the loop turn once. */
export async function letOthersRun(session: Sender): Promise<void> {
  await session.flush();
  await nextTurn();
}

/** Sends `responses`, letting the loop turn after every RESPONSE_SLICE of them. */
export async function sendSliced(session: Sender, responses: readonly ImapResponse[]): Promise<void> {
  for (let i = 0; i < responses.length; i++) {
    session.send(responses[i]);
    if ((i + 1) % RESPONSE_SLICE === 0) await letOthersRun(session);
  }
}
