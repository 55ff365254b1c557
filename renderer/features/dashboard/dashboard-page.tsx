// The dashboard: listener states and ports, mail activity per hour and per day (the server's
// counters, moved on by live log rows), queue size, storage used, the health panel, recent warnings
// and the addresses banned for failed logins. Listener changes and new log rows arrive live.
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { IconAlertTriangle, IconWand } from '@tabler/icons-react';
import type { ActivityView, DomainView, ListenerName, LogRow, StatusView } from '../../../server/admin/contract.js';
import { useLiveEvents, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { PageHeader } from '../../components/page.js';
import { LISTENER_LABELS, formatBytes, formatTime } from '../../format.js';
import { href, navigate } from '../../router.js';
import { addLiveRow, chartRows, localUtcOffset, totals } from './activity.js';
import { eventTitle, formatFields } from '../../log-format.js';
import { HealthCard } from './health-card.js';
import { BackupCard } from './backup-card.js';
import { BannedSourcesCard } from './banned-sources.js';
import { NodesCard } from './nodes-card.js';

const HOURS = 24;
const DAYS = 14;

interface DashboardData {
  status: StatusView;
  domains: DomainView[];
  activity: ActivityView;
  warnings: LogRow[];
}

export function DashboardPage() {
  const [failed, setFailed] = useState<Record<string, string>>({});
  const query = useQuery(async (api): Promise<DashboardData> => {
    const [status, domains, activity, warnings] = await Promise.all([
      api.getStatus(),
      api.listDomains(),
      api.getActivity({ hours: HOURS, days: DAYS, utcOffsetMinutes: localUtcOffset(Date.now()) }),
      api.queryLog({ level: 'warn', limit: 6 }),
    ]);
    return { status, domains, activity, warnings: warnings.reverse() };
  });
  // Live rows on top of the data they arrived after (a reload starts again from the server's counters).
  const [live, setLive] = useState<{ base: DashboardData; activity: ActivityView; warnings: LogRow[] }>();
  useLiveEvents((event) => {
    if (event.type === 'log' && query.data) {
      const base = query.data;
      const row = event.row;
      setLive((l) => {
        const from = l?.base === base ? l : { base, activity: base.activity, warnings: base.warnings };
        const warnings = row.level === 'warn' || row.level === 'error' ? [row, ...from.warnings].slice(0, 6) : from.warnings;
        return { base, activity: addLiveRow(from.activity, row), warnings };
      });
    }
    if (event.type === 'listener') {
      setFailed((f) => {
        const next = { ...f };
        if (event.event.state === 'failed') next[event.event.name] = event.event.error ?? 'failed';
        else delete next[event.event.name];
        return next;
      });
      query.reload();
    }
  });

  return (
    <>
      <PageHeader title="Dashboard" description="How the server is doing." actions={<Button variant="default" onClick={query.reload}>Refresh</Button>} />
      <QueryView query={query} what="dashboard">
        {(data) => <Dashboard data={live?.base === data ? { ...data, activity: live.activity, warnings: live.warnings } : data} failed={failed} />}
      </QueryView>
    </>
  );
}

function Dashboard({ data, failed: live }: { data: DashboardData; failed: Record<string, string> }) {
  const { status, domains } = data;
  // Listeners that failed at start (before this page listened for events), then live changes.
  const failed = { ...status.failedListeners, ...live };
  const [unit, setUnit] = useState<'hour' | 'day'>('hour');
  const sum = totals(data.activity.hourly);
  const used = domains.reduce((n, d) => n + d.usedBytes, 0);
  const listeners = Object.entries(status.listeners);
  return (
    <Stack gap="lg">
      {status.domains === 0 && (
        <Alert color="indigo" icon={<IconWand />} title="Welcome to Mailroom">
          <Group justify="space-between">
            <Text size="sm">There is no mail domain yet. The setup wizard adds the first domain and user in a few steps.</Text>
            <Button onClick={() => navigate('setup')}>Run the setup wizard</Button>
          </Group>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label="Domains" value={status.domains} link="domains" />
        <Stat label="Users" value={status.accounts} link="users" />
        <Stat label="Queued messages" value={status.queue} link="queue" testId="stat-queue" />
        <Stat label="Storage used" value={formatBytes(used)} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <Stat label={`Received (${HOURS} h)`} value={sum.received} testId="stat-received" />
        <Stat label={`Delivered (${HOURS} h)`} value={sum.delivered} testId="stat-delivered" />
        <Stat label={`Deferred (${HOURS} h)`} value={sum.deferred} testId="stat-deferred" />
        <Stat label={`Bounced (${HOURS} h)`} value={sum.bounced} testId="stat-bounced" />
        <Stat label={`Rejected (${HOURS} h)`} value={sum.rejected} testId="stat-rejected" />
        <Stat label={`Failed logins (${HOURS} h)`} value={sum.authFailures} testId="stat-auth-failures" />
      </SimpleGrid>
      <HealthCard />
      <BackupCard />
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            {unit === 'hour' ? `Messages per hour (last ${HOURS} h)` : `Messages per day (last ${DAYS} days)`}
          </Title>
          <SegmentedControl
            size="xs"
            aria-label="Chart by"
            value={unit}
            onChange={(v) => setUnit(v === 'day' ? 'day' : 'hour')}
            data={[
              { value: 'hour', label: 'Per hour' },
              { value: 'day', label: 'Per day' },
            ]}
          />
        </Group>
        <BarChart
          h={220}
          data={chartRows(unit === 'hour' ? data.activity.hourly : data.activity.daily, unit)}
          dataKey="label"
          withLegend
          series={[
            { name: 'received', label: 'Received', color: 'indigo.6' },
            { name: 'delivered', label: 'Delivered', color: 'teal.6' },
            { name: 'deferred', label: 'Deferred', color: 'yellow.6' },
            { name: 'bounced', label: 'Bounced', color: 'orange.6' },
            { name: 'rejected', label: 'Rejected', color: 'red.6' },
            { name: 'authFailures', label: 'Failed logins', color: 'grape.6' },
          ]}
        />
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            Listeners
          </Title>
          <Table aria-label="Listeners">
            <Table.Tbody>
              {listeners.map(([name, port]) => (
                <Table.Tr key={name}>
                  <Table.Td>{LISTENER_LABELS[name as ListenerName] ?? name}</Table.Td>
                  <Table.Td>port {port}</Table.Td>
                  <Table.Td>
                    {failed[name] ? (
                      <Badge color="red" title={failed[name]}>
                        failed
                      </Badge>
                    ) : (
                      <Badge color="green">listening</Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
              {Object.keys(failed)
                .filter((name) => !(name in status.listeners))
                .map((name) => (
                  <Table.Tr key={name}>
                    <Table.Td>{LISTENER_LABELS[name as ListenerName] ?? name}</Table.Td>
                    <Table.Td>{failed[name]}</Table.Td>
                    <Table.Td>
                      <Badge color="red">failed</Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt="xs">
            Server {status.hostname}, version {status.version}, running since {formatTime(status.startedAt)}.
          </Text>
          {status.searchIndex && status.searchIndex.pending > 0 && (
            <Text size="xs" c="dimmed" data-testid="search-index-progress">
              Search index: {status.searchIndex.total - status.searchIndex.pending} of {status.searchIndex.total} stored messages indexed
              {status.searchIndex.running ? '' : ' (paused; continues at the next start)'}; searches read the others meanwhile.
            </Text>
          )}
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            Recent warnings
          </Title>
          {data.warnings.length === 0 ? (
            <Text c="dimmed" size="sm">
              No warnings or errors logged.
            </Text>
          ) : (
            <Stack gap="xs">
              {data.warnings.map((w) => (
                <Alert key={w.id} color={w.level === 'error' ? 'red' : 'yellow'} icon={<IconAlertTriangle size={16} />} p="xs" data-log-event={w.event}>
                  <Text size="sm">
                    <b>{eventTitle(w.event)}</b> · {formatTime(w.ts)}
                  </Text>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {formatFields(w.fields)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(' · ')}
                  </Text>
                </Alert>
              ))}
              <Text size="sm">
                <a href={href('logs', { level: 'warn' })}>All warnings in the log</a>
              </Text>
            </Stack>
          )}
        </Card>
      </SimpleGrid>
      {status.nodes && <NodesCard nodes={status.nodes} />}
      <BannedSourcesCard />
    </Stack>
  );
}

function Stat({ label, value, link, testId }: { label: string; value: number | string; link?: string; testId?: string }) {
  return (
    <Card withBorder padding="md" component={link ? 'a' : 'div'} href={link ? href(link) : undefined} style={{ textDecoration: 'none', color: 'inherit' }} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  );
}
