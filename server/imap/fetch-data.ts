// FETCH data items of one message (RFC 3501 §6.4.5, §7.4.2; RFC 7162 MODSEQ) from the store row:
// ENVELOPE in the wire form cached at delivery (migrations/0003), BODYSTRUCTURE from the JSON cached
// then, BODY[section]<partial> as byte ranges of the stored message located with the cached part
// tree — never by re-parsing the message.
//
// Invariants:
// - A section that does not exist is the empty string, never an error (Dovecot's answer, mime/sections).
// - Bytes are read when an item first needs them, after the row: a message expunged in between makes
//   the read throw MessageGone, and FETCH answers as for any message it finds gone.
// - A message needing several byte ranges is read once whole; a single range is read on its own
//   (with its <partial> applied before reading), so BODY.PEEK[HEADER] of a 2 MB message reads the header.
// - Only the cached columns an item needs are read and parsed (FETCH ENVELOPE does not touch the
//   part tree). A cached value written by an older parser (PARSE_VERSION) or by a caller that cached
//   none is recomputed from the bytes for this answer, so such rows are still served correctly.
// - The ENVELOPE goes out as stored in wire form; a row without one (older than migrations/0003, or
//   written by code that does not supply it) gets it from encodeImapValue of its JSON (or of the
//   recomputed value) in fillEnvelopeWire(), which also stores it so the next FETCH finds it.
// - PREVIEW (RFC 8970) is mime/preview's text of the whole message, NIL when it has none.
// - BINARY[part] and BINARY.SIZE[part] are binary-section's decoded content of the part's range.
// - BODY is BODYSTRUCTURE without the extension data (RFC 3501 §7.4.2): four trailing fields of every
//   part, the encapsulated message's structure included.
import { describeMessage } from '../delivery/describe.js';
import { PARSE_VERSION, filterHeaderFields, messagePreview, sectionRange, type ParsedMessage } from '../mime/index.js';
import type { Store } from '../store/index.js';
import type { CachedColumn, MessageMeta, MessageRow } from '../store/messages.js';
import { binaryContent } from './binary-section.js';
import type { MessageObjectIds } from './object-ids.js';
import { encodeImapValue, sectionSpec, type BodySection, type FetchAttribute, type FetchResponseItem, type ImapValue } from './wire/index.js';

const EMPTY = Buffer.alloc(0);
/** Extension fields after a part's body fields (md5 or multipart params, disposition, language, location). */
const EXTENSION_FIELDS = 4;

/** One data item of a FETCH response, computed from a message (asynchronously when it reads bytes). */
type ItemWriter = (m: MessageItems, message: MessageData | null) => FetchResponseItem | Promise<FetchResponseItem>;

/** The message's row was found but its bytes are gone: it was expunged between the two reads. */
export class MessageGone extends Error {
  override name = 'MessageGone';
}

/** What one FETCH needs, worked out once for all its messages. */
export interface FetchPlan {
  /** The response items in order, duplicates removed (UID first for UID FETCH). */
  readonly items: readonly ItemWriter[];
  /** Read rows with these cached columns (or none), not just metadata. */
  readonly needsRow: boolean;
  readonly columns: readonly CachedColumn[];
  /** More than one byte range per message: read each message whole once. */
  readonly readsWhole: boolean;
  /** Every message is read whole anyway (several ranges, or BODY[] / RFC822 without a partial). */
  readonly needsBytes: boolean;
  /** BODY[...] without PEEK, RFC822, RFC822.TEXT (RFC 3501 §6.4.5). */
  readonly setsSeen: boolean;
  readonly hasFlags: boolean;
  readonly hasModseq: boolean;
  /** EMAILID or THREADID (RFC 8474): read the batch's object ids (object-ids.ts). */
  readonly objectIds: boolean;
  /** SAVEDATE (RFC 8514): read the batch's save dates. */
  readonly saveDates: boolean;
}

function objectIds(m: MessageItems): MessageObjectIds {
  // The plan reads them for every row: one missing was expunged after its row was read.
  if (m.objectIds === undefined) throw new MessageGone();
  return m.objectIds;
}

function need(message: MessageData | null): MessageData {
  if (message === null) throw new Error('FETCH plan did not read the message row');
  return message;
}

const HEADER: BodySection = { part: [], text: 'HEADER', fields: [] };
const TEXT: BodySection = { part: [], text: 'TEXT', fields: [] };

