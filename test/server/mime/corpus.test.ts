// Every corpus message through the whole pipeline (toCrlf, parseMessage, ENVELOPE, BODY,
// BODYSTRUCTURE, every section, decoded text), checking the structural invariants that must hold
// for any input, however broken.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodedBodyText, decodedHeaderText } from '../../../server/mime/body-text.js';
import { bodyStructure } from '../../../server/mime/bodystructure.js';
import { toCrlf } from '../../../server/mime/crlf.js';
import { envelope, sentDate } from '../../../server/mime/envelope.js';
import type { ImapValue } from '../../../server/mime/imap-value.js';
import { parseMessage, type MimePart, type ParsedMessage } from '../../../server/mime/part-tree.js';
import { fetchSection, sectionRange } from '../../../server/mime/sections.js';
import { CORPUS_DIR, corpusFiles } from './helpers.js';

function lineFeeds(raw: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (raw[i] === 0x0a) n++;
  return n;
}

function assertByteString(value: ImapValue, where: string): void {
  if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) assert.ok(value.charCodeAt(i) <= 0xff, `${where}: not a byte string`);
  } else if (Array.isArray(value)) {
    for (const v of value) assertByteString(v, where);
  }
}

function checkTree(part: MimePart, size: number): void {
  assert.ok(0 <= part.headerStart && part.headerStart <= part.headerEnd, 'header start/end');
  assert.equal(part.headerEnd, part.bodyStart, 'header ends where body starts');
  assert.ok(part.bodyStart <= part.bodyEnd && part.bodyEnd <= size, 'body within the message');
  const children = part.parts ?? [];
  if (part.kind === 'message') {
    assert.equal(children.length, 1, 'message/rfc822 has one child');
    assert.equal(children[0].headerStart, part.bodyStart, 'encapsulated message starts the body');
    assert.equal(children[0].bodyEnd, part.bodyEnd, 'encapsulated message ends the body');
  } else if (part.kind !== 'multipart') {
    assert.equal(children.length, 0, 'leaves have no children');
  }
  let previousEnd = part.bodyStart;
  for (const child of children) {
    assert.ok(child.headerStart >= previousEnd, 'children ordered, not overlapping, inside the body');
    previousEnd = child.bodyEnd;
    checkTree(child, size);
  }
  assert.ok(previousEnd <= part.bodyEnd, 'last child inside the body');
}

function checkEnvelope(value: ImapValue): void {
  assert.ok(Array.isArray(value) && value.length === 10, 'ENVELOPE has ten fields');
  for (const i of [0, 1, 8, 9]) assert.ok(value[i] === null || typeof value[i] === 'string');
  for (let i = 2; i <= 7; i++) {
    const list = value[i];
    assert.ok(list === null || (Array.isArray(list) && list.length > 0), 'address list is NIL or non-empty');
    for (const address of (list ?? []) as ImapValue[]) {
      assert.ok(Array.isArray(address) && address.length === 4);
      assert.ok(address.every((x) => x === null || typeof x === 'string'));
    }
  }
}

/** Walks BODYSTRUCTURE (or BODY) alongside the part tree and checks sizes and line counts. */
function checkStructure(raw: Buffer, value: ImapValue, part: MimePart, extended: boolean): void {
  assert.ok(Array.isArray(value));
  if (part.kind === 'multipart') {
    const children = part.parts ?? [];
    const count = Math.max(1, children.length);
    for (let i = 0; i < count; i++) {
      if (children.length > 0) checkStructure(raw, value[i], children[i], extended);
      else assert.deepEqual((value[i] as ImapValue[]).slice(0, 8), ['text', 'plain', ['charset', 'us-ascii'], null, null, '7bit', 0, 0]);
    }
    assert.equal(typeof value[count], 'string', 'subtype after the children');
    assert.equal(value.length, count + 1 + (extended ? 4 : 0));
    return;
  }
  assert.equal(value[6], part.bodyEnd - part.bodyStart, 'size is the body length');
  const lines = lineFeeds(raw, part.bodyStart, part.bodyEnd);
  let basicLength = 7;
  if (part.kind === 'message') {
    assert.deepEqual(value.slice(0, 2), ['message', 'rfc822']);
    checkEnvelope(value[7]);
    checkStructure(raw, value[8], (part.parts as MimePart[])[0], extended);
    assert.equal(value[9], lines, 'message/rfc822 line count');
    basicLength = 10;
  } else if (typeof value[0] === 'string' && value[0].toLowerCase() === 'text') {
    assert.equal(value[7], lines, 'text line count');
    basicLength = 8;
  }
  assert.equal(value.length, basicLength + (extended ? 4 : 0));
}

