// The outbound queue: each waiting message with its state, attempts, next try and last error; retry
// one or all now, delete one after confirming. Refreshes when the log reports queue activity.
import { useState } from 'react';
import { Badge, Button, Code, Drawer, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { act, useApi, useLiveEvents, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { PageHeader } from '../../components/page.js';
import { formatBytes, formatRelative, formatTime } from '../../format.js';
import { href } from '../../router.js';

const STATE_COLORS: Record<string, string> = { queued: 'blue', delivering: 'teal', deferred: 'orange', held: 'gray' };

export function QueuePage() {
  const api = useApi();
  const query = useQuery((a) => a.listQueue());
  const [shown, setShown] = useState<string>();
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
              disabled={!query.data || query.data.length === 0}
              onClick={() => void act(() => api.flushQueue({}), 'Everything in the queue will be tried again now.').then(query.reload)}
            >
              Flush queue
            </Button>
          </>
        }
      />
      <QueryView query={query} what="queue" isEmpty={(q) => q.length === 0} empty={{ title: 'The queue is empty', description: 'All outgoing mail has been delivered.' }}>
        {(entries) => (
          <Table striped highlightOnHover aria-label="Queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Queue id</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Next try</Table.Th>
                <Table.Th>Last error</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((q) => (
                <Table.Tr key={q.id}>
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
                    <Badge color={STATE_COLORS[q.state] ?? 'gray'}>{q.state}</Badge>
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
                      <Button size="xs" variant="light" onClick={() => void act(() => api.retryQueue({ queueId: q.queueId }), `${q.queueId} will be tried again now.`).then(query.reload)}>
                        Retry
                      </Button>
                      <ConfirmButton
                        label="Delete"
                        aria-label={`Delete ${q.queueId}`}
                        title={`Delete ${q.queueId}?`}
                        message={`The message to ${q.recipient} will not be delivered, and the sender is not told.`}
                        confirmLabel="Delete message"
                        onConfirm={() => act(() => api.deleteQueued({ queueId: q.queueId }), `Deleted ${q.queueId}.`).then(query.reload)}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
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
                    <Badge color={STATE_COLORS[r.state] ?? 'gray'}>{r.state}</Badge>
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
