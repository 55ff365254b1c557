// `mailroom queue list|show|retry|hold|release|delete|flush`: the outbound queue, through the admin service like
// every other command. The shapes follow Postfix: `list` is `postqueue -p` (one block per queued
// message, its recipients indented with their state and last error), `show` is `postcat -hq`,
// `delete ALL` is `postsuper -d ALL`, `hold`/`release` are `postsuper -h`/`-H`, `flush` is `postqueue -f`. A running server's queue runner sees
// rows made due here at its next poll.
import { Option, type Command } from 'commander';
import type { QueueView } from '../../admin/contract.js';
import { formatSize } from '../../admin/size.js';
import { withSession, type CliEnv } from './session.js';
import { addPageOptions, pageInput, printPage, wantsPage, type PageOptions } from './paging.js';
import { QUEUE_SORTS, QUEUE_STATES, type QueueSort, type QueueState } from '../../store/list-sorts.js';

const QUEUE_ID = ['<queue-id>', 'as shown by queue list'] as const;

export function registerQueue(program: Command, env: CliEnv) {
  const queue = program.command('queue').description('the outbound queue (like postqueue/postsuper)');

  addPageOptions(queue.command('list').description('queued messages with each recipient, its state and last error (postqueue -p); a page of recipients with --search, --sort, --limit or --cursor'), QUEUE_SORTS)
    .addOption(new Option('--state <state>', 'only recipients in this state (paged)').choices(QUEUE_STATES))
    .action((opts: PageOptions & { state?: QueueState }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        if (wantsPage(opts) || opts.state !== undefined) {
          const page = await api.searchQueue({ state: opts.state, ...pageInput<QueueSort>(opts) });
          return printPage(out, page, ['queueId', 'sender', 'recipient', 'state', 'attempts', 'nextAttemptAt', 'lastError']);
        }
        const rows = await api.listQueue({});
        if (out.json) return out.io.print(JSON.stringify(rows));
        printList(rows, (line) => out.io.print(line));
      }),
    );

  queue
    .command('show')
    .description('one queued message: envelope, recipients and header section (postcat -hq)')
    .argument(...QUEUE_ID)
    .action((queueId: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const m = await api.showQueued({ queueId });
        if (out.json) return out.io.print(JSON.stringify(m));
        const print = (line: string) => out.io.print(line);
        print(`queue id:   ${m.queueId}`);
        print(`sender:     ${m.sender === '' ? '<>' : m.sender}`);
        print(`message-id: ${m.messageId ?? '-'}`);
        print(`size:       ${formatSize(m.size)}`);
        print(`arrived:    ${new Date(m.createdAt).toISOString()}`);
        for (const r of m.recipients) print(`recipient:  ${recipientLine(r)}`);
        print('');
        print(m.headers.replace(/\r\n$/, '').replace(/\r\n/g, '\n'));
      }),
    );

  queue
    .command('retry')
    .description('try now instead of at the next backoff: one message, or all')
    .argument('[queue-id]', 'as shown by queue list (default: all)')
    .action((queueId: string | undefined, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const result = await api.retryQueue({ queueId });
        out.item(result, `${result.retried} recipient(s) scheduled for delivery now`);
      }),
    );

  for (const [name, hold, what] of [['hold', true, 'keep a message from being tried until released (postsuper -h)'], ['release', false, 'release a held message: it is tried now (postsuper -H)']] as const) {
    queue
      .command(name)
      .description(what)
      .argument(...QUEUE_ID)
      .action((queueId: string, _opts: object, cmd: Command) =>
        withSession(env, cmd, async ({ api }, out) => {
          const result = await api.holdQueued({ queueId, hold });
          out.item(result, `${name === 'hold' ? 'held' : 'released'} ${queueId} (${result.changed} recipient(s))`);
        }),
      );
  }

  queue
    .command('delete')
    .description('delete a queued message, or ALL (postsuper -d)')
    .argument('<queue-id>', 'as shown by queue list, or ALL')
    .action((queueId: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        if (queueId === 'ALL') {
          const ids = [...new Set((await api.listQueue({})).map((r) => r.queueId))];
          let removed = 0;
          for (const each of ids) removed += (await api.deleteQueued({ queueId: each })).removed;
          return out.item({ removed }, `deleted ${removed} recipient(s) of ${ids.length} message(s)`);
        }
        const result = await api.deleteQueued({ queueId });
        out.item(result, `deleted ${queueId} (${result.removed} recipient(s))`);
      }),
    );

  queue
    .command('flush')
    .description('make everything due now and wake the queue runner (postqueue -f)')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const result = await api.flushQueue({});
        out.item(result, `${result.retried} recipient(s) scheduled for delivery now`);
      }),
    );
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
