// Logs: the newest rows with filters (level, component, text, time) and a live tail; clicking a
// session, queue or message id turns the page into a trace that follows that one message or
// connection from start to end. Filters live in the URL, so a trace can be linked (the queue page does).
import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Switch, Table, Text, TextInput, Timeline } from '@mantine/core';
import { IconPlayerPause, IconRoute, IconSearch, IconX } from '@tabler/icons-react';
import type { AdminApi, LogLevel, LogRow } from '../../../server/admin/contract.js';
import { act, useApi, useLiveEvents, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { PageHeader } from '../../components/page.js';
import { navigate, type Route } from '../../router.js';

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
const LEVEL_COLORS: Record<LogLevel, string> = { debug: 'gray', info: 'blue', warn: 'yellow', error: 'red' };
const SINCE: Record<string, number | undefined> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, all: undefined };
/** Rows per request (the first page, and each "load older"); a trace reads up to MAX_ROWS. */
const PAGE_ROWS = 200;
const MAX_ROWS = 1000;
/** What the page keeps in memory after "load older" and the live tail. */
const MAX_SHOWN = 10_000;
const TRACE_KEYS = ['sessionId', 'queueId', 'messageId'] as const;
type TraceKey = (typeof TRACE_KEYS)[number];

export interface LogFilter {
  level?: LogLevel;
  component?: string;
  text?: string;
  since?: string;
  sessionId?: string;
  queueId?: string;
  messageId?: string;
}

export function filterFromRoute(route: Route): LogFilter {
  const get = (k: string) => route.query.get(k) || undefined;
  const level = get('level');
  return {
    level: LEVELS.includes(level as LogLevel) ? (level as LogLevel) : undefined,
    component: get('component'),
    text: get('text'),
    since: get('since'),
    sessionId: get('sessionId'),
    queueId: get('queueId'),
    messageId: get('messageId'),
  };
}

/** The same test the server's log query applies, for rows that arrive live. */
export function matches(row: LogRow, f: LogFilter, now = Date.now()): boolean {
  if (f.level && LEVELS.indexOf(row.level) < LEVELS.indexOf(f.level)) return false;
  if (f.component && row.component !== f.component) return false;
  for (const key of TRACE_KEYS) if (f[key] && row[key] !== f[key]) return false;
  const window = f.since ? SINCE[f.since] : undefined;
  if (window !== undefined && row.ts < now - window) return false;
  if (f.text) {
    const needle = f.text.toLowerCase();
    if (!row.event.toLowerCase().includes(needle) && !JSON.stringify(row.fields).toLowerCase().includes(needle)) return false;
  }
  return true;
}

/**
 * A trace: the rows carrying the id, then the rows of the other ids those carry (the session of a
 * message, the queue entries of a session's messages), so one view follows a message from the
 * connection to the mailbox, the next server or the bounce.
 */
export async function traceRows(api: AdminApi, key: TraceKey, value: string): Promise<LogRow[]> {
  const rows = new Map<number, LogRow>();
  const asked = new Set<string>();
  let frontier: Array<[TraceKey, string]> = [[key, value]];
  for (let round = 0; round < 2 && frontier.length > 0; round++) {
    const next: Array<[TraceKey, string]> = [];
    for (const [k, v] of frontier) {
      if (asked.has(`${k}:${v}`)) continue;
      asked.add(`${k}:${v}`);
      for (const row of await api.queryLog({ [k]: v, limit: MAX_ROWS })) {
        rows.set(row.id, row);
        for (const other of TRACE_KEYS) if (row[other] && !asked.has(`${other}:${row[other]}`)) next.push([other, row[other]!]);
      }
    }
    frontier = next;
  }
  return [...rows.values()].sort((a, b) => a.id - b.id).slice(-MAX_ROWS);
}

