// NOTIFY (RFC 5465) for mailboxes other than the selected one: STATUS at SET STATUS, then unsolicited
// STATUS and LIST as other sessions change them — between commands, without the client asking — and
// in IDLE, until NOTIFY NONE; unsupported events are NO [BADEVENT].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImapTestClient } from './client.js';
import { message, startImap } from './harness.js';

const norm = (l: string): string => l.replace(/UIDVALIDITY \d+/, 'UIDVALIDITY v').replace(/HIGHESTMODSEQ \d+/, 'HIGHESTMODSEQ m');
const lines = (r: { untagged: Array<{ raw: Buffer }> }): string[] => r.untagged.map((u) => norm(u.raw.toString('latin1')));
/** The next `n` responses the server sends on its own. */
async function unsolicited(c: ImapTestClient, n: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < n) out.push(norm((await c.read()).raw.toString('latin1')));
  return out;
}

test('RFC 5465: STATUS and LIST for watched mailboxes, sent unsolicited', async (t) => {
  const f = await startImap(t);
  const other = await f.login();
  for (const name of ['Lists', 'Lists/dev', 'Saved', 'Other']) await other.transact('OK', `CREATE ${name}`);
  await f.deliver(message('one'), { mailbox: 'Lists/dev' });
  const c = await f.selected();
  assert.ok((await c.transact('OK', 'CAPABILITY')).untagged[0].values.includes('NOTIFY'));

  const set = await c.transact('OK', 'NOTIFY SET STATUS (SELECTED (MessageNew MessageExpunge)) (SUBTREE Lists (MessageNew MessageExpunge MailboxName)) (MAILBOXES Saved (FlagChange))');
  assert.deepEqual(lines(set), [
    '* STATUS Lists (MESSAGES 0 UIDNEXT 1 UIDVALIDITY v)',
    '* STATUS Lists/dev (MESSAGES 1 UIDNEXT 2 UIDVALIDITY v)',
    '* STATUS Saved (UIDVALIDITY v HIGHESTMODSEQ m)',
  ], 'the selected INBOX and the unwatched Other are left out');

  // Changes by others arrive with no command running.
  await f.deliver(message('two'), { mailbox: 'Lists/dev' });
  assert.deepEqual(await unsolicited(c, 1), ['* STATUS Lists/dev (MESSAGES 2 UIDNEXT 3 UIDVALIDITY v)']);
  await f.deliver(message('three'), { mailbox: 'Other' });
  await f.deliver(message('four'), { mailbox: 'Saved' }); // Saved watches FlagChange only
  await other.transact('OK', 'SELECT Saved');
  await other.transact('OK', 'STORE 1 +FLAGS (\\Flagged)');
  assert.deepEqual(await unsolicited(c, 1), ['* STATUS Saved (UIDVALIDITY v HIGHESTMODSEQ m)'], 'nothing for Other, nor for new mail in Saved');
  await other.transact('OK', 'CREATE Lists/ops');
  await other.transact('OK', 'RENAME Lists/ops Lists/sre');
  await other.transact('OK', 'DELETE Lists/sre');
  assert.deepEqual(await unsolicited(c, 3), ['* LIST () "/" Lists/ops', '* LIST () "/" Lists/sre ("OLDNAME" (Lists/ops))', '* LIST (\\NonExistent) "/" Lists/sre']);

  // In IDLE too; the selected mailbox keeps its usual EXISTS.
  c.send('I1 IDLE\r\n');
  assert.equal((await c.read()).tag, '+');
  await f.deliver(message('five'), { mailbox: 'Lists' });
  assert.deepEqual(await unsolicited(c, 1), ['* STATUS Lists (MESSAGES 1 UIDNEXT 2 UIDVALIDITY v)']);
  await f.deliver(message('six'));
  assert.deepEqual((await unsolicited(c, 2)).sort(), ['* 1 EXISTS', '* 1 RECENT']);
  c.send('DONE\r\n');
  await c.until('I1');

  // Refused events; NONE stops everything.
  assert.equal((await c.transact('NO', 'NOTIFY SET (PERSONAL (MessageNew SubscriptionChange))')).tagged.code, 'BADEVENT (MessageNew MessageExpunge FlagChange MailboxName)');
  assert.equal((await c.transact('NO', 'NOTIFY SET (SELECTED (MessageNew (UID) MessageExpunge))')).tagged.code?.split(' ')[0], 'BADEVENT');
  await c.transact('BAD', 'NOTIFY SET (NOWHERE (MessageNew))');
  await c.transact('BAD', 'NOTIFY GET');
  await c.transact('OK', 'NOTIFY NONE');
  await f.deliver(message('seven'), { mailbox: 'Lists' });
  assert.deepEqual(lines(await c.transact('OK', 'NOOP')), [], 'no notification after NONE');
  await c.logout();
  await other.logout();
});
