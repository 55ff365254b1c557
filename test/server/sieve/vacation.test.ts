// RFC 5230 vacation and RFC 6131 vacation-seconds: the RFC examples, resolved parameters, and the
// reply decision of §4.5-4.6 (Pigeonhole vacation/*.svtest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideVacationReply, VACATION_MAX_PERIOD, type VacationAction, type VacationReplyLog } from '../../../server/sieve/index.js';
import { errors, message, run } from './helpers.js';

async function vacationOf(script: string, text?: string): Promise<VacationAction> {
  const result = await run(script, text);
  assert.equal(result.error, null);
  const v = result.actions.find((a) => a.type === 'vacation');
  assert.ok(v !== undefined && v.type === 'vacation');
  return v;
}

test('RFC 5230 §4 examples: reason chosen by the script; :days and :addresses', async () => {
  const script = `require "vacation";
if header :contains "subject" "cyrus" {
    vacation "I'm out -- send mail to cyrus-bugs";
} else {
    vacation "I'm out -- call me at +1 304 555 0123";
}`;
  assert.equal((await vacationOf(script, 'Subject: cyrus crashed\n\nx\n')).reason, "I'm out -- send mail to cyrus-bugs");
  assert.equal((await vacationOf(script)).reason, "I'm out -- call me at +1 304 555 0123");
  const v = await vacationOf(`require "vacation";
vacation :days 23 :addresses ["tjs@example.edu",
                              "ts4z@landru.example.edu"]
   "I'm away until October 19.  If it's an emergency, call 911, I guess." ;`);
  assert.equal(v.periodSeconds, 23 * 86400);
  assert.deepEqual(v.addresses, ['tjs@example.edu', 'ts4z@landru.example.edu']);
  assert.equal(v.subject, null);
  assert.equal(v.mime, false);
});

test('RFC 5230 §4.3-4.4 example: :subject from a variable, :from, :mime, :handle', async () => {
  const v = await vacationOf(`require ["vacation", "variables"];
if header :matches "subject" "*" { set "subjwas" ": \${1}"; }
vacation :days 7 :subject "Out of office\${subjwas}" :from "hemingway@example.com" :mime :handle "ho" text:
Content-Type: text/plain

Gone fishing.
.
;`);
  assert.equal(v.subject, 'Out of office: Hello there');
  assert.equal(v.from, 'hemingway@example.com');
  assert.equal(v.mime, true);
  assert.equal(v.handle, 'ho');
  assert.equal(v.reason, 'Content-Type: text/plain\r\n\r\nGone fishing.\r\n');
});

test('default handle follows the text; defaults and bounds of the period', async () => {
  const a = await vacationOf('require "vacation"; vacation "one";');
  const b = await vacationOf('require "vacation"; vacation "one";');
  const c = await vacationOf('require "vacation"; vacation :subject "x" "one";');
  assert.equal(a.handle, b.handle);
  assert.notEqual(a.handle, c.handle);
  assert.equal(a.periodSeconds, 7 * 86400);
  assert.equal((await vacationOf('require "vacation"; vacation :days 0 "x";')).periodSeconds, 86400);
  assert.equal((await vacationOf('require "vacation"; vacation :days 1000 "x";')).periodSeconds, VACATION_MAX_PERIOD);
});

test('RFC 6131: :seconds, including 0, needs vacation-seconds and excludes :days', async () => {
  const v = await vacationOf('require ["vacation-seconds"];\nvacation :addresses ["tjs@example.edu"] :seconds 1800 "I am in a meeting, and do not have access to email.";');
  assert.equal(v.periodSeconds, 1800);
  assert.equal((await vacationOf('require "vacation-seconds"; vacation :seconds 0 "x";')).periodSeconds, 0);
  assert.deepEqual(errors('require "vacation"; vacation :seconds 5 "x";'), ['line 1, column 30: tag ":seconds" needs require "vacation-seconds".']);
  assert.deepEqual(errors('require "vacation-seconds"; vacation :days 1 :seconds 5 "x";'), ['line 1, column 46: ":seconds" cannot be combined with ":days".']);
  assert.deepEqual(errors('require "vacation"; vacation :from "not an address" "x";'), ['line 1, column 36: vacation :from "not an address" is not one valid address.']);
});

test('a second vacation fails the run', async () => {
  const r = await run('require "vacation";\nvacation "a";\nvacation "b";');
  assert.equal(r.error?.message, 'line 3, column 1: only one vacation action per run (RFC 5230 §4.7).');
});

// --- the reply decision ----------------------------------------------------------------------

class MemoryLog implements VacationReplyLog {
  readonly sent: { sender: string; handle: string; at: Date }[] = [];
  asked = 0;
  async repliedSince(sender: string, handle: string, since: Date): Promise<boolean> {
    this.asked++;
    return this.sent.some((s) => s.sender === sender && s.handle === handle && s.at >= since);
  }
}

