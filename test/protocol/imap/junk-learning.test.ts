// IMAP Junk learning without rspamd (issue 16): what a move or copy says (junkSignal), whose sender
// it is (senderOf), and the user's allow list as MOVE/COPY change it; a controller that is down is
// logged as a failed learn, never an IMAP error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRow } from '../../../server/store/log.js';
import { junkSignal, senderOf } from '../../../server/delivery/junk-learning.js';
import { freePort } from '../../helpers/daemon.js';
import { ADDRESS, startImap, type ImapFixture } from './harness.js';

const box = (name: string, specialUse: string | null = null) => ({ name, specialUse }) as Parameters<typeof junkSignal>[0];

test('junkSignal: into Junk is spam, out of Junk is ham unless into Trash', () => {
  assert.equal(junkSignal(box('INBOX'), box('Junk', '\\Junk')), 'spam');
  assert.equal(junkSignal(box('Archive', '\\Archive'), box('Spam', '\\Junk')), 'spam');
  assert.equal(junkSignal(box('Junk'), box('INBOX')), 'ham');
  assert.equal(junkSignal(box('Junk', '\\Junk'), box('Trash', '\\Trash')), null);
  assert.equal(junkSignal(box('INBOX'), box('Archive')), null);
  assert.equal(junkSignal(box('Junk', '\\Junk'), box('Junk', '\\Junk')), null);
});

test('senderOf: Return-Path first, else the first From: address', () => {
  assert.equal(senderOf(Buffer.from('Return-Path: <bounce@list.example>\r\nFrom: A <a@b.example>\r\n\r\nx')), 'bounce@list.example');
  assert.equal(senderOf(Buffer.from('Return-Path: <>\r\nFrom: "A, B" <a@b.example>, c@d.example\r\n\r\nx')), 'a@b.example');
  assert.equal(senderOf(Buffer.from('Subject: none\r\n\r\nx')), null);
});

const mail = (sender: string, subject: string) =>
  `Return-Path: <${sender}>\r\nFrom: <${sender}>\r\nTo: <${ADDRESS}>\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@test>\r\n\r\nHello.\r\n`;

function nextLog(f: ImapFixture, event: string): Promise<LogRow> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no ${event} log row`))), 10_000);
    const off = f.ctx.bus.on('log', (r) => {
      if (r.event !== event) return;
      clearTimeout(timer);
      off();
      resolve(r);
    });
  });
}

const allowList = async (f: ImapFixture) => (await f.admin.listSenderLists({ user: ADDRESS })).map((e) => `${e.pattern} ${e.source}`);

test('MOVE out of Junk allows the sender; into Junk removes only a Junk-folder entry; Trash says nothing', async (t) => {
  const f = await startImap(t);
  await f.deliver(mail('friend@outside.example', 'one'), { mailbox: 'Junk' });
  await f.deliver(mail('deleted@outside.example', 'two'), { mailbox: 'Junk' });
  await f.admin.addSenderListEntry({ list: 'allow', pattern: 'boss@outside.example', user: ADDRESS });
  await f.deliver(mail('boss@outside.example', 'three'));
  const c = await f.selected('Junk');
  const allowed = nextLog(f, 'junk.allowed');
  await c.transact('OK', 'UID MOVE 1 INBOX');
  assert.equal((await allowed).fields.sender, 'friend@outside.example');
  await c.transact('OK', 'UID MOVE 2 Trash');
  assert.deepEqual(await allowList(f), ['boss@outside.example admin', 'friend@outside.example junk-folder']);

  await c.transact('OK', 'SELECT INBOX');
  const unallowed = nextLog(f, 'junk.unallowed');
  await c.transact('OK', 'UID COPY 1:* Junk');
  assert.equal((await unallowed).fields.sender, 'friend@outside.example');
  assert.deepEqual(await allowList(f), ['boss@outside.example admin'], "the admin's entry stays");
});

test('a controller that is down: the move succeeds, the failed learn is logged', async (t) => {
  const f = await startImap(t);
  await f.admin.updateSettings({ spam: { rspamdController: `http://127.0.0.1:${await freePort()}/` } });
  await f.deliver(mail('offer@pushy.example', 'offer'));
  const c = await f.selected('INBOX');
  const failed = nextLog(f, 'junk.learn-failed');
  await c.transact('OK', 'UID MOVE 1 Junk');
  assert.equal((await failed).fields.kind, 'spam');
});
