// IMAP Junk learning against a real rspamd (issue 16): python's imaplib moves one message into Junk
// and one out of it; rspamd's controller (started by the test, Bayes in sqlite) records one spam and
// one ham learn, the sender moved out of Junk is on the user's allow list, and moving it back into
// Junk takes it off again.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { LogRow } from '../../server/store/log.js';
import { RSPAMD_START_LIMIT_MS, startRspamd, type Rspamd } from '../helpers/rspamd.js';
import { ADDRESS, PASSWORD, startImap, type ImapFixture } from '../protocol/imap/harness.js';

let rspamd: Rspamd;
before(async () => {
  rspamd = await startRspamd();
}, { timeout: RSPAMD_START_LIMIT_MS + 10_000 });
after(() => rspamd?.stop());

const WORDS = 'cheap pills discount medication limited offer click here order today best prices guaranteed without prescription';
const mail = (sender: string, subject: string, body: string) =>
  `Return-Path: <${sender}>\r\nFrom: <${sender}>\r\nTo: <${ADDRESS}>\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@test>\r\nDate: Thu, 01 Jan 2026 10:00:00 +0000\r\n\r\n${body}\r\n`;

/** imaplib: LOGIN, then for each [from, uid, to] SELECT from and UID MOVE (or COPY) uid to; prints the replies. */
const SCRIPT = `
import imaplib, sys
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4('127.0.0.1', port)
m.login(user, password)
for step in sys.argv[4:]:
    command, source, uid, target = step.split(',')
    m.select(source)
    typ, data = m.uid(command, uid, target)
    print(command, source, uid, target, typ)
m.logout()
`;

function imaplib(f: ImapFixture, steps: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', SCRIPT, String(f.ports.imap), ADDRESS, PASSWORD, ...steps], { timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** Resolves with the first `count` log rows named `event` (bounded wait). */
function logRows(f: ImapFixture, event: string, count: number): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`only ${rows.length} ${event} log rows`))), 60_000);
    const off = f.ctx.bus.on('log', (r) => {
      if (r.event !== event) return;
      rows.push(r);
      if (rows.length === count) {
        clearTimeout(timer);
        off();
        resolve(rows);
      }
    });
  });
}

test('imaplib moves into and out of Junk reach rspamd learnspam/learnham and the allow list', { timeout: 180_000 }, async (t) => {
  const f = await startImap(t);
  await f.admin.updateSettings({ spam: { rspamdController: rspamd.controller, rspamdPassword: rspamd.password } });
  const spamUid = await f.deliver(mail('offer@pushy.example', 'offer', WORDS));
  const hamUid = await f.deliver(mail('friend@outside.example', 'lunch', 'Shall we have lunch tomorrow at the usual place near the station, around noon or a bit later?'), { mailbox: 'Junk' });
  const before = await rspamd.stat();

  const learned = logRows(f, 'junk.learned', 2);
  const out = await imaplib(f, [`MOVE,INBOX,${spamUid},Junk`, `MOVE,Junk,${hamUid},INBOX`]);
  assert.match(out, /MOVE INBOX \d+ Junk OK\nMOVE Junk \d+ INBOX OK/);
  assert.deepEqual((await learned).map((r) => r.fields.kind).sort(), ['ham', 'spam']);

  const stat = await rspamd.stat();
  assert.equal(stat.learned - before.learned, 2);
  const revision = (symbol: string) => stat.statfiles.find((s) => s.symbol === symbol)?.revision;
  assert.deepEqual([revision('BAYES_SPAM'), revision('BAYES_HAM')], [1, 1]);
  const allowed = await f.admin.listSenderLists({ user: ADDRESS });
  assert.deepEqual(allowed.map((e) => [e.list, e.pattern, e.source]), [['allow', 'friend@outside.example', 'junk-folder']]);

  const relearned = logRows(f, 'junk.learned', 1);
  const unallowed = logRows(f, 'junk.unallowed', 1);
  assert.match(await imaplib(f, [`COPY,INBOX,*,Junk`]), /COPY INBOX \* Junk OK/);
  await Promise.all([relearned, unallowed]);
  assert.deepEqual(await f.admin.listSenderLists({ user: ADDRESS }), []);
});
