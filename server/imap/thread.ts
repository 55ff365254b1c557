// THREAD (RFC 5256 §2.2, §3): ORDEREDSUBJECT and REFERENCES over the matched messages.
//
// Implementation notes: both work on the search header cache (decoded, lower-cased), so Message-IDs
// compare case-insensitively. A message's sent date is its Date: header, or INTERNALDATE; ties go by
// sequence number. REFERENCES follows §2.2 step by step: (1) containers linked along each References
// chain (In-Reply-To when there is none) without making loops, (2) the root set, (3) dummies pruned,
// (4) roots sorted by date, (5) roots merged by base subject, (6) siblings sorted by date.
import type { SearchRow } from '../store/messages.js';
import { extractSubject } from './base-subject.js';
import { headerValues } from './header-text.js';
import type { Sortable } from './sort.js';
import type { ThreadAlgorithm } from './wire/index.js';

/** A thread node: a message (seq/uid), or a dummy (seq 0) standing for a missing parent. */
export interface ThreadNode {
  seq: number;
  uid: number;
  children: ThreadNode[];
}

interface Message {
  readonly seq: number;
  readonly uid: number;
  readonly date: number;
  readonly subject: string;
  readonly reply: boolean;
}

function describe(m: Sortable): Message {
  const headers = m.row.searchHeaders ?? '';
  const { base, reply } = extractSubject(headerValues(headers, 'subject')[0] ?? '');
  return { seq: m.seq, uid: m.row.uid, date: sentDate(m.row), subject: base, reply };
}

const sentDate = (row: SearchRow) => row.sentDate ?? row.internalDate;
const byDate = (a: Message, b: Message) => a.date - b.date || a.seq - b.seq;

export function threadMessages(matches: readonly Sortable[], algorithm: ThreadAlgorithm): ThreadNode[] {
  return algorithm === 'ORDEREDSUBJECT' ? orderedSubject(matches) : references(matches);
}

// ORDEREDSUBJECT: sorted by base subject then date; each run of one subject is a thread whose first
// message is the parent of the others; threads in the order of their first message's date.
function orderedSubject(matches: readonly Sortable[]): ThreadNode[] {
  const messages = matches.map(describe).sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : byDate(a, b)));
  const threads: Array<{ first: Message; node: ThreadNode }> = [];
  for (let i = 0; i < messages.length; ) {
    let j = i + 1;
    while (j < messages.length && messages[j].subject === messages[i].subject) j++;
    const node: ThreadNode = { seq: messages[i].seq, uid: messages[i].uid, children: [] };
    for (const m of messages.slice(i + 1, j)) node.children.push({ seq: m.seq, uid: m.uid, children: [] });
    threads.push({ first: messages[i], node });
    i = j;
  }
  return threads.sort((a, b) => byDate(a.first, b.first)).map((t) => t.node);
}

interface Container {
  message: Message | null;
  parent: Container | null;
  children: Container[];
}

const MESSAGE_ID = /<[^<>]*>/g;

/** The `<...>` message identifiers in a header value, in order. */
export function ids(text: string | undefined): string[] {
  return text === undefined ? [] : [...text.matchAll(MESSAGE_ID)].map((m) => m[0]);
}

function isAncestor(a: Container, of: Container): boolean {
  for (let c: Container | null = of; c !== null; c = c.parent) if (c === a) return true;
  return false;
}

function link(parent: Container, child: Container): void {
  if (child.parent !== null) child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = parent;
  parent.children.push(child);
}

/** The date a container sorts by: its message's, or its first child's (children sorted first). */
function dateOf(c: Container): Message | undefined {
  return c.message ?? (c.children.length > 0 ? dateOf(c.children[0]) : undefined);
}

function compareContainers(a: Container, b: Container): number {
  const x = dateOf(a);
  const y = dateOf(b);
  return x === undefined || y === undefined ? 0 : byDate(x, y);
}