/** The writer of one attribute, and the key that makes two attributes the same item. */
function writer(a: FetchAttribute): [string, ItemWriter] {
  switch (a.item) {
    case 'UID':
      return ['UID', (m) => ({ item: 'UID', value: m.meta.uid })];
    case 'FLAGS':
      return ['FLAGS', (m) => ({ item: 'FLAGS', flags: m.flags })];
    case 'INTERNALDATE':
      return ['INTERNALDATE', (m) => ({ item: 'INTERNALDATE', date: m.meta.internalDate })];
    case 'RFC822.SIZE':
      return ['RFC822.SIZE', (m) => ({ item: 'RFC822.SIZE', value: m.meta.size })];
    case 'MODSEQ':
      return ['MODSEQ', (m) => ({ item: 'MODSEQ', value: m.meta.modseq })];
    case 'ENVELOPE':
      return [
        'ENVELOPE',
        (_, message) => {
          // The cached wire form (the common case) is answered without a Promise.
          const cached = need(message).cachedEnvelopeWire;
          return cached !== null ? { item: 'ENVELOPE', encoded: cached } : need(message).envelopeWire().then((encoded) => ({ item: 'ENVELOPE', encoded }));
        },
      ];
    case 'BODYSTRUCTURE':
      return ['BODYSTRUCTURE', async (_, message) => ({ item: 'BODYSTRUCTURE', value: await need(message).bodystructure() })];
    case 'BODY':
      return ['BODY', async (_, message) => ({ item: 'BODY', value: withoutExtensions(await need(message).bodystructure()) })];
    case 'RFC822':
      return ['RFC822', async (_, message) => ({ item: 'RFC822', data: await need(message).bytes() })];
    case 'RFC822.HEADER':
      return ['RFC822.HEADER', async (_, message) => ({ item: 'RFC822.HEADER', data: await sectionData(need(message), HEADER, null) })];
    case 'RFC822.TEXT':
      return ['RFC822.TEXT', async (_, message) => ({ item: 'RFC822.TEXT', data: await sectionData(need(message), TEXT, null) })];
    case 'BODY[section]': {
      const section = sectionSpec(a.section);
      const origin = a.partial === null ? null : a.partial.start;
      return [
        `BODY[${section}]<${origin}>`,
        async (_, message) => ({ item: 'BODY[section]', section, origin, data: await sectionData(need(message), a.section, a.partial) }),
      ];
    }
    case 'BINARY[section]': {
      const section = a.part.join('.');
      const origin = a.partial === null ? null : a.partial.start;
      return [
        `BINARY[${section}]<${origin}>`,
        async (_, message) => ({ item: 'BINARY[section]', section, origin, data: partial(await binaryContent(need(message), a.part), a.partial) }),
      ];
    }
    case 'PREVIEW':
      return [
        'PREVIEW',
        async (_, message) => {
          const text = messagePreview(await need(message).bytes(), await need(message).parts());
          return { item: 'PREVIEW', text: text === '' ? null : text };
        },
      ];
    case 'SAVEDATE':
      return [
        'SAVEDATE',
        (m) => {
          // The plan reads them for every row: one missing was expunged after its row was read.
          if (m.saveDate === undefined) throw new MessageGone();
          return { item: 'SAVEDATE', date: m.saveDate };
        },
      ];
    case 'EMAILID':
    case 'THREADID': {
      const item = a.item;
      return [item, (m) => ({ item, id: objectIds(m)[item === 'EMAILID' ? 'emailId' : 'threadId'] })];
    }
    case 'BINARY.SIZE': {
      const section = a.part.join('.');
      return [`BINARY.SIZE[${section}]`, async (_, message) => ({ item: 'BINARY.SIZE', section, value: (await binaryContent(need(message), a.part)).length })];
    }
  }
}

/** The plan for `attributes`; `uid` (UID FETCH) puts UID first even when not asked for (RFC 3501 §6.4.8). */
export function planFetch(attributes: readonly FetchAttribute[], uid: boolean): FetchPlan {
  let ranges = 0;
  let wholeItem = false;
  let setsSeen = false;
  const columns = new Set<CachedColumn>();
  const items = new Map<string, ItemWriter>();
  if (uid) items.set(...writer({ item: 'UID' }));
  for (const a of attributes) {
    if (a.item === 'BODY[section]' || a.item === 'RFC822' || a.item === 'RFC822.HEADER' || a.item === 'RFC822.TEXT') {
      ranges++;
      // The whole message needs no part tree.
      const whole = a.item === 'RFC822' || (a.item === 'BODY[section]' && a.section.part.length === 0 && a.section.text === null);
      if (!whole) columns.add('parts');
      if (whole && (a.item !== 'BODY[section]' || a.partial === null)) wholeItem = true;
      if (a.item === 'BODY[section]' ? !a.peek : a.item !== 'RFC822.HEADER') setsSeen = true;
    } else if (a.item === 'BINARY[section]' || a.item === 'BINARY.SIZE') {
      ranges++;
      if (a.part.length > 0) columns.add('parts');
      else if (a.item === 'BINARY.SIZE' || a.partial === null) wholeItem = true;
      if (a.item === 'BINARY[section]' && !a.peek) setsSeen = true;
    } else if (a.item === 'PREVIEW') {
      ranges++;
      columns.add('parts');
      wholeItem = true;
    } else if (a.item === 'ENVELOPE') columns.add('envelopeWire');
    else if (a.item === 'BODY' || a.item === 'BODYSTRUCTURE') columns.add('bodystructure');
    const [key, write] = writer(a);
    if (!items.has(key)) items.set(key, write);
  }
  return {
    items: [...items.values()],
    needsRow: ranges > 0 || columns.size > 0,
    columns: [...columns],
    readsWhole: ranges > 1,
    needsBytes: ranges > 1 || wholeItem,
    setsSeen,
    hasFlags: items.has('FLAGS'),
    hasModseq: items.has('MODSEQ'),
    objectIds: items.has('EMAILID') || items.has('THREADID'),
    saveDates: items.has('SAVEDATE'),
  };
}