const ACTION: VacationAction = {
  type: 'vacation',
  reason: 'Away.',
  mime: false,
  subject: null,
  from: null,
  addresses: ['bob.alias@example.com'],
  handle: 'h1',
  periodSeconds: 86400,
  position: { line: 1, column: 1 },
};
const NOW = new Date('2026-12-02T10:00:00Z');
const ORIGINAL = 'From: Alice <alice@example.org>\nTo: Bob <bob@example.com>\nSubject: Lunch?\nMessage-ID: <m1@example.org>\nReferences: <m0@example.org>\n\nhi\n';

async function decide(text: string, from = 'alice@example.org', log = new MemoryLog(), action = ACTION) {
  return decideVacationReply({ action, message: message(text), envelope: { from, to: 'bob@example.com' }, ownAddresses: ['bob@example.com'], now: NOW }, log);
}

test('replies to a personal message with In-Reply-To, References and "Auto:" subject', async () => {
  assert.deepEqual(await decide(ORIGINAL), {
    reply: true,
    to: 'alice@example.org',
    from: 'bob@example.com',
    subject: 'Auto: Lunch?',
    inReplyTo: '<m1@example.org>',
    references: '<m0@example.org> <m1@example.org>',
    body: 'Away.',
    mime: false,
  });
});

test('never replies to <>, to the user, to system senders, lists, bulk or auto-submitted mail', async () => {
  const no = async (text: string, from = 'alice@example.org'): Promise<string> => {
    const d = await decide(text, from);
    assert.equal(d.reply, false);
    return d.reply ? '' : d.reason;
  };
  assert.match(await no(ORIGINAL, ''), /empty/);
  assert.match(await no(ORIGINAL, 'Bob@Example.com'), /is the user/);
  assert.match(await no(ORIGINAL, 'MAILER-DAEMON@example.org'), /system address/);
  assert.match(await no(ORIGINAL, 'owner-list@example.org'), /system address/);
  assert.match(await no(ORIGINAL, 'list-request@example.org'), /system address/);
  assert.match(await no(ORIGINAL, 'noreply@shop.example'), /system address/);
  assert.match(await no(ORIGINAL, 'do-not-reply@shop.example'), /system address/);
  assert.match(await no(`Auto-Submitted: auto-replied\n${ORIGINAL}`), /Auto-Submitted/);
  assert.match(await no(`List-Id: <users.lists.example>\n${ORIGINAL}`), /mailing list \(list-id\)/);
  assert.match(await no(`List-Unsubscribe: <mailto:u@l.example>\n${ORIGINAL}`), /mailing list/);
  assert.match(await no(`Precedence: bulk\n${ORIGINAL}`), /Precedence: bulk/);
  assert.match(await no(`Precedence: junk\n${ORIGINAL}`), /Precedence: junk/);
  assert.match(await no(`X-Auto-Response-Suppress: OOF, AutoReply\n${ORIGINAL}`), /X-Auto-Response-Suppress/);
  assert.match(await no(ORIGINAL.replace('To: Bob <bob@example.com>', 'To: team@example.com')), /none of the user's addresses/);
  assert.equal((await decide(`Auto-Submitted: no\n${ORIGINAL}`)).reply, true);
});

test(':addresses count as the user\'s; Cc and Bcc count as addressed', async () => {
  assert.equal((await decide(ORIGINAL.replace('To: Bob <bob@example.com>', 'To: x@y.example\nCc: Bob.Alias@example.com'))).reply, true);
  assert.equal((await decide(ORIGINAL, 'bob.alias@example.com')).reply, false);
});

test('once per sender and handle within the period; :seconds 0 answers every time', async () => {
  const log = new MemoryLog();
  log.sent.push({ sender: 'alice@example.org', handle: 'h1', at: new Date(NOW.getTime() - 3600_000) });
  assert.deepEqual(await decide(ORIGINAL, 'alice@example.org', log), { reply: false, reason: 'already answered alice@example.org within the period.' });
  assert.equal((await decide(ORIGINAL, 'alice@example.org', log, { ...ACTION, handle: 'h2' })).reply, true);
  assert.equal((await decide(ORIGINAL, 'alice@example.org', log, { ...ACTION, periodSeconds: 1800 })).reply, true);
  const asked = log.asked;
  assert.equal((await decide(ORIGINAL, 'alice@example.org', log, { ...ACTION, periodSeconds: 0 })).reply, true);
  assert.equal(log.asked, asked);
  assert.equal((await decide(`Precedence: list\n${ORIGINAL}`, 'alice@example.org', log)).reply, false);
  assert.equal(log.asked, asked, 'the log is not consulted when the message rules already say no');
});

test(':subject and :from of the action win over the defaults', async () => {
  const d = await decide(ORIGINAL, 'alice@example.org', new MemoryLog(), { ...ACTION, subject: 'Out of office', from: 'Bob <bob@example.com>' });
  assert.ok(d.reply);
  assert.equal(d.subject, 'Out of office');
  assert.equal(d.from, 'Bob <bob@example.com>');
});
