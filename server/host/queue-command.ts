// `mailroom queue list|show|retry|delete|flush`: the outbound queue from the command line, through the
// admin service like every other CLI command. The shapes follow Postfix: `list` is `postqueue -p`
// (one block per queued message, its recipients indented with their state and last error), `show`
// is `postcat -hq`, `delete ALL` is `postsuper -d ALL`, `flush` is `postqueue -f`.
// A running server's queue runner sees rows made due here at its next poll.
import type { AdminApi, QueueView } from '../admin/contract.js';
import { formatSize } from '../admin/size.js';

export interface QueueCommandIo {
  /** Print JSON instead of text. */
  json: boolean;
  print(line: string): void;
  /** Makes the error the CLI reports as a usage error (exit code 2). */
  usageError(message: string): Error;
}

export const QUEUE_USAGE = 'mailroom queue list|show QUEUE-ID|retry [QUEUE-ID]|delete QUEUE-ID|ALL|flush';

export async function queueCommand(api: AdminApi, [action, queueId, ...extra]: string[], io: QueueCommandIo): Promise<void> {
  if (extra.length > 0) throw io.usageError(`unexpected argument "${extra[0]}"`);
  const need = () => {
    if (queueId === undefined || queueId.trim() === '') throw io.usageError(`queue ${action} needs a queue id (see mailroom queue list)`);
    return queueId.trim();
  };
  const done = (value: unknown, message: string) => io.print(io.json ? JSON.stringify(value) : message);
  switch (action) {
    case 'list': {
      if (queueId !== undefined) throw io.usageError(`unexpected argument "${queueId}"`);
      const rows = await api.listQueue({});
      if (io.json) return io.print(JSON.stringify(rows));
      return printList(rows, io.print);
    }
    case 'show': {
      const m = await api.showQueued({ queueId: need() });
      if (io.json) return io.print(JSON.stringify(m));
      io.print(`queue id:   ${m.queueId}`);
      io.print(`sender:     ${m.sender === '' ? '<>' : m.sender}`);
      io.print(`message-id: ${m.messageId ?? '-'}`);
      io.print(`size:       ${formatSize(m.size)}`);
      io.print(`arrived:    ${new Date(m.createdAt).toISOString()}`);
      for (const r of m.recipients) io.print(`recipient:  ${recipientLine(r)}`);
      io.print('');
      io.print(m.headers.replace(/\r\n$/, '').replace(/\r\n/g, '\n'));
      return;
    }
    case 'retry': {
      const result = await api.retryQueue(queueId === undefined ? {} : { queueId: need() });
      return done(result, `${result.retried} recipient(s) scheduled for delivery now`);
    }
    case 'delete': {
      const id = need();
      if (id === 'ALL') {
        const ids = [...new Set((await api.listQueue({})).map((r) => r.queueId))];
        let removed = 0;
        for (const each of ids) removed += (await api.deleteQueued({ queueId: each })).removed;
        return done({ removed }, `deleted ${removed} recipient(s) of ${ids.length} message(s)`);
      }
      const result = await api.deleteQueued({ queueId: id });
      return done(result, `deleted ${id} (${result.removed} recipient(s))`);
    }
    case 'flush': {
      if (queueId !== undefined) throw io.usageError(`unexpected argument "${queueId}"`);
      const result = await api.flushQueue({});
      return done(result, `${result.retried} recipient(s) scheduled for delivery now`);
    }
    default:
      throw io.usageError(`queue ${action ?? ''}: expected list, show, retry, delete or flush`);
  }
}

function printList(rows: QueueView[], print: (line: string) => void) {
  if (rows.length === 0) return print('Mail queue is empty');
  const messages = new Map<string, QueueView[]>();
  for (const r of rows) messages.set(r.queueId, [...(messages.get(r.queueId) ?? []), r]);
  print(`${'QUEUE ID'.padEnd(14)}${'SIZE'.padStart(7)}  ${'ARRIVED'.padEnd(26)}SENDER`);
  let bytes = 0;
  for (const [id, recipients] of messages) {
    const first = recipients[0];
    bytes += first.size;
    print(`${id.padEnd(14)}${formatSize(first.size).padStart(7)}  ${new Date(first.createdAt).toISOString().padEnd(26)}${first.sender === '' ? '<>' : first.sender}`);
    for (const r of recipients) print(`    ${recipientLine(r)}`);
  }
  print(`-- ${formatSize(bytes)} in ${messages.size} message(s), ${rows.length} recipient(s).`);
}

function recipientLine(r: Pick<QueueView, 'recipient' | 'state' | 'attempts' | 'nextAttemptAt' | 'lastError'>): string {
  const next = r.state === 'delivering' ? '' : ` next ${new Date(r.nextAttemptAt).toISOString()}`;
  return `${r.recipient}  ${r.state}, ${r.attempts} attempt(s)${next}${r.lastError ? `  (${r.lastError})` : ''}`;
}
