// NOTIFY (RFC 5465) for the mailboxes a session has not selected: after `NOTIFY SET`, changes to the
// user's other mailboxes that an event group asks for are sent unsolicited — between commands, in
// IDLE, and before a command's tagged response — as STATUS (MessageNew, MessageExpunge, FlagChange)
// and LIST (MailboxName: created, deleted as \NonExistent, renamed with OLDNAME). The first event group
// whose filter matches a mailbox decides for it (§6). Changes to the selected mailbox are reported as
// without NOTIFY (selected-mailbox.ts: at command ends and in IDLE), whatever SELECTED groups say.
//
// Status items (as Dovecot sends them): MessageNew → MESSAGES UIDNEXT UIDVALIDITY; MessageExpunge →
// MESSAGES; FlagChange → UIDVALIDITY HIGHESTMODSEQ. Filters: INBOXES is INBOX (mail is delivered
// there; Sieve's fileinto elsewhere is not an MDA target here); PERSONAL every mailbox of the user;
// SUBSCRIBED the subscribed names; SUBTREE a name and those below it; MAILBOXES the names given.
// Supported events: MessageNew (without fetch attributes), MessageExpunge, FlagChange, MailboxName;
// others are NO [BADEVENT] (§5). Names are kept per mailbox id (read at NOTIFY SET, then followed
// through the bus), so a change is matched without reading the store.
import type { EventBus } from '../events.js';
import type { Store, StoreChange } from '../store/index.js';
import { INBOX } from '../store/mailboxes.js';
import type { SessionNotifier } from './command.js';
import { ImapNo } from './errors.js';
import { DELIMITER } from './mailbox-names.js';
import { statusResponse } from './commands/status.js';
import type { ImapResponse, NotifyArgs, NotifyGroup, StatusItem } from './wire/index.js';

export type NotifyEvent = 'MESSAGENEW' | 'MESSAGEEXPUNGE' | 'FLAGCHANGE' | 'MAILBOXNAME';
const SUPPORTED: ReadonlySet<string> = new Set<NotifyEvent>(['MESSAGENEW', 'MESSAGEEXPUNGE', 'FLAGCHANGE', 'MAILBOXNAME']);
const BADEVENT = { code: 'BADEVENT', events: ['MessageNew', 'MessageExpunge', 'FlagChange', 'MailboxName'] } as const;

/** Checks the event groups (§5: an event the server does not support is NO [BADEVENT]). */
export function checkGroups(groups: readonly NotifyGroup[]): void {
  for (const group of groups) {
    const unknown = group.events.find((e) => !SUPPORTED.has(e));
    if (unknown !== undefined) throw new ImapNo(`Event ${unknown.slice(0, 30)} is not supported`, BADEVENT);
    if (group.fetchAttributes) throw new ImapNo('MessageNew with fetch attributes is not supported', BADEVENT);
  }
}

function statusItems(events: ReadonlySet<string>): StatusItem[] {
  const items: StatusItem[] = [];
  if (events.has('MESSAGENEW') || events.has('MESSAGEEXPUNGE')) items.push('MESSAGES');
  if (events.has('MESSAGENEW')) items.push('UIDNEXT');
  if (events.has('MESSAGENEW') || events.has('FLAGCHANGE')) items.push('UIDVALIDITY');
  if (events.has('FLAGCHANGE')) items.push('HIGHESTMODSEQ');
  return items;
}

const EVENT_OF: Partial<Record<StoreChange['kind'], NotifyEvent>> = {
  'message-added': 'MESSAGENEW',
  'messages-expunged': 'MESSAGEEXPUNGE',
  'flags-changed': 'FLAGCHANGE',
};

export class Notifier implements SessionNotifier {
  /** Mailbox id → events seen since the last take(). */
  private readonly pending = new Map<number, Set<NotifyEvent>>();
  private readonly listed: ImapResponse[] = [];
  private waiter: (() => void) | null = null;
  private readonly unsubscribe: () => void;

  private constructor(
    bus: EventBus,
    private readonly accountId: number,
    private readonly groups: ReadonlyArray<NotifyGroup & { readonly eventSet: ReadonlySet<string> }>,
    private readonly names: Map<number, string>,
    private readonly subscribed: ReadonlySet<string>,
  ) {
    this.unsubscribe = bus.on('change', (change) => this.onChange(change));
  }

