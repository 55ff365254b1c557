// Python's poplib as an independent POP3 client: STLS, USER/PASS, STAT/LIST/UIDL/RETR/TOP, DELE, RSET,
// QUIT, then implicit TLS. poplib un-stuffs dots itself, so its RETR lines check our stuffing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { ADDRESS, PASSWORD, message, startPop3 } from '../protocol/pop3/harness.js';

const SCRIPT = String.raw`
import json, poplib, ssl, sys
port, tls_port, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
context = ssl._create_unverified_context()
out = {}
p = poplib.POP3('127.0.0.1', port, timeout=10)
out['welcome'] = p.getwelcome().decode()
out['capa'] = sorted(p.capa().keys())
p.stls(context)
p.user(user)
try:
    p.pass_('wrong password')
except poplib.error_proto as e:
    out['wrong'] = e.args[0].decode()
p.user(user)
p.pass_(password)
out['stat'] = list(p.stat())
out['list'] = [l.decode() for l in p.list()[1]]
resp, lines, octets = p.retr(1)
out['retr'] = {'resp': resp.decode(), 'text': b'\r\n'.join(lines).decode('latin1'), 'octets': octets}
out['top'] = b'\r\n'.join(p.top(2, 1)[1]).decode('latin1')
out['uidl'] = [l.decode() for l in p.uidl()[1]]
p.dele(1)
p.rset()
p.dele(2)
out['quit'] = p.quit().decode()
q = poplib.POP3_SSL('127.0.0.1', tls_port, context=context, timeout=10)
q.user(user)
q.pass_(password)
out['after'] = list(q.stat())
out['uidl_after'] = [l.decode() for l in q.uidl()[1]]
q.quit()
print(json.dumps(out))
`;

function python(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', SCRIPT, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test('poplib reads, deletes and sees the deletion in a new session', async (t) => {
  const f = await startPop3(t, { plaintextFromTrusted: false });
  const dots = message('dots', '.leading dot\r\n..two\r\n.\r\nplain\r\n');
  const second = message('second', 'line 1\r\nline 2\r\n');
  await f.deliver(dots);
  await f.deliver(second);
  const validity = (await f.ctx.store.mailboxes.require(f.accountId, 'INBOX')).uidValidity;

  const out = JSON.parse(await python([String(f.ports.pop3), String(f.ports.pop3s), ADDRESS, PASSWORD])) as Record<string, unknown>;

  assert.match(out.welcome as string, /^\+OK /);
  assert.deepEqual(out.capa, ['AUTH-RESP-CODE', 'CAPA', 'EXPIRE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'STLS', 'TOP', 'UIDL']);
  assert.equal(out.wrong, '-ERR [AUTH] Authentication failed');
  assert.deepEqual(out.stat, [2, dots.length + second.length]);
  assert.deepEqual(out.list, [`1 ${dots.length}`, `2 ${second.length}`]);
  assert.deepEqual(out.retr, { resp: `+OK ${dots.length} octets`, text: dots.slice(0, -2), octets: dots.length });
  assert.equal(out.top, message('second', 'line 1'));
  assert.deepEqual(out.uidl, [`1 ${validity}.1`, `2 ${validity}.2`]);
  assert.equal(out.quit, '+OK Bye, 1 message(s) deleted');
  assert.deepEqual(out.after, [1, dots.length]);
  assert.deepEqual(out.uidl_after, [`1 ${validity}.1`]);
  assert.deepEqual(
    (await f.ctx.store.messages.list(f.inboxId)).map((m) => m.uid),
    [1],
  );
});
