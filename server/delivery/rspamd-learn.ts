// rspamd's controller (its HTTP worker, port 11334 by default): POST /learnspam or /learnham with the
// message as the body and the controller password in the `Password` header, as `rspamc learn_spam`
// does. A message rspamd already learned the same way answers an error naming that; it counts as
// done, not as a failure.
export type LearnKind = 'spam' | 'ham';

export interface LearnOutcome {
  ok: boolean;
  /** rspamd's answer (`{"success":true}` or its error text), or why the request failed. */
  detail: string;
}

export async function learnRspamd(controller: string, password: string, kind: LearnKind, message: Buffer, timeoutMs = 30_000): Promise<LearnOutcome> {
  const url = new URL(kind === 'spam' ? 'learnspam' : 'learnham', controller.endsWith('/') ? controller : `${controller}/`);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: password === '' ? {} : { Password: password },
      body: message,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = (await response.text()).slice(0, 500);
    const already = /already learned/i.test(text);
    return { ok: response.ok || already, detail: already ? 'already learned' : text.trim() || `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
