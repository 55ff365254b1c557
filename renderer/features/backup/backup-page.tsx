// Backups (issue 12): the last good backup (and a warning when it is older than the schedule allows),
// a backup now with its stages as they happen (live `backup` events), the daily schedule, the backups
// in the folder with a check of each (read back whole: checksums, integrity, counts), and how to
// restore — which needs the server stopped, so it is a command, not a button.
import { useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDatabaseExport } from '@tabler/icons-react';
import type { BackupCheckView, BackupProgress } from '../../../server/admin/contract.js';
import { act, errorMessage, useApi, useLiveEvents, useQuery } from '../../client-context.js';
import { PageHeader } from '../../components/page.js';
import { QueryView } from '../../components/states.js';
import { ListTable, RowActions } from '../../components/list-table.js';
import { formatBytes, formatTime } from '../../format.js';

const STAGE_TEXT: Record<BackupProgress['stage'], string> = {
  copying: 'Copying the database (the server keeps serving)…',
  checking: 'Checking the copy…',
  writing: 'Writing the compressed file…',
  verifying: 'Reading it back to verify…',
  done: 'Backup written and verified.',
  failed: 'The backup failed.',
};

export function BackupPage() {
  const api = useApi();
  const status = useQuery((a) => a.backupStatus({}));
  const files = useQuery((a) => a.listBackups({}));
  const [stage, setStage] = useState<BackupProgress | undefined>();
  const [checked, setChecked] = useState<Record<string, BackupCheckView | string>>({});
  useLiveEvents((event) => {
    if (event.type !== 'backup') return;
    setStage(event.event);
    if (event.event.stage === 'done' || event.event.stage === 'failed') {
      status.reload();
      files.reload();
    }
  });
  const running = stage !== undefined && stage.stage !== 'done' && stage.stage !== 'failed';
  const check = async (file: string) => {
    try {
      const view = await api.checkBackup({ file });
      setChecked((c) => ({ ...c, [file]: view }));
    } catch (error) {
      setChecked((c) => ({ ...c, [file]: errorMessage(error) }));
    }
  };
  return (
    <>
      <PageHeader
        title="Backup"
        description="Backups are made while the server runs, compressed, with the TLS and DKIM keys, and verified after writing."
        actions={
          <Button leftSection={<IconDatabaseExport size={16} />} loading={running} onClick={() => void act(() => api.runBackup({}), 'The backup was written and verified.')}>
            Back up now
          </Button>
        }
      />
      {stage && (
        <Alert color={stage.stage === 'failed' ? 'red' : stage.stage === 'done' ? 'green' : 'blue'} mb="md" role="status" aria-label="Backup progress">
          {STAGE_TEXT[stage.stage]} {stage.file ?? ''} {stage.error ?? ''}
        </Alert>
      )}
      <QueryView query={status} what="the backup status">
        {(s) => (
          <Stack mb="md">
            <Card withBorder>
              <Title order={3} size="h4" mb="xs">
                Last good backup
              </Title>
              {s.last ? (
                <Text size="sm">
                  {formatTime(s.last.at)} — {s.last.messages} messages, {formatBytes(s.last.bytes)} — <Code>{s.last.file}</Code>
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  None yet.
                </Text>
              )}
              {s.stale && (
                <Alert color="orange" mt="xs">
                  The last good backup is older than the schedule allows.
                </Alert>
              )}
              {s.lastError && (
                <Alert color="red" mt="xs">
                  The backup at {formatTime(s.lastError.at)} failed: {s.lastError.error}
                </Alert>
              )}
            </Card>
            <ScheduleCard key={JSON.stringify(s.schedule)} schedule={s.schedule} dir={s.dir} onSaved={status.reload} />
          </Stack>
        )}
      </QueryView>
      <Card withBorder mb="md">
        <Title order={3} size="h4" mb="xs">
          Backups in the folder
        </Title>
        <QueryView query={files} what="backups" isEmpty={(f) => f.length === 0} empty={{ title: 'No backups in the folder yet.' }}>
          {(list) => (
            <ListTable label="Backups" minWidth={520} columns={['File', 'Made', 'Size']}>
              {list.map((b) => {
                const result = checked[b.file];
                return (
                  <Table.Tr key={b.file}>
                    <Table.Td>
                      <Code>{b.file}</Code>
                    </Table.Td>
                    <Table.Td>{formatTime(b.at)}</Table.Td>
                    <Table.Td>{formatBytes(b.bytes)}</Table.Td>
                    <RowActions>
                      {result === undefined ? (
                        <Button size="xs" variant="light" onClick={() => void check(b.file)} aria-label={`Check ${b.file}`}>
                          Check
                        </Button>
                      ) : typeof result === 'string' ? (
                        <Badge color="red">{result}</Badge>
                      ) : (
                        <Badge color="green">
                          Good: {result.domains.length} domains, {result.counts.accounts} users, {result.counts.messages} messages
                        </Badge>
                      )}
                    </RowActions>
                  </Table.Tr>
                );
              })}
            </ListTable>
          )}
        </QueryView>
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          Restoring
        </Title>
        <Text size="sm">
          A restore replaces all mail and settings, so it needs the server stopped. Stop Mailroom, then run <Code>mailroom restore FILE</Code> on this machine: it shows what
          the backup holds, keeps the current data as a backup first, and refuses a damaged backup or one from a newer Mailroom. Start Mailroom again afterwards.
        </Text>
      </Card>
    </>
  );
}

function ScheduleCard({ schedule, dir, onSaved }: { schedule: { dir: string; dailyAt: string; keep: number } | null; dir: string; onSaved(): void }) {
  const api = useApi();
  const [dailyAt, setDailyAt] = useState(schedule?.dailyAt ?? '03:00');
  const [keep, setKeep] = useState<number | string>(schedule?.keep ?? 7);
  const [folder, setFolder] = useState(schedule?.dir ?? '');
  const [error, setError] = useState<string | undefined>();
  const save = async (off: boolean) => {
    setError(undefined);
    try {
      await api.setBackupSchedule({ schedule: off ? null : { dir: folder, dailyAt, keep: Number(keep) } });
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        Schedule
      </Title>
      <Text size="sm" mb="xs">
        {schedule ? `Daily at ${schedule.dailyAt}, keeping ${schedule.keep}, in ${dir}.` : `No schedule: backups are made only when you ask, in ${dir}.`}
      </Text>
      <Group align="flex-end">
        <TextInput label="Daily at" value={dailyAt} onChange={(e) => setDailyAt(e.currentTarget.value)} w={110} />
        <NumberInput label="Keep" value={keep} onChange={setKeep} min={1} max={365} w={100} />
        <TextInput label="Folder (empty: the data folder's backups)" value={folder} onChange={(e) => setFolder(e.currentTarget.value)} style={{ flex: 1 }} />
        <Button onClick={() => void save(false)}>Save schedule</Button>
        {schedule && (
          <Button variant="subtle" color="red" onClick={() => void save(true)}>
            Turn off
          </Button>
        )}
      </Group>
      {error && (
        <Text c="red" size="sm" mt="xs">
          {error}
        </Text>
      )}
    </Card>
  );
}