function references(matches: readonly Sortable[]): ThreadNode[] {
  const table = new Map<string, Container>();
  const containerFor = (id: string) => {
    let c = table.get(id);
    if (c === undefined) table.set(id, (c = { message: null, parent: null, children: [] }));
    return c;
  };
  const all: Container[] = [];
  for (const m of matches) {
    const headers = m.row.searchHeaders ?? '';
    const message = describe(m);
    const own = ids(headerValues(headers, 'message-id')[0])[0];
    // (1A) a missing or duplicate Message-ID gets a container of its own
    let container = own === undefined ? undefined : containerFor(own);
    if (container === undefined || container.message !== null) container = { message: null, parent: null, children: [] };
    container.message = message;
    all.push(container);
    let refs = ids(headerValues(headers, 'references').join(' '));
    if (refs.length === 0) refs = ids(headerValues(headers, 'in-reply-to')[0]).slice(0, 1);
    // (1B) link the references in order, each the parent of the next, unless one already has a parent or it would loop
    let previous: Container | null = null;
    for (const id of refs) {
      const ref = containerFor(id);
      if (previous !== null && ref.parent === null && ref !== previous && !isAncestor(ref, previous)) link(previous, ref);
      previous = ref;
    }
    // (1C) the message's own References decide its parent: the last reference, unless that makes a loop
    if (container.parent !== null) {
      const parent: Container = container.parent;
      parent.children = parent.children.filter((c) => c !== container);
      container.parent = null;
    }
    if (previous !== null && previous !== container && !isAncestor(container, previous)) link(previous, container);
  }
  // (2) the root set
  const seen = new Set<Container>();
  let roots = [...new Set([...table.values(), ...all])].filter((c) => c.parent === null && !seen.has(c) && seen.add(c));
  // (3) prune dummies
  roots = prune(roots, true);
  // (4) sort the root set by date
  for (const r of roots) sortTree(r);
  roots.sort(compareContainers);
  // (5) merge roots with the same base subject
  roots = mergeBySubject(roots);
  // (6) siblings by date
  for (const r of roots) sortTree(r);
  return roots.map(toNode);
}

/** Step 3: dummies without children go; a dummy's children replace it, at the root only when it has one. */
function prune(list: Container[], atRoot: boolean): Container[] {
  const out: Container[] = [];
  for (const c of list) {
    c.children = prune(c.children, false);
    for (const child of c.children) child.parent = c;
    if (c.message !== null) out.push(c);
    else if (c.children.length === 0) continue;
    else if (!atRoot || c.children.length === 1) {
      for (const child of c.children) child.parent = atRoot ? null : c.parent;
      out.push(...c.children);
    } else out.push(c);
  }
  return out;
}

function subjectOf(c: Container): Message | undefined {
  return c.message ?? c.children[0]?.message ?? undefined;
}

function mergeBySubject(roots: Container[]): Container[] {
  const bySubject = new Map<string, Container>();
  for (const r of roots) {
    const m = subjectOf(r);
    if (m === undefined || m.subject === '') continue;
    const old = bySubject.get(m.subject);
    const oldMessage = old === undefined ? undefined : subjectOf(old);
    if (old === undefined || (r.message === null && old.message !== null) || (old.message !== null && oldMessage?.reply === true && !m.reply && r.message !== null)) {
      bySubject.set(m.subject, r);
    }
  }
  const result: Container[] = [];
  const replaced = new Map<Container, Container>();
  for (const r of roots) {
    const m = subjectOf(r);
    const target = m === undefined || m.subject === '' ? undefined : bySubject.get(m.subject);
    if (target === undefined || target === r) {
      result.push(replaced.get(r) ?? r);
      continue;
    }
    const into = replaced.get(target) ?? target;
    if (into.message === null && r.message === null) {
      for (const child of [...r.children]) link(into, child);
    } else if (into.message === null) link(into, r);
    else if (r.message !== null && r.message.reply && !into.message.reply) link(into, r);
    else {
      const dummy: Container = { message: null, parent: null, children: [] };
      link(dummy, into);
      link(dummy, r);
      replaced.set(target, dummy);
      const at = result.indexOf(into);
      if (at !== -1) result[at] = dummy;
    }
  }
  return result;
}

function sortTree(c: Container): void {
  for (const child of c.children) sortTree(child);
  c.children.sort(compareContainers);
}

function toNode(c: Container): ThreadNode {
  return { seq: c.message?.seq ?? 0, uid: c.message?.uid ?? 0, children: c.children.map(toNode) };
}

/** thread-list text (RFC 5256 §5) of the roots, with sequence numbers or UIDs. */
export function formatThreads(roots: readonly ThreadNode[], uid: boolean): string {
  const body = (node: ThreadNode): string => {
    const parts: string[] = [];
    let n = node;
    for (;;) {
      if (n.seq !== 0) parts.push(String(uid ? n.uid : n.seq));
      if (n.children.length !== 1) break;
      n = n.children[0];
    }
    const nested = n.children.length > 1 ? n.children.map((c) => `(${body(c)})`).join('') : '';
    return [parts.join(' '), nested].filter((p) => p !== '').join(' ');
  };
  return roots.map((r) => `(${body(r)})`).join('');
}