  /** Starts notifying for `args`; with STATUS, the current status of each watched mailbox but `selectedId`. */
  static async start(store: Store, bus: EventBus, accountId: number, args: Extract<NotifyArgs, { kind: 'set' }>, selectedId: number | null): Promise<{ notifier: Notifier; initial: ImapResponse[] }> {
    checkGroups(args.groups);
    const mailboxes = await store.mailboxes.list(accountId);
    const subscribed = new Set(await store.subscriptions.list(accountId));
    const groups = args.groups.map((g) => ({ ...g, eventSet: new Set(g.events) }));
    const notifier = new Notifier(bus, accountId, groups, new Map(mailboxes.map((m) => [m.id, m.name])), subscribed);
    const initial: ImapResponse[] = [];
    if (args.status) {
      for (const m of mailboxes) {
        const group = m.id === selectedId ? undefined : notifier.groupOf(m.name);
        const items = group === undefined ? [] : statusItems(group.eventSet);
        const response = items.length === 0 ? null : await statusResponse(store, m.id, items);
        if (response !== null) initial.push(response);
      }
    }
    return { notifier, initial };
  }

  /** The first group whose filter takes the (not selected) mailbox `name`. */
  private groupOf(name: string): (typeof this.groups)[number] | undefined {
    return this.groups.find((g) => {
      switch (g.filter.kind) {
        case 'SELECTED':
        case 'SELECTED-DELAYED':
          return false;
        case 'INBOXES':
          return name === INBOX;
        case 'PERSONAL':
          return true;
        case 'SUBSCRIBED':
          return this.subscribed.has(name);
        case 'MAILBOXES':
          return g.filter.mailboxes.includes(name);
        case 'SUBTREE':
          return g.filter.mailboxes.some((top) => name === top || name.startsWith(top + DELIMITER));
      }
    });
  }

  private onChange(change: StoreChange): void {
    if (change.accountId !== this.accountId) return;
    if (change.kind === 'message-added' || change.kind === 'messages-expunged' || change.kind === 'flags-changed') {
      const event = EVENT_OF[change.kind]!;
      let set = this.pending.get(change.mailboxId);
      if (!set) this.pending.set(change.mailboxId, (set = new Set()));
      set.add(event);
    } else {
      const old = this.names.get(change.mailboxId);
      if (change.kind === 'mailbox-deleted') this.names.delete(change.mailboxId);
      else this.names.set(change.mailboxId, change.name);
      const name = change.kind === 'mailbox-deleted' ? (old ?? change.name) : change.name;
      const wants = (n: string | undefined) => n !== undefined && (this.groupOf(n)?.eventSet.has('MAILBOXNAME') ?? false);
      if (!wants(name) && !(change.kind === 'mailbox-renamed' && wants(old))) return;
      const attributes = change.kind === 'mailbox-deleted' ? ['\\NonExistent'] : [];
      this.listed.push({ kind: 'list', attributes, delimiter: DELIMITER, mailbox: name, ...(change.kind === 'mailbox-renamed' && old !== undefined && old !== name && { oldName: old }) });
    }
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Resolves when there is something to send. */
  changed(): Promise<void> {
    if (this.pending.size > 0 || this.listed.length > 0) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** The notifications pending, for mailboxes other than `selectedId`; clears them. */
  async take(store: Store, selectedId: number | null): Promise<ImapResponse[]> {
    const out = this.listed.splice(0);
    const pending = [...this.pending];
    this.pending.clear();
    for (const [mailboxId, events] of pending) {
      const name = this.names.get(mailboxId);
      if (mailboxId === selectedId || name === undefined) continue;
      const group = this.groupOf(name);
      const items = group === undefined ? [] : statusItems(new Set([...events].filter((e) => group.eventSet.has(e))));
      const response = items.length === 0 ? null : await statusResponse(store, mailboxId, items);
      if (response !== null) out.push(response);
    }
    return out;
  }

  close(): void {
    this.unsubscribe();
    this.waiter?.();
    this.waiter = null;
  }
}
