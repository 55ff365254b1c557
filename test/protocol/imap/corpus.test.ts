// The public MIME corpus (/work/shared/corpus, 247 messages of real and broken mail) through IMAP:
// every message APPENDs as sent, and ENVELOPE, BODYSTRUCTURE, BODY, every section the structure
// names, partial fetches and SEARCH all answer OK without hanging; where the corpus README records
// Dovecot's answer for broken input, ours is the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCrlf } from '../../../server/mime/index.js';
import { startImap } from './harness.js';
import { fetches, untagged, type Value } from './client.js';

const CORPUS = '/work/shared/corpus/messages';
const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((n) => n.endsWith('.eml')).sort() : [];

/** Section paths of every part a BODYSTRUCTURE describes (`1`, `2.1`, ...), as RFC 3501 §6.4.5 numbers them. */
function sectionPaths(structure: Value): string[] {
  const parts = structure as Value[];
  return Array.isArray(parts[0]) ? children(parts, '') : ['1', ...below(parts, '1')];
}

function children(multipart: Value[], prefix: string): string[] {
  return multipart.filter((x) => Array.isArray(x)).flatMap((child, i) => [`${prefix}${i + 1}`, ...below(child as Value[], `${prefix}${i + 1}`)]);
}

/** Paths below the part at `path`: a multipart's children, or the body of an encapsulated message. */
function below(part: Value[], path: string): string[] {
  if (Array.isArray(part[0])) return children(part, `${path}.`);
  const message = String(part[0]).toLowerCase() === 'message' && String(part[1]).toLowerCase() === 'rfc822' && Array.isArray(part[8]);
  if (!message) return [];
  const body = part[8] as Value[];
  return Array.isArray(body[0]) ? children(body, `${path}.`) : [`${path}.1`, ...below(body, `${path}.1`)];
}

test('every corpus message APPENDs and answers every FETCH item and section', { skip: files.length === 0 && 'corpus not present' }, async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  const originals = new Map<number, { name: string; bytes: Buffer }>();
  for (const name of files) {
    const bytes = readFileSync(join(CORPUS, name));
    const r = await c.append('INBOX', bytes);
    assert.equal(r.tagged.status, 'OK', `APPEND ${name}: ${r.tagged.raw.toString()}`);
    originals.set(Number(r.tagged.code!.split(' ')[2]), { name, bytes });
  }
  assert.equal(originals.size, files.length);
  await c.transact('OK', 'EXAMINE INBOX');
  const all = fetches(await c.transact('OK', 'FETCH 1:* (UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE BODY FLAGS)'));
  assert.equal(all.length, files.length);

  for (const m of all) {
    const { name, bytes } = originals.get(m.items.UID as number)!;
    const stored = toCrlf(bytes);
    // NUL goes out as 0x80 (fetch-nul.test.ts); everything else byte for byte.
    const sent = Buffer.from(stored.map((b) => (b === 0 ? 0x80 : b)));
    assert.equal(m.items['RFC822.SIZE'], stored.length, `${name}: RFC822.SIZE counts CRLF line ends`);
    assert.equal((m.items.ENVELOPE as Value[]).length, 10, `${name}: ENVELOPE has ten fields`);
    const paths = sectionPaths(m.items.BODYSTRUCTURE);
    const items = ['BODY.PEEK[]', 'BODY.PEEK[HEADER]', 'BODY.PEEK[TEXT]', 'BODY.PEEK[HEADER.FIELDS (Subject X-None)]', 'BODY.PEEK[]<7.50>'];
    for (const path of paths.slice(0, 40)) items.push(`BODY.PEEK[${path}]`, `BODY.PEEK[${path}.MIME]`, `BODY.PEEK[${path}]<0.16>`);
    const r = await c.transact('OK', `UID FETCH ${m.items.UID} (${items.join(' ')})`);
    const [got] = fetches(r);
    assert.ok(Buffer.from(got.items['BODY[]'] as string, 'latin1').equals(sent), `${name}: BODY[] is the stored message`);
    assert.equal(got.items['BODY[]<7>'], sent.subarray(7, 57).toString('latin1'));
    const header = got.items['BODY[HEADER]'] as string;
    assert.ok(sent.toString('latin1').startsWith(header), `${name}: BODY[HEADER] is the start of the message`);
    assert.match(got.items['BODY[HEADER.FIELDS (Subject X-None)]'] as string, /\r\n$/);
    for (const path of paths.slice(0, 40)) assert.equal(typeof got.items[`BODY[${path}]`], 'string', `${name}: BODY[${path}]`);
  }

  for (const key of ['TEXT the', 'BODY zzzz-not-there', 'HEADER Content-Type multipart', 'SUBJECT test', 'FROM example', 'LARGER 100000']) {
    const r = await c.transact('OK', `SEARCH ${key}`);
    assert.equal(untagged(r, 'SEARCH').length, 1, key);
  }
  assert.deepEqual(untagged(await c.transact('OK', 'SEARCH BODY zzzz-not-there'), 'SEARCH')[0].values, ['SEARCH']);
  await c.logout();
});