interface Described {
  parts: ParsedMessage;
  envelope: ImapValue;
  bodystructure: ImapValue;
}

/** The bytes and cached structure of one message, each read and parsed only when first used. */
class MessageData {
  private described: Described | null = null;
  private tree: ParsedMessage | null = null;

  constructor(
    private readonly store: Store,
    private readonly row: MessageRow,
    private readonly readsWhole: boolean,
    /** The full bytes when already read with the row. */
    private whole: Buffer | null = null,
  ) {}

  get cachedEnvelopeWire(): string | null {
    return this.row.envelopeWire;
  }

  async envelopeWire(): Promise<string> {
    return this.row.envelopeWire ?? encodeImapValue(await this.envelope());
  }

  async envelope(): Promise<ImapValue> {
    const value = this.row.envelope === null ? null : (JSON.parse(this.row.envelope) as ImapValue);
    return Array.isArray(value) && value.length === 10 ? value : (await this.describe()).envelope;
  }

  async bodystructure(): Promise<ImapValue> {
    const value = this.row.bodystructure === null ? null : (JSON.parse(this.row.bodystructure) as ImapValue);
    return Array.isArray(value) ? value : (await this.describe()).bodystructure;
  }

  async parts(): Promise<ParsedMessage> {
    if (this.tree !== null) return this.tree;
    const value = this.row.parts === null ? null : (JSON.parse(this.row.parts) as Partial<ParsedMessage>);
    return (this.tree = value?.version === PARSE_VERSION && value.root !== undefined ? (value as ParsedMessage) : (await this.describe()).parts);
  }

  get size(): number {
    return this.row.size;
  }

  async bytes(): Promise<Buffer> {
    return (this.whole ??= present(await this.store.messages.read(this.row.id)));
  }

  /** Bytes [start, end) of the message. */
  async read(start: number, end: number): Promise<Buffer> {
    if (end <= start) return EMPTY;
    if (this.whole !== null || this.readsWhole || (start === 0 && end >= this.row.size)) return (await this.bytes()).subarray(start, end);
    return present(await this.store.messages.readRange(this.row.id, start, end - start));
  }

  /** The structure recomputed from the bytes (stale or missing cache). */
  private async describe(): Promise<Described> {
    if (this.described !== null) return this.described;
    const fresh = describeMessage(await this.bytes()).forCopy(0);
    return (this.described = {
      parts: JSON.parse(fresh.parts) as ParsedMessage,
      envelope: JSON.parse(fresh.envelope) as ImapValue,
      bodystructure: JSON.parse(fresh.bodystructure) as ImapValue,
    });
  }
}

function present(bytes: Buffer | null): Buffer {
  if (bytes === null) throw new MessageGone('The message was expunged while it was being fetched');
  return bytes;
}

function partial(data: Buffer, p: { start: number; count: number } | null): Buffer {
  return p === null ? data : data.subarray(p.start, p.start + p.count);
}

/** BODY[section]<partial>: the range, filtered for HEADER.FIELDS[.NOT], cut to the partial. */
async function sectionData(message: MessageData, section: BodySection, p: { start: number; count: number } | null): Promise<Buffer> {
  const whole = section.part.length === 0 && section.text === null;
  const range = whole ? { start: 0, end: message.size } : sectionRange(await message.parts(), section.part, section.text ?? undefined);
  if (range === null) return EMPTY;
  if (section.text === 'HEADER.FIELDS' || section.text === 'HEADER.FIELDS.NOT') {
    const header = await message.read(range.start, range.end);
    return partial(filterHeaderFields(header, { start: 0, end: header.length }, section.fields, section.text === 'HEADER.FIELDS.NOT'), p);
  }
  if (p === null) return message.read(range.start, range.end);
  const start = Math.min(range.end, range.start + p.start);
  return message.read(start, Math.min(range.end, start + p.count));
}