export function LogsPage({ route }: { route: Route }) {
  const filter = filterFromRoute(route);
  const traceKey = TRACE_KEYS.find((k) => filter[k]);
  const key = JSON.stringify(filter);
  const [live, setLive] = useState(true);
  const [arrived, setArrived] = useState<{ key: string; rows: LogRow[] }>({ key, rows: [] });
  const [older, setOlder] = useState<{ key: string; rows: LogRow[]; end: boolean; loading: boolean }>({ key, rows: [], end: false, loading: false });
  const [text, setText] = useState(filter.text ?? '');
  const api = useApi();
  const queryInput = () => {
    const window = filter.since ? SINCE[filter.since] : undefined;
    return {
      level: filter.level,
      component: filter.component,
      text: filter.text,
      since: window === undefined ? undefined : Date.now() - window,
      limit: PAGE_ROWS,
    };
  };
  const query = useQuery((a) => (traceKey ? traceRows(a, traceKey, filter[traceKey]!) : a.queryLog(queryInput())), [key]);
  useLiveEvents((e) => {
    if (e.type !== 'log') return;
    const related = traceKey && query.data?.some((r) => TRACE_KEYS.some((k) => r[k] && r[k] === e.row[k]));
    if (!related && !matches(e.row, filter)) return;
    setArrived((a) => (a.key === key ? { key, rows: [...a.rows, e.row].slice(-MAX_ROWS) } : { key, rows: [e.row] }));
  }, live);

  const set = (change: Partial<LogFilter>) => {
    const next = { ...filter, ...change };
    navigate('logs', Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v === undefined ? undefined : String(v)])));
  };
  const loaded = query.data;
  const rows = useMemo(() => {
    if (!loaded) return [];
    const all = new Map<number, LogRow>();
    for (const r of [...(older.key === key ? older.rows : []), ...loaded, ...(arrived.key === key ? arrived.rows : [])]) all.set(r.id, r);
    return [...all.values()].sort((a, b) => a.id - b.id).slice(-MAX_SHOWN);
  }, [loaded, older, arrived, key]);
  const olderEnd = (older.key === key && older.end) || (loaded !== undefined && loaded.length < PAGE_ROWS);
  // "Load older": the rows just before the oldest shown, with the same filters, from the server.
  const loadOlder = async () => {
    const oldest = rows[0];
    if (!oldest) return;
    setOlder((o) => ({ ...(o.key === key ? o : { key, rows: [], end: false }), loading: true }));
    const page = await act(() => api.queryLog({ ...queryInput(), beforeId: oldest.id }), `Loaded older rows.`);
    setOlder((o) => {
      const base = o.key === key ? o.rows : [];
      return { key, rows: [...(page ?? []), ...base], end: page !== undefined && page.length < PAGE_ROWS, loading: false };
    });
  };

  return (
    <>
      <PageHeader
        title={traceKey ? 'Trace' : 'Logs'}
        description={traceKey ? `Everything logged for ${traceKey === 'sessionId' ? 'connection' : traceKey === 'queueId' ? 'queued message' : 'message'} ${filter[traceKey]}, oldest first.` : 'What the server did, newest at the top.'}
        actions={
          <Switch
            checked={live}
            onChange={(e) => setLive(e.currentTarget.checked)}
            label={live ? 'Live' : 'Paused'}
            thumbIcon={live ? undefined : <IconPlayerPause size={10} />}
            aria-label="Live tail"
          />
        }
      />
      {traceKey ? (
        <Group mb="md">
          <Badge size="lg" leftSection={<IconRoute size={14} />} variant="light" tt="none">
            {traceKey}: {filter[traceKey]}
          </Badge>
          <Button size="xs" variant="subtle" leftSection={<IconX size={14} />} onClick={() => set({ [traceKey]: undefined })}>
            Back to all logs
          </Button>
        </Group>
      ) : (
        <Group mb="md" align="flex-end">
          <Select
            label="Level"
            w={130}
            data={[{ value: '', label: 'all' }, ...LEVELS.map((l) => ({ value: l, label: `${l} and up` }))]}
            value={filter.level ?? ''}
            onChange={(v) => set({ level: (v || undefined) as LogLevel | undefined })}
            allowDeselect={false}
          />
          <TextInput label="Component" w={150} placeholder="smtp, imap, …" defaultValue={filter.component} onBlur={(e) => set({ component: e.currentTarget.value.trim() || undefined })} />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              set({ text: text.trim() || undefined });
            }}
          >
            <TextInput label="Search" w={260} placeholder="address, IP, event…" leftSection={<IconSearch size={16} />} value={text} onChange={(e) => setText(e.currentTarget.value)} onBlur={() => set({ text: text.trim() || undefined })} />
          </form>
          <Select
            label="Time"
            w={140}
            data={[
              { value: 'hour', label: 'last hour' },
              { value: 'day', label: 'last day' },
              { value: 'week', label: 'last week' },
              { value: 'all', label: 'all' },
            ]}
            value={filter.since ?? 'all'}
            onChange={(v) => set({ since: v === 'all' ? undefined : (v ?? undefined) })}
            allowDeselect={false}
          />
        </Group>
      )}
      <QueryView
        query={{ ...query, data: query.data && rows }}
        what="log"
        isEmpty={(r) => r.length === 0}
        empty={{ title: 'Nothing logged', description: traceKey ? 'No row carries this id.' : 'No log row matches these filters yet.' }}
      >
        {(r) =>
          traceKey ? (
            <Trace rows={r} />
          ) : (
            <>
              <LogTable rows={[...r].reverse()} onTrace={(k, v) => set({ [k]: v })} />
              <Group justify="space-between" mt="sm">
                <Text size="sm" c="dimmed" data-testid="log-count">
                  {r.length.toLocaleString()} rows shown{olderEnd ? ', nothing older matches' : ''}
                </Text>
                {!olderEnd && r.length < MAX_SHOWN && (
                  <Button size="xs" variant="default" loading={older.key === key && older.loading} onClick={() => void loadOlder()}>
                    Load older
                  </Button>
                )}
              </Group>
            </>
          )
        }
      </QueryView>
    </>
  );
}