test("broken MIME gets Dovecot's answers through IMAP", { skip: files.length === 0 && 'corpus not present' }, async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  const fetchOne = async (name: string, items: string) => {
    assert.equal((await c.append('INBOX', readFileSync(join(CORPUS, name)))).tagged.status, 'OK');
    await c.transact('OK', 'EXAMINE INBOX');
    const r = await c.transact('OK', `FETCH * (${items})`);
    return { items: fetches(r)[0].items, raw: toCrlf(readFileSync(join(CORPUS, name))).toString('latin1') };
  };

  // A multipart whose boundary never appears still has one child: an empty text/plain part.
  const none = await fetchOne('cpython-msg17-multipart-no-delimiters.eml', 'BODYSTRUCTURE');
  assert.deepEqual((none.items.BODYSTRUCTURE as Value[])[0], ['text', 'plain', ['charset', 'us-ascii'], null, null, '7bit', 0, 0, null, null, null, null]);
  // Content-Type without "/": ("" "" NIL NIL NIL "7bit" size ...).
  const slash = await fetchOne('mimekit-content-type-without-slash.eml', 'BODYSTRUCTURE');
  assert.deepEqual((slash.items.BODYSTRUCTURE as Value[]).slice(0, 6), ['', '', null, null, null, '7bit']);
  // message/rfc822 sent base64-encoded: still message/rfc822, with an all-NIL envelope inside.
  const b64 = await fetchOne('thunderbird-rfc822-attachment-base64.eml', 'BODYSTRUCTURE');
  const attached = (b64.items.BODYSTRUCTURE as Value[])[1] as Value[];
  assert.deepEqual(attached.slice(0, 2), ['message', 'rfc822']);
  assert.deepEqual(attached[7], [null, null, null, null, null, null, null, null, null, null]);
  // No blank line after the header: the whole message is the header, the text is empty.
  const headerOnly = await fetchOne('cpython-msg35-no-body-no-blank-line.eml', 'BODY.PEEK[HEADER] BODY.PEEK[TEXT]');
  assert.equal(headerOnly.items['BODY[HEADER]'], headerOnly.raw);
  assert.equal(headerOnly.items['BODY[TEXT]'], '');
  const noHeader = await fetchOne('mime4j-no-header-no-blank-line.eml', 'BODY.PEEK[HEADER]');
  assert.equal(noHeader.items['BODY[HEADER]'], noHeader.raw);
  // [1.MIME] of a single-part message is the message header; a missing section is "".
  const single = await fetchOne('mimekit-format-flowed-delsp-qp.eml', 'BODY.PEEK[1.MIME] BODY.PEEK[HEADER] BODY.PEEK[2] BODY.PEEK[HEADER.FIELDS (X-None)]');
  assert.equal(single.items['BODY[1.MIME]'], single.items['BODY[HEADER]']);
  assert.equal(single.items['BODY[2]'], '');
  assert.equal(single.items['BODY[HEADER.FIELDS (X-None)]'], '\r\n');
  await c.logout();
});