/** BODY[section]<partial> of one row read with its 'parts' column (CATENATE's URLs, RFC 4469). */
export function messageSection(store: Store, row: MessageRow, section: BodySection, p: { start: number; count: number } | null): Promise<Buffer> {
  return sectionData(new MessageData(store, row, false), section, p);
}

/** BODY from BODYSTRUCTURE: the extension fields dropped at every level. */
export function withoutExtensions(structure: ImapValue): ImapValue {
  if (!Array.isArray(structure)) return structure;
  if (Array.isArray(structure[0])) {
    const subtype = structure.findIndex((field) => !Array.isArray(field));
    return [...structure.slice(0, subtype).map(withoutExtensions), structure[subtype]];
  }
  const basic = structure.slice(0, structure.length - EXTENSION_FIELDS);
  // message/rfc822: type subtype params id description encoding size envelope body lines
  if (basic.length === 10) basic[8] = withoutExtensions(basic[8]);
  return basic;
}

export interface MessageItems {
  readonly flags: string[];
  readonly meta: MessageMeta;
  /** The row with the plan's cached columns; null when the plan needs none. */
  readonly row: MessageRow | null;
  /** Add MODSEQ (CHANGEDSINCE, or flags changed by this FETCH with CONDSTORE on). */
  readonly modseq: boolean;
  /** Add FLAGS (this FETCH set \Seen). */
  readonly flagsChanged: boolean;
  /** The message's full bytes, when read together with the row. */
  readonly bytes?: Buffer;
  /** Its EMAILID and THREADID, when the plan asks for them. */
  readonly objectIds?: MessageObjectIds;
  /** Its save date (null: not known), when the plan asks for it. */
  readonly saveDate?: number | null;
}

/**
 * Gives rows read with 'envelopeWire' whose wire form is not cached yet one, from the ENVELOPE JSON
 * (read for them only), and stores it (migrations/0003).
 */
export async function fillEnvelopeWire(store: Store, mailboxId: number, rows: readonly MessageRow[]): Promise<void> {
  const missing = rows.filter((r) => r.envelopeWire === null);
  if (missing.length === 0) return;
  const json = new Map((await store.messages.rows(mailboxId, missing.map((r) => r.uid), ['envelope'])).map((r) => [r.uid, r.envelope]));
  const entries: Array<{ id: number; wire: string }> = [];
  for (const row of missing) {
    let wire: string;
    try {
      wire = await new MessageData(store, { ...row, envelope: json.get(row.uid) ?? null }, false).envelopeWire();
    } catch (error) {
      if (error instanceof MessageGone) continue; // FETCH finds it gone when it reads it
      throw error;
    }
    row.envelopeWire = wire;
    entries.push({ id: row.id, wire });
  }
  await store.messages.setEnvelopeWire(entries);
}

/**
 * The items of one message's FETCH response; a Promise only when an item reads bytes or recomputes
 * a cache (FETCH FLAGS/ENVELOPE of 10,000 messages makes no Promise per message). Rejects with
 * MessageGone when the message was expunged meanwhile.
 */
export function fetchItems(store: Store, plan: FetchPlan, m: MessageItems): FetchResponseItem[] | Promise<FetchResponseItem[]> {
  const message = m.row === null ? null : new MessageData(store, m.row, plan.readsWhole, m.bytes ?? null);
  const items: FetchResponseItem[] = [];
  for (let i = 0; i < plan.items.length; i++) {
    const item = plan.items[i](m, message);
    if (item instanceof Promise) return finishItems(plan, m, message, items, item, i);
    items.push(item);
  }
  return withExtras(plan, m, items);
}

async function finishItems(
  plan: FetchPlan,
  m: MessageItems,
  message: MessageData | null,
  items: FetchResponseItem[],
  pending: Promise<FetchResponseItem>,
  at: number,
): Promise<FetchResponseItem[]> {
  items.push(await pending);
  for (let i = at + 1; i < plan.items.length; i++) items.push(await plan.items[i](m, message));
  return withExtras(plan, m, items);
}

/** FLAGS when this FETCH changed them and MODSEQ when asked for, if the items do not carry them. */
function withExtras(plan: FetchPlan, m: MessageItems, items: FetchResponseItem[]): FetchResponseItem[] {
  if (m.flagsChanged && !plan.hasFlags) items.push({ item: 'FLAGS', flags: m.flags });
  if (m.modseq && !plan.hasModseq) items.push({ item: 'MODSEQ', value: m.meta.modseq });
  return items;
}
