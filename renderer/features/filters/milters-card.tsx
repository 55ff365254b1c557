// The milter chain (Postfix smtpd_milters): the milters in the order they run, each with its
// listeners, timeout and what happens when it is down; add one (after testing the connection if the
// admin likes), test or remove one. The form checks with the contract's milter schema.
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Code, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import type { MilterTestResult } from '../../../server/admin/contract.js';
import { act, errorMessage, notifyDone, useApi, useQuery } from '../../client-context.js';
import { ListTable, RowActions } from '../../components/list-table.js';
import { QueryView } from '../../components/states.js';
import { ConfirmButton } from '../../components/confirm.js';
import { FormModal } from '../../components/form-modal.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { describeMilter, milterFormSchema, milterOf, NEW_MILTER, type MilterFormValues } from './schema.js';

export function MiltersCard() {
  const api = useApi();
  const query = useQuery((a) => a.listMilters({}));
  const [adding, setAdding] = useState(false);
  const [tested, setTested] = useState<{ name: string; result: MilterTestResult }>();
  const test = async (name: string) => {
    try {
      setTested({ name, result: await api.testMilter({ name }) });
    } catch (error) {
      setTested({ name, result: { ok: false, detail: errorMessage(error), elapsedMs: 0 } });
    }
  };
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Stack gap={2}>
          <Title order={3} size="h4">Milters</Title>
          <Text size="sm" c="dimmed">
            Content filters (rspamd, SpamAssassin, ClamAV) that see each message over the milter protocol, in this order.
          </Text>
        </Stack>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
          Add milter
        </Button>
      </Group>
      <QueryView query={query} what="milters" isEmpty={(m) => m.length === 0} empty={{ title: 'No milters', description: 'Mail is not scanned by a content filter.' }}>
        {(milters) => (
          <ListTable label="Milters" minWidth={560} columns={['Name', 'Endpoint', 'Listeners, timeout, when down']}>
            {milters.map((m) => (
              <Table.Tr key={m.name}>
                <Table.Td fw={600}>{m.name}</Table.Td>
                <Table.Td>
                  <Code>{m.endpoint}</Code>
                </Table.Td>
                <Table.Td>{describeMilter(m)}</Table.Td>
                <RowActions>
                  <Button size="xs" variant="light" onClick={() => void test(m.name)} aria-label={`Test the milter ${m.name}`}>
                    Test
                  </Button>
                  <ConfirmButton
                    label="Remove"
                    aria-label={`Remove the milter ${m.name}`}
                    title={`Remove the milter ${m.name}?`}
                    message="Mail is no longer passed to it."
                    confirmLabel="Remove milter"
                    onConfirm={() => act(() => api.removeMilter({ name: m.name }), `Removed the milter ${m.name}.`).then(query.reload)}
                  />
                </RowActions>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryView>
      {tested && <TestResult title={`Test of ${tested.name}`} result={tested.result} />}
      {adding && <AddMilterModal onClose={() => setAdding(false)} onSaved={query.reload} />}
    </Card>
  );
}

function TestResult({ title, result }: { title: string; result: MilterTestResult }) {
  return (
    <Alert mt="sm" color={result.ok ? 'green' : 'red'} title={title} role="status">
      {result.detail}
    </Alert>
  );
}

function AddMilterModal({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const api = useApi();
  const form = useForm<MilterFormValues>({ mode: 'controlled', initialValues: NEW_MILTER, validate: validateWith(milterFormSchema) });
  const [tested, setTested] = useState<MilterTestResult>();
  const [testing, setTesting] = useState(false);
  const { submit, error, setError } = useFormSubmit(
    form,
    async (v) => {
      const saved = await api.addMilter(milterOf(v));
      notifyDone(`The milter ${saved.name} is added.`);
      onSaved();
      onClose();
    },
    { timeoutMs: 'timeoutSeconds' },
  );
  const testConnection = async () => {
    setTested(undefined);
    setError(undefined);
    if (form.validateField('endpoint').hasError) return;
    setTesting(true);
    try {
      setTested(await api.testMilter({ endpoint: form.getValues().endpoint.trim() }));
    } catch (e) {
      setTested({ ok: false, detail: errorMessage(e), elapsedMs: 0 });
    } finally {
      setTesting(false);
    }
  };
  return (
    <FormModal title="Add a milter" onClose={onClose} onSubmit={submit} error={error} submitLabel="Add milter" submitting={form.submitting}>
      <TextInput label="Name" placeholder="rspamd" data-autofocus {...form.getInputProps('name')} />
      <TextInput label="Endpoint" placeholder="inet:127.0.0.1:11332" description="inet:host:port or unix:/path/to/socket" {...form.getInputProps('endpoint')} />
      <Group>
        <Button variant="light" onClick={() => void testConnection()} loading={testing}>
          Test connection
        </Button>
      </Group>
      {tested && <TestResult title="Connection test" result={tested} />}
      <Checkbox.Group label="Scan mail arriving on" {...form.getInputProps('listeners')}>
        <Group mt={4}>
          <Checkbox value="mx" label="MX (port 25)" />
          <Checkbox value="submission" label="Submission (587, 465)" />
        </Group>
      </Checkbox.Group>
      <NumberInput label="Timeout (seconds)" min={1} max={600} maw={200} {...form.getInputProps('timeoutSeconds')} />
      <Select
        label="When the milter is down"
        data={[
          { value: 'tempfail', label: 'Ask the sender to try later (451)' },
          { value: 'accept', label: 'Accept the mail unscanned' },
        ]}
        allowDeselect={false}
        {...form.getInputProps('defaultAction')}
      />
    </FormModal>
  );
}
