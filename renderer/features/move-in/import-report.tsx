// What an import would do (the dry run), how far it is (live progress with rate and ETA), and what it
// did (the final report): every conflict with its effect, every unreadable file with its reason, so
// nothing is dropped without the admin seeing it.
import { Alert, Badge, Group, List, Progress, Stack, Table, Text, Title } from '@mantine/core';
import type { ImportProgress, ImportReport } from '../../../server/admin/contract.js';
import { conflictWhat, EFFECT } from '../../../server/import/conflict-text.js';
import { formatBytes } from '../../format.js';

const EFFECT_COLOR = { skipped: 'red', 'imported-disabled': 'orange', imported: 'yellow' } as const;

function CountTable({ label, rows }: { label: string; rows: Array<[string, number | string]> }) {
  return (
    <Table withTableBorder aria-label={label} w="auto">
      <Table.Tbody>
        {rows.map(([what, n]) => (
          <Table.Tr key={what}>
            <Table.Th>{what}</Table.Th>
            <Table.Td>{n}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Per account: folders, messages, size, and (after a run) what an earlier run had copied. */
function MailTable({ label, rows }: { label: string; rows: Array<{ address: string; folders: number; messages: number; bytes: number; alreadyImported?: number }> }) {
  const before = rows.some((m) => m.alreadyImported !== undefined);
  return (
    <Table withTableBorder aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {['Account', 'Folders', 'Messages', 'Size', ...(before ? ['Imported before'] : [])].map((h) => (
            <Table.Th key={h}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((m) => (
          <Table.Tr key={m.address}>
            {[m.address, m.folders, m.messages, formatBytes(m.bytes), ...(before ? [m.alreadyImported] : [])].map((cell, i) => (
              <Table.Td key={i}>{cell}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Conflicts, unreadable files and notes: what was (or will be) skipped or changed, and why. */
function Findings({ report }: { report: ImportReport }) {
  const conflicts = report.plan.conflicts;
  const problems = [...report.problems, ...report.mail.flatMap((m) => m.problems)];
  if (conflicts.length === 0 && problems.length === 0 && report.warnings.length === 0) {
    return <Text size="sm">No conflicts: everything {report.dryRun ? 'will be' : 'was'} imported as it is.</Text>;
  }
  return (
    <Stack gap="sm">
      {conflicts.length > 0 && (
        <div>
          <Title order={3} size="h5">Conflicts ({conflicts.length})</Title>
          <List size="sm" aria-label="Conflicts" spacing={4}>
            {conflicts.map((c, i) => (
              <List.Item key={i}>
                <Group gap="xs" wrap="nowrap">
                  <Badge size="sm" color={EFFECT_COLOR[c.effect]}>
                    {EFFECT[c.effect]}
                  </Badge>
                  <span>{conflictWhat(c)}</span>
                </Group>
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {problems.length > 0 && (
        <div>
          <Title order={3} size="h5">Could not be read ({problems.length})</Title>
          <List size="sm" aria-label="Unreadable" spacing={4}>
            {problems.map((p, i) => (
              <List.Item key={i}>
                {p.path}: {p.reason}
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {report.warnings.length > 0 && (
        <List size="sm" aria-label="Notes">
          {report.warnings.map((w) => (
            <List.Item key={w}>{w}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

/** The dry run: nothing written yet. */
export function PlanView({ report }: { report: ImportReport }) {
  const { create, totals } = report.plan;
  const directory = totals.domains + totals.accounts + totals.aliases + create.forwardings.length + create.aliasDomains.length + create.transports.length > 0;
  return (
    <Stack>
      <Text size="sm">Nothing has been written yet. This is what the import will do:</Text>
      {directory && (
        <CountTable
          label="Will create"
          rows={[
            ['Domains', totals.domains],
            ['Accounts', `${totals.accounts}${create.accounts.some((a) => a.disabledReason) ? ` (${create.accounts.filter((a) => a.disabledReason).length} disabled)` : ''}`],
            ['Aliases', totals.aliases],
            ['Forwardings', create.forwardings.length],
            ['Alias domains', create.aliasDomains.length],
            ['Transports', create.transports.length],
          ]}
        />
      )}
      {create.mail.length > 0 && <MailTable label="Mail to import" rows={create.mail} />}
      {!directory && create.mail.length === 0 && <Alert color="orange">The source holds nothing to import.</Alert>}
      <Findings report={report} />
    </Stack>
  );
}

/** The final report of a run. */
export function ResultView({ report }: { report: ImportReport }) {
  const d = report.directory;
  return (
    <Stack>
      {d && (
        <CountTable
          label="Created"
          rows={[
            ['Domains', d.domains],
            ['Accounts', `${d.accounts} (${d.disabledAccounts} disabled)`],
            ['Aliases', d.aliases],
            ['Forwardings', d.forwardings],
            ['Catch-alls', d.catchAlls],
            ['Alias domains', d.aliasDomains],
            ['Transports', d.transports],
          ]}
        />
      )}
      {report.mail.length > 0 && <MailTable label="Mail imported" rows={report.mail} />}
      {report.mail.some((m) => m.foldersRenumbered.length > 0) && (
        <Alert color="yellow" title="New UIDs">
          {report.mail
            .filter((m) => m.foldersRenumbered.length > 0)
            .map((m) => `${m.address}: ${m.foldersRenumbered.join(', ')}`)
            .join('; ')}{' '}
          already held mail here, so their messages got new UIDs: mail clients download those folders again.
        </Alert>
      )}
      <Findings report={report} />
    </Stack>
  );
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} min left`;
  return `${(seconds / 3600).toFixed(1)} h left`;
}

const STAGE_TEXT: Record<ImportProgress['stage'], string> = {
  reading: 'Reading the source…',
  directory: 'Writing the directory…',
  mail: 'Copying mail…',
  done: 'Finishing…',
};

/** Messages and bytes per second, measured by the page since the mail stage began. */
export interface Rate {
  messages: number;
  bytes: number;
}

/** Live progress: users, messages, bytes, the rate and the time left. */
export function ProgressView({ progress, rate }: { progress: ImportProgress | null; rate: Rate | undefined }) {
  if (!progress) return <Text size="sm">Starting…</Text>;
  const { messages, bytes, users } = progress;
  const percent = bytes.total > 0 ? (100 * bytes.done) / bytes.total : messages.total > 0 ? (100 * messages.done) / messages.total : 0;
  return (
    <Stack gap="xs" role="status" aria-label="Import progress">
      <Text size="sm">
        {STAGE_TEXT[progress.stage]} {progress.user ? `${progress.user}${progress.folder ? ` / ${progress.folder}` : ''}` : ''}
      </Text>
      <Progress value={percent} animated aria-label="Imported so far" />
      <Text size="sm">
        Users {users.done} of {users.total} · messages {messages.done} of {messages.total} · {formatBytes(bytes.done)} of {formatBytes(bytes.total)}
        {rate && ` · ${Math.round(rate.messages)} messages/s (${formatBytes(rate.bytes)}/s)`}
        {rate && rate.bytes > 0 && ` · ${eta((bytes.total - bytes.done) / rate.bytes)}`}
      </Text>
    </Stack>
  );
}
