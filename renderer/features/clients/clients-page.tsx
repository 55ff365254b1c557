// Mail-client setup: what to type into a mail client, and files that do it for the user —
// Thunderbird's autoconfig per domain and an Apple profile (.mobileconfig) per user.
import { useState } from 'react';
import { Alert, Button, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { act, useApi, useQuery } from '../../client-context.js';
import { AccountField } from '../../components/account-field.js';
import { QueryView } from '../../components/states.js';
import { PageHeader } from '../../components/page.js';
import { appleMobileconfig, clientEndpoints, thunderbirdAutoconfig } from '../../../server/autoconfig/client-config.js';

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ClientsPage() {
  const api = useApi();
  const query = useQuery((a) => Promise.all([a.getSettings(), a.listDomains(), a.searchAccounts({ limit: 1 }), a.getStatus()]));
  const [typed, setTyped] = useState<string>();
  return (
    <>
      <PageHeader title="Mail clients" description="How Thunderbird, Apple Mail, Outlook and phones connect to this server." />
      <QueryView
        query={query}
        what="client settings"
        isEmpty={([, domains]) => domains.length === 0}
        empty={{ title: 'No domains yet', description: 'Add a domain and a user first.' }}
      >
        {([settings, domains, first, status]) => {
          // The ports the server listens on now; before its first start, the ones it will use.
          const endpoints = clientEndpoints(status.startedAt > 0 ? status.listeners : settings.ports);
          const address = typed ?? first.items[0]?.address ?? '';
          // The user is looked up when the profile is made: the field suggests, the server decides.
          const downloadProfile = () =>
            act(async () => {
              const account = (await api.searchAccounts({ query: address.trim(), limit: 5 })).items.find((a) => a.address.toLowerCase() === address.trim().toLowerCase());
              if (!account) throw new Error(`There is no user ${address.trim()}.`);
              download(`${account.address}.mobileconfig`, 'application/x-apple-aspen-config', appleMobileconfig(account.address, account.displayName, settings.hostname, endpoints, () => crypto.randomUUID().toUpperCase()));
            }, 'Profile made.');
          return (
            <Stack gap="lg">
              <Card withBorder>
                <Title order={3} size="h4" mb="sm">
                  Settings to enter
                </Title>
                <Table aria-label="Client settings" withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Protocol</Table.Th>
                      <Table.Th>Server</Table.Th>
                      <Table.Th>Port</Table.Th>
                      <Table.Th>Security</Table.Th>
                      <Table.Th>User name</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {endpoints.map((e) => (
                      <Table.Tr key={`${e.protocol}${e.port}`}>
                        <Table.Td>{e.protocol === 'SMTP' ? 'SMTP (outgoing)' : `${e.protocol} (incoming)`}</Table.Td>
                        <Table.Td>{settings.hostname}</Table.Td>
                        <Table.Td>{e.port}</Table.Td>
                        <Table.Td>{e.security}</Table.Td>
                        <Table.Td>the full address, normal password</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Card withBorder>
                  <Title order={3} size="h4">Thunderbird autoconfig</Title>
                  <Text size="sm" c="dimmed" mb="sm">
                    Publish the file at <Code>https://autoconfig.DOMAIN/mail/config-v1.1.xml</Code>; Thunderbird then sets itself up from the address alone.
                  </Text>
                  <Group gap="xs">
                    {domains.map((d) => (
                      <Button
                        key={d.name}
                        size="xs"
                        variant="light"
                        leftSection={<IconDownload size={14} />}
                        onClick={() => download('config-v1.1.xml', 'application/xml', thunderbirdAutoconfig(d.name, settings.hostname, endpoints))}
                      >
                        {d.displayName}
                      </Button>
                    ))}
                  </Group>
                </Card>
                <Card withBorder>
                  <Title order={3} size="h4">Apple profile (iPhone, iPad, Mac)</Title>
                  <Text size="sm" c="dimmed" mb="sm">
                    A .mobileconfig file with the account; the device asks for the password when it is installed.
                  </Text>
                  {first.total > 0 ? (
                    <Group align="flex-end">
                      <AccountField label="For" value={address} onChange={setTyped} w={260} />
                      <Button leftSection={<IconDownload size={16} />} onClick={() => void downloadProfile()}>
                        Download profile
                      </Button>
                    </Group>
                  ) : (
                    <Alert color="gray">Add a user first.</Alert>
                  )}
                </Card>
              </SimpleGrid>
            </Stack>
          );
        }}
      </QueryView>
    </>
  );
}
