// The DNS check of one domain (issue 18 §2), in the Domains page's drawer: each record the domain
// should publish, what the server's resolver answers for it, pass/fail, and the value to copy; the
// DKIM key is made or removed here too, after which the check runs again.
import { Alert, Badge, Button, Card, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconRefresh } from '@tabler/icons-react';
import type { DnsRecordCheck, DnsRecordStatus } from '../../../server/admin/contract.js';
import { act, useApi, useQuery } from '../../client-context.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { formatTime } from '../../format.js';

const BADGE: Record<DnsRecordStatus, { color: string; label: string }> = {
  ok: { color: 'green', label: 'Published' },
  warn: { color: 'yellow', label: 'Check' },
  fail: { color: 'red', label: 'Missing or wrong' },
  unchecked: { color: 'gray', label: 'Not checked' },
};

export function DnsCheck({ domain }: { domain: string }) {
  const query = useQuery((a) => Promise.all([a.checkDns({ domain }), a.getDkimKey({ domain })]), [domain]);
  return (
    <QueryView query={query} what="DNS check">
      {([report, key]) => (
        <Stack>
          <Text size="sm">
            Publish these records at your DNS provider so other servers deliver mail for {report.domain} here and trust the mail it sends. Each was asked of{' '}
            {report.resolver} at {formatTime(report.checkedAt)}.
          </Text>
          <Group justify="space-between">
            <Alert
              color={report.status === 'ok' ? 'green' : report.status === 'warn' ? 'yellow' : 'red'}
              p="xs"
              role="status"
              aria-label="DNS check result"
              style={{ flex: 1 }}
            >
              {report.status === 'ok'
                ? 'Every record mail needs is published.'
                : `${report.records.filter((r) => !r.optional && r.status === report.status).length} record(s) ${report.status === 'fail' ? 'missing or wrong' : 'to look at'}.`}
            </Alert>
            <Button variant="light" leftSection={<IconRefresh size={16} />} loading={query.loading} onClick={query.reload}>
              Check again
            </Button>
          </Group>
          {report.records.map((r) => (
            <RecordCard key={`${r.id} ${r.name}`} record={r} />
          ))}
          <DkimKey domain={domain} hasKey={key !== null} onChanged={query.reload} />
        </Stack>
      )}
    </QueryView>
  );
}

function RecordCard({ record: r }: { record: DnsRecordCheck }) {
  const badge = BADGE[r.status];
  return (
    <Card withBorder padding="sm" data-record={r.id} aria-label={`${r.type} ${r.name}`} component="section">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text fw={600} style={{ wordBreak: 'break-all' }}>
          {r.type} · <Code>{`${r.name}.`}</Code>
          {r.optional && (
            <Text span size="xs" c="dimmed">
              {' '}
              (optional)
            </Text>
          )}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Badge color={badge.color} variant="light" style={{ flexShrink: 0, overflow: 'visible' }}>
            {badge.label}
          </Badge>
          {r.type !== 'PTR' && <CopyValue value={r.value} what={`${r.type} ${r.name}`} />}
        </Group>
      </Group>
      <Code block mt={4} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {r.value}
      </Code>
      {r.found.length > 0 && (
        <Text size="sm" mt={4} style={{ wordBreak: 'break-all' }}>
          Found: {r.found.join(' · ')}
        </Text>
      )}
      <Text size="sm" mt={4} c={r.status === 'fail' ? 'red.8' : undefined}>
        {r.detail}
      </Text>
      <Text size="xs" c="dimmed">
        {r.why}
      </Text>
    </Card>
  );
}

function CopyValue({ value, what }: { value: string; what: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : 'Copy the value'}>
          <Button size="xs" variant="subtle" onClick={copy} aria-label={`Copy ${what}`} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        </Tooltip>
      )}
    </CopyButton>
  );
}

function DkimKey({ domain, hasKey, onChanged }: { domain: string; hasKey: boolean; onChanged(): void }) {
  const api = useApi();
  return hasKey ? (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        Mail from {domain} is signed with the DKIM key above.
      </Text>
      <ConfirmButton
        label="Remove DKIM key"
        title="Remove the DKIM key?"
        message="Outgoing mail will no longer be signed. Remove the DNS record too."
        confirmLabel="Remove key"
        onConfirm={() => act(() => api.removeDkimKey({ domain }), 'DKIM key removed.').then(onChanged)}
      />
    </Group>
  ) : (
    <Alert color="gray" title="No DKIM key yet">
      <Group justify="space-between">
        <Text size="sm">Generate a key so mail from {domain} is signed, then publish its record.</Text>
        <Button size="xs" onClick={() => void act(() => api.generateDkimKey({ domain }), 'DKIM key generated.').then(onChanged)}>
          Generate DKIM key
        </Button>
      </Group>
    </Alert>
  );
}