/** Checks every section of `part` at IMAP section number `path`. */
function checkSections(raw: Buffer, parsed: ParsedMessage, part: MimePart, path: number[]): void {
  const bytes = (start: number, end: number): Buffer => raw.subarray(start, end);
  assert.deepEqual(sectionRange(parsed, path), { start: part.bodyStart, end: part.bodyEnd }, `[${path.join('.')}]`);
  assert.deepEqual(fetchSection(raw, parsed, { path }), bytes(part.bodyStart, part.bodyEnd));
  assert.deepEqual(fetchSection(raw, parsed, { path, text: 'MIME' }), bytes(part.headerStart, part.headerEnd));
  if (part.kind === 'message') {
    const inner = (part.parts as MimePart[])[0];
    assert.deepEqual(fetchSection(raw, parsed, { path, text: 'HEADER' }), bytes(inner.headerStart, inner.headerEnd));
    assert.deepEqual(fetchSection(raw, parsed, { path, text: 'TEXT' }), bytes(inner.bodyStart, inner.bodyEnd));
    assert.ok(fetchSection(raw, parsed, { path, text: 'HEADER.FIELDS', fields: ['Subject', 'From'] }).toString('latin1').endsWith('\r\n'));
    if (inner.kind === 'multipart') checkChildren(raw, parsed, inner, path);
    else checkSections(raw, parsed, inner, [...path, 1]);
  } else if (part.kind === 'multipart') {
    checkChildren(raw, parsed, part, path);
  } else {
    assert.equal(fetchSection(raw, parsed, { path, text: 'HEADER' }).length, 0, 'HEADER only for message/rfc822');
  }
}

function checkChildren(raw: Buffer, parsed: ParsedMessage, multipart: MimePart, path: number[]): void {
  const children = multipart.parts ?? [];
  children.forEach((child, i) => checkSections(raw, parsed, child, [...path, i + 1]));
  assert.equal(fetchSection(raw, parsed, { path: [...path, children.length + 1] }).length, 0, 'one past the last part');
}

test('the corpus is found beside the clone (../shared/corpus/messages) with its 247 messages', () => {
  assert.match(CORPUS_DIR, /\/shared\/corpus\/messages\/$/);
  assert.equal(corpusFiles().length, 247);
});

test('every corpus message parses with consistent offsets, structures and sections', () => {
  for (const file of corpusFiles()) {
    try {
      const original = readFileSync(CORPUS_DIR + file);
      const raw = toCrlf(original);
      for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) assert.equal(raw[i - 1], 0x0d, 'no bare LF after toCrlf');
      const parsed = parseMessage(raw);
      assert.equal(parsed.size, raw.length);
      assert.deepEqual(JSON.parse(JSON.stringify(parsed)), parsed, 'JSON round trip');
      checkTree(parsed.root, raw.length);

      const env = envelope(raw, parsed.root);
      checkEnvelope(env);
      assertByteString(env, 'ENVELOPE');
      const structure = bodyStructure(raw, parsed);
      assertByteString(structure, 'BODYSTRUCTURE');
      checkStructure(raw, structure, parsed.root, true);
      checkStructure(raw, bodyStructure(raw, parsed, false), parsed.root, false);
      assert.deepEqual(JSON.parse(JSON.stringify(structure)), structure);

      assert.deepEqual(fetchSection(raw, parsed, { path: [] }), raw);
      assert.deepEqual(fetchSection(raw, parsed, { path: [], text: 'HEADER' }), raw.subarray(parsed.root.headerStart, parsed.root.headerEnd));
      assert.deepEqual(fetchSection(raw, parsed, { path: [], text: 'TEXT' }), raw.subarray(parsed.root.bodyStart, parsed.root.bodyEnd));
      if (parsed.root.kind === 'multipart') checkChildren(raw, parsed, parsed.root, []);
      else checkSections(raw, parsed, parsed.root, [1]);

      assert.equal(typeof decodedBodyText(raw, parsed), 'string');
      assert.equal(typeof decodedHeaderText(raw, parsed), 'string');
      const sent = sentDate(raw, parsed);
      assert.ok(sent === null || Number.isFinite(sent));
    } catch (err) {
      (err as Error).message = `${file}: ${(err as Error).message}`;
      throw err;
    }
  }
});