function LogTable({ rows, onTrace }: { rows: LogRow[]; onTrace(key: TraceKey, value: string): void }) {
  return (
    <Table.ScrollContainer minWidth={820} maxHeight="75vh" type="native">
      <Table striped highlightOnHover stickyHeader aria-label="Log" fz="sm" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={170}>Time</Table.Th>
            <Table.Th w={70}>Level</Table.Th>
            <Table.Th w={110}>Component</Table.Th>
            <Table.Th>Event</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id} data-log-event={row.event}>
              <Table.Td>{new Date(row.ts).toLocaleString()}</Table.Td>
              <Table.Td>
                <Badge size="sm" color={LEVEL_COLORS[row.level]}>
                  {row.level}
                </Badge>
              </Table.Td>
              <Table.Td>{row.component}</Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <Text size="sm" fw={500}>
                    {row.event}
                  </Text>
                  <Group gap={4}>
                    {TRACE_KEYS.map((k) =>
                      row[k] ? (
                        <Button key={k} size="compact-xs" variant="light" onClick={() => onTrace(k, row[k]!)} title={`Trace ${k} ${row[k]}`}>
                          {k === 'sessionId' ? 'session' : k === 'queueId' ? 'queue' : 'msg'} {row[k]}
                        </Button>
                      ) : null,
                    )}
                  </Group>
                </Stack>
              </Table.Td>
              <Table.Td>
                <Fields fields={row.fields} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Fields({ fields }: { fields: Record<string, unknown> }) {
  const entries = Object.entries(fields);
  if (entries.length === 0) return null;
  return (
    <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
      {entries.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ')}
    </Text>
  );
}

function Trace({ rows }: { rows: LogRow[] }) {
  const failed = rows.some((r) => r.level === 'error');
  return (
    <Stack>
      {failed && <Alert color="red">This trace contains errors.</Alert>}
      <Timeline active={rows.length - 1} bulletSize={18} lineWidth={2}>
        {rows.map((row) => (
          <Timeline.Item key={row.id} color={LEVEL_COLORS[row.level]} title={`${row.event}`}>
            <Text size="xs" c="dimmed">
              {new Date(row.ts).toLocaleString()} · {row.component} · {row.level}
            </Text>
            <Fields fields={row.fields} />
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}
