// The one spelling of INBOX, shared by mailboxes and subscriptions (both store names).
export const INBOX = 'INBOX';

/** `inbox`, `Inbox/Sub` → `INBOX`, `INBOX/Sub`: INBOX is case-insensitive (RFC 3501 §5.1). */
export function canonicalMailboxName(name: string): string {
  const head = name.split('/', 1)[0];
  return head.toUpperCase() === INBOX ? INBOX + name.slice(head.length) : name;
}
