// The outbound queue: each waiting message with its state, attempts, next try and last error; retry
// one or all now, hold or release, act on several picked rows, delete after confirming. Refreshes when the log reports queue activity.
import { useState } from 'react';
import { Badge, Button, Checkbox, Code, Drawer, Group, Select, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { act, useApi, useLiveEvents, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { PagedTable, SearchBox, SortTh, usePaging } from '../../components/paging.js';
import { QUEUE_STATES, type QueueSort, type QueueState } from '../../../server/store/list-sorts.js';
import { formatBytes, formatRelative, formatTime } from '../../format.js';
import { href } from '../../router.js';

const STATE_COLORS: Record<QueueState, string> = { queued: 'blue', delivering: 'teal', deferred: 'orange', held: 'gray' };

export function QueuePage() {
  const api = useApi();
  const paging = usePaging<QueueSort>('created');
  const [state, setState] = useState<QueueState | null>(null);
  const query = useQuery((a) => a.searchQueue({ ...paging.params, state: state ?? undefined }), [paging.params, state]);
  const [shown, setShown] = useState<string>();
  // Queue ids picked with the row checkboxes, for the actions on several messages at once.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const pick = (queueId: string, on: boolean) => setPicked((p) => (on ? new Set([...p, queueId]) : new Set([...p].filter((x) => x !== queueId))));
  const onPicked = async (what: string, action: (queueId: string) => Promise<unknown>) => {
    const ids = [...picked];
    await act(async () => {
      for (const id of ids) await action(id);
    }, `${what} ${ids.length} message(s).`);
    setPicked(new Set());
    query.reload();
  };
  useLiveEvents((e) => {
    if (e.type === 'bounce' || (e.type === 'log' && /^(queue|delivery|admin\.queue)\./.test(e.row.event))) query.reload();
  });
  return (
    <>
      <PageHeader
        title="Queue"
        description="Mail waiting to be delivered to other servers."
        actions={
          <>
            <Button variant="default" onClick={query.reload}>
              Refresh
            </Button>
            <Button
              leftSection={<IconRefresh size={16} />}
              disabled={!query.data || query.data.total === 0}
              onClick={() => void act(() => api.flushQueue({}), 'Everything in the queue will be tried again now.').then(query.reload)}
            >
              Flush queue
            </Button>
          </>
        }
      />
      <Group mb="md">
        <SearchBox paging={paging} label="Search the queue" placeholder="Search id, sender, recipient, error" />
        <Select placeholder="Any state" clearable aria-label="State filter" data={[...QUEUE_STATES]} value={state} onChange={(v) => setState(v as QueueState | null)} w={160} />
        {picked.size > 0 && (
          <Group gap="xs" role="group" aria-label="Actions on the selected messages">
            <Text size="sm">{picked.size} selected:</Text>
            <Button size="xs" variant="light" onClick={() => void onPicked('Retrying', (queueId) => api.retryQueue({ queueId }))}>
              Retry selected
            </Button>
            <Button size="xs" variant="light" onClick={() => void onPicked('Held', (queueId) => api.holdQueued({ queueId, hold: true }))}>
              Hold selected
            </Button>
            <Button size="xs" variant="light" onClick={() => void onPicked('Released', (queueId) => api.holdQueued({ queueId, hold: false }))}>
              Release selected
            </Button>
            <ConfirmButton
              label="Delete selected"
              title={`Delete ${picked.size} message(s)?`}
              message="They will not be delivered, and their senders are not told."
              confirmLabel="Delete messages"
              onConfirm={() => onPicked('Deleted', (queueId) => api.deleteQueued({ queueId }))}
            />
          </Group>
        )}
      </Group>
      <QueryView
        query={query}
        what="queue"
        isEmpty={(page) => page.total === 0 && paging.params.query === '' && state === null}
        empty={{ title: 'The queue is empty', description: 'All outgoing mail has been delivered.' }}
      >
        {(page) => page.total === 0 ? <Text c="dimmed">Nothing queued matches.</Text> : (
          <PagedTable
            label="Queue"
            minWidth={900}
            page={page}
            paging={paging}
            what="queued recipients"
            head={
              <>
                <Table.Th w={36}>
                  <VisuallyHidden>Select</VisuallyHidden>
                </Table.Th>
                <SortTh paging={paging} sortKey="created">Queue id</SortTh>
                <SortTh paging={paging} sortKey="sender">From</SortTh>
                <SortTh paging={paging} sortKey="recipient">To</SortTh>
                <SortTh paging={paging} sortKey="state">State</SortTh>
                <SortTh paging={paging} sortKey="attempts">Attempts</SortTh>
                <SortTh paging={paging} sortKey="nextAttempt">Next try</SortTh>
                <Table.Th>Last error</Table.Th>
                <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
              </>
            }
          >
            {(items) =>
              items.map((q) => (
                <Table.Tr key={q.id}>
                  <Table.Td>
                    <Checkbox checked={picked.has(q.queueId)} onChange={(e) => pick(q.queueId, e.currentTarget.checked)} aria-label={`Select ${q.queueId} to ${q.recipient}`} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" onClick={() => setShown(q.queueId)} title="Show the message">
                        {q.queueId}
                      </Button>
                      <a href={href('logs', { queueId: q.queueId })}>trace</a>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {formatBytes(q.size)}, {formatTime(q.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{q.sender || '<>'}</Table.Td>
                  <Table.Td>{q.recipient}</Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLORS[q.state as QueueState] ?? 'gray'}>{q.state}</Badge>
                  </Table.Td>
                  <Table.Td>{q.attempts}</Table.Td>
                  <Table.Td>
                    <Tooltip label={formatTime(q.nextAttemptAt)}>
                      <span>{q.nextAttemptAt <= Date.now() ? 'due now' : formatRelative(q.nextAttemptAt)}</span>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td maw={280}>
                    <Text size="sm" lineClamp={2} title={q.lastError ?? undefined}>
                      {q.lastError ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="light" onClick={() => void act(() => api.retryQueue({ queueId: q.queueId }), `${q.queueId} will be tried again now.`).then(query.reload)} aria-label={`Retry ${q.queueId} to ${q.recipient}`}>
                        Retry
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        disabled={q.state === 'delivering'}
                        aria-label={`${q.state === 'held' ? 'Release' : 'Hold'} ${q.queueId} to ${q.recipient}`}
                        onClick={() => void act(() => api.holdQueued({ queueId: q.queueId, hold: q.state !== 'held' }), q.state === 'held' ? `${q.queueId} released.` : `${q.queueId} held.`).then(query.reload)}
                      >
                        {q.state === 'held' ? 'Release' : 'Hold'}
                      </Button>
                      <ConfirmButton
                        label="Delete"
                        aria-label={`Delete ${q.queueId} to ${q.recipient}`}
                        title={`Delete ${q.queueId}?`}
                        message={`The message to ${q.recipient} will not be delivered, and the sender is not told.`}
                        confirmLabel="Delete message"
                        onConfirm={() => act(() => api.deleteQueued({ queueId: q.queueId }), `Deleted ${q.queueId}.`).then(query.reload)}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))
            }
          </PagedTable>
        )}
      </QueryView>
      <Drawer opened={shown !== undefined} onClose={() => setShown(undefined)} title={`Queued message ${shown ?? ''}`} position="right" size="xl">
        {shown && <QueuedMessage queueId={shown} />}
      </Drawer>
    </>
  );
}

function QueuedMessage({ queueId }: { queueId: string }) {
  const query = useQuery((api) => api.showQueued({ queueId }), [queueId]);
  return (
    <QueryView query={query} what="message">
      {(m) => (
        <Stack>
          <Text size="sm">
            From {m.sender || '<>'}, {formatBytes(m.size)}, queued {formatTime(m.createdAt)}
            {m.messageId ? `, Message-ID ${m.messageId}` : ''}
          </Text>
          <Table aria-label="Recipients">
            <Table.Tbody>
              {m.recipients.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.recipient}</Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLORS[r.state as QueueState] ?? 'gray'}>{r.state}</Badge>
                  </Table.Td>
                  <Table.Td>{r.attempts} attempt(s)</Table.Td>
                  <Table.Td>{r.lastError ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Code block>{m.headers}</Code>
        </Stack>
      )}
    </QueryView>
  );
}
