// The wizard's last page: everything the steps made or chose (an open relay in red), the settings
// mail clients need, and the next steps: a postmaster alias (RFC 5321 §4.5.1 wants one per domain)
// and the DNS records to publish.
import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { act, useApi, useQuery } from '../../client-context.js';
import { navigate } from '../../router.js';
import { recordsToPublish } from '../../../server/dns/records.js';
import { OPEN_RELAY_WARNING } from '../access/open-relay.js';
import type { StepResults } from './step-types.js';

export function Summary({ results }: { results: Partial<StepResults> }) {
  const settings = useQuery((api) => api.getSettings(), []);
  const hostname = settings.data?.hostname ?? results.hostname?.hostname ?? '';
  const ports = settings.data?.ports ?? results.ports?.ports;
  const domain = results.domain;
  const user = results.user?.address;
  const network = results.network;
  const relay = results.relay?.values;
  const made: Array<[string, React.ReactNode]> = [
    ['Server name', hostname],
    ['Mail domain', domain ? `${domain.displayName}${domain.created ? '' : ' (already there)'}` : 'none'],
    ['First user', user ?? 'none'],
    [
      'Trusted network',
      network?.cidr ? (
        <Group gap="xs" key="net">
          <span>{network.cidr}</span>
          {network.openRelay ? (
            <Badge color="red">open relay</Badge>
          ) : network.values.relay ? (
            <Badge variant="light">may send without a password</Badge>
          ) : null}
        </Group>
      ) : (
        'only this machine'
      ),
    ],
    ['Certificate', results.tls?.message ?? (results.tls?.selfSigned === false ? 'issued by a CA' : 'self-signed (generated at first start)')],
    ['Outgoing mail', relay?.mode === 'relay' ? `through ${relay.host}:${relay.port}` : 'delivered directly'],
  ];
  return (
    <Stack mt="lg">
      <Title order={2} size="h3">
        Mailroom is ready
      </Title>
      {network?.openRelay && (
        <Alert color="red" icon={<IconAlertTriangle />} title="Open relay">
          {network.cidr} may send without a password: {OPEN_RELAY_WARNING}. Change it under Trusted networks unless you really mean it.
        </Alert>
      )}
      <Table withTableBorder aria-label="What the wizard set up" layout="fixed">
        <Table.Tbody>
          {made.map(([label, value]) => (
            <Table.Tr key={label} bg={label === 'Trusted network' && network?.openRelay ? 'var(--mantine-color-red-light)' : undefined}>
              <Table.Th w={170}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {ports && user && <ClientSettings hostname={hostname} address={user} ports={ports} />}
      <Title order={3} size="h4">
        Next steps
      </Title>
      <List type="ordered" spacing="sm">
        {domain && user && (
          <List.Item>
            <PostmasterStep domain={domain.name} user={user} />
          </List.Item>
        )}
        {domain && (
          <List.Item>
            <Text>Publish these DNS records for {domain.displayName}, so other servers deliver here and trust your mail (DKIM is on the Domains page):</Text>
            <Table withTableBorder aria-label="DNS records to publish" mt="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {recordsToPublish({ domain: domain.name, hostname, ports: ports ?? {} }).filter((r) => !r.optional).map((r) => (
                  <Table.Tr key={`${r.type} ${r.name}`}>
                    <Table.Td>{r.type}</Table.Td>
                    <Table.Td>
                      <Code>{`${r.name}.`}</Code>
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      <Code>{r.value}</Code>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </List.Item>
        )}
        <List.Item>Add the other users, and set up their mail clients with the settings above.</List.Item>
      </List>
      <Group>
        <Button onClick={() => navigate('dashboard')}>Open the dashboard</Button>
        <Button variant="default" onClick={() => navigate('users')}>
          Add more users
        </Button>
        <Button variant="default" onClick={() => navigate('move-in')}>
          Move in from an old server
        </Button>
      </Group>
    </Stack>
  );
}

/** postmaster@domain → the first user, unless the domain has a postmaster already. */
function PostmasterStep({ domain, user }: { domain: string; user: string }) {
  const api = useApi();
  const existing = useQuery(async (a) => (await a.listAliases({ domain })).find((x) => x.address === `postmaster@${domain}`) ?? null, [domain]);
  const [busy, setBusy] = useState(false);
  if (existing.data) {
    return (
      <Text>
        <Code>postmaster@{domain}</Code> delivers to {existing.data.destinations.join(', ')}.
      </Text>
    );
  }
  const create = async () => {
    setBusy(true);
    await act(() => api.addAlias({ address: `postmaster@${domain}`, destinations: [user] }), `postmaster@${domain} delivers to ${user}.`);
    setBusy(false);
    existing.reload();
  };
  return (
    <Group gap="sm">
      <Text>
        Other servers send problem reports to <Code>postmaster@{domain}</Code>: let {user} receive them.
      </Text>
      <Button size="xs" variant="light" loading={busy} disabled={existing.data === undefined} onClick={() => void create()}>
        Create postmaster alias
      </Button>
    </Group>
  );
}

function ClientSettings({ hostname, address, ports }: { hostname: string; address: string; ports: StepResults['ports']['ports'] }) {
  const rows = [
    ['Incoming (IMAP)', hostname, String(ports.imaps), 'SSL/TLS', `or port ${ports.imap} with STARTTLS`],
    ['Incoming (POP3)', hostname, String(ports.pop3s), 'SSL/TLS', `or port ${ports.pop3} with STARTTLS`],
    ['Outgoing (SMTP)', hostname, String(ports.submission), 'STARTTLS', `or port ${ports.submissions} with SSL/TLS`],
  ];
  return (
    <>
      <Text>
        Set up mail clients with these settings. The user name is the full address (<Code>{address}</Code>) and the password is the user's.
      </Text>
      <Table withTableBorder striped aria-label="Mail client settings">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Server</Table.Th>
            <Table.Th>Host</Table.Th>
            <Table.Th>Port</Table.Th>
            <Table.Th>Security</Table.Th>
            <Table.Th>Alternative</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r[0]}>
              {r.map((c, i) => (
                <Table.Td key={i}>{i === 4 ? <Text size="xs" c="dimmed">{c}</Text> : c}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
