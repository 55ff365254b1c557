// The wizard's ports step (issue 7): the listener ports from the settings, a bind test that tries each
// one on the server (testPorts) and explains every refusal — a privileged port, a port another program
// holds — and one click to take the offered alternatives, saved at once. Ports are read when Mailroom
// starts, so a change takes effect at the next start; the step says so.
import { useState } from 'react';
import { Alert, Badge, Button, Group, NumberInput, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle, IconInfoCircle, IconPlugConnected } from '@tabler/icons-react';
import { LISTENER_NAMES, type ListenerName, type PortTestReport } from '../../../../server/admin/contract.js';
import { errorMessage, useApi, useQuery } from '../../../client-context.js';
import { validateWith } from '../../../forms.js';
import { QueryView } from '../../../components/states.js';
import { portsOf, portsSchema } from '../schema.js';
import { StepFrame } from '../step-frame.js';
import type { StepProps } from '../step-types.js';

export type PortsValues = Record<ListenerName, number | string>;

export const PORT_LABELS: Record<ListenerName, string> = {
  smtp: 'SMTP (incoming mail)',
  submission: 'Submission (STARTTLS)',
  submissions: 'Submission (TLS)',
  imap: 'IMAP',
  imaps: 'IMAP (TLS)',
  pop3: 'POP3',
  pop3s: 'POP3 (TLS)',
  managesieve: 'ManageSieve (mail rules)',
  admin: 'Admin page (HTTP)',
  autoconfig: 'Autoconfig for mail clients (HTTP)',
};

export const RESTART_NOTE = 'Mailroom reads its ports when it starts: changed ports take effect at the next start.';


export function PortsStep(props: StepProps<'ports'>) {
  const settings = useQuery((api) => api.getSettings(), []);
  if (props.previous) return <PortsForm {...props} initial={props.previous.ports} />;
  return <QueryView query={settings} what="settings">{(s) => <PortsForm {...props} initial={s.ports} />}</QueryView>;
}

function PortsForm({ nav, onSaved, initial }: StepProps<'ports'> & { initial: Record<ListenerName, number> }) {
  const api = useApi();
  const form = useForm<PortsValues>({ mode: 'controlled', initialValues: initial, validate: validateWith(portsSchema) });
  const save = async (values: PortsValues) => {
    const ports = portsOf(values);
    const changed = LISTENER_NAMES.some((n) => ports[n] !== initial[n]);
    onSaved({ ports: changed ? (await api.updateSettings({ ports })).ports : ports });
  };
  return (
    <StepFrame form={form} nav={nav} save={save}>
      <PortsFields form={form} />
    </StepFrame>
  );
}

/** One number field per listener (this step and the settings' network card). */
export function PortInputs<V extends PortsValues>({ form }: { form: UseFormReturnType<V> }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
      {LISTENER_NAMES.map((name) => (
        <NumberInput key={name} label={PORT_LABELS[name]} min={1} max={65535} hideControls {...form.getInputProps(name)} />
      ))}
    </SimpleGrid>
  );
}

/** The port fields with the bind test; "Use the alternatives" saves at once. */
function PortsFields({ form }: { form: UseFormReturnType<PortsValues> }) {
  const api = useApi();
  const [report, setReport] = useState<PortTestReport>();
  const [busy, setBusy] = useState<'test' | 'alternatives'>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();

  const test = async () => {
    if (form.validate().hasErrors) return;
    setBusy('test');
    setError(undefined);
    try {
      setReport(await api.testPorts({ ports: portsOf(form.getValues()) }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };

  const alternatives = report?.results.filter((r) => !r.ok && r.alternative !== undefined) ?? [];

  const takeAlternatives = async () => {
    setBusy('alternatives');
    setError(undefined);
    try {
      const ports = { ...portsOf(form.getValues()) };
      for (const r of alternatives) ports[r.name] = r.alternative!;
      const settings = await api.updateSettings({ ports });
      form.setValues(settings.ports);
      form.resetDirty(settings.ports);
      setSaved(`Saved: ${alternatives.map((r) => `${PORT_LABELS[r.name]} ${r.port} → ${r.alternative}`).join(', ')}. They take effect at the next start.`);
      setReport(await api.testPorts({ ports }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Stack>
      <Text>
        The ports Mailroom listens on. The standard ones let other servers and mail clients find it without extra settings; test whether
        this machine lets Mailroom open them.
      </Text>
      <PortInputs form={form} />
      <Group>
        <Button variant="light" leftSection={<IconPlugConnected size={16} />} loading={busy === 'test'} disabled={busy !== undefined} onClick={() => void test()}>
          Test ports
        </Button>
        {report && (
          <Text size="sm" c={report.allOk ? 'green' : 'red'}>
            {report.allOk ? 'All ports can be used.' : `${report.results.filter((r) => !r.ok).length} port(s) cannot be used.`}
          </Text>
        )}
      </Group>
      {report && (
        <Table withTableBorder aria-label="Port test" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={190}>Listener</Table.Th>
              <Table.Th w={70}>Port</Table.Th>
              <Table.Th w={110}>Result</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.results.map((r) => (
              <Table.Tr key={r.name} data-port-status={r.status}>
                <Table.Td>{PORT_LABELS[r.name]}</Table.Td>
                <Table.Td>{r.port}</Table.Td>
                <Table.Td>
                  <Badge color={r.ok ? 'green' : 'red'} variant="light">
                    {r.ok ? 'OK' : r.status === 'privileged' ? 'needs rights' : r.status === 'in-use' ? 'in use' : r.status === 'duplicate' ? 'twice' : 'refused'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.explanation}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {alternatives.length > 0 && (
        <Group>
          <Button loading={busy === 'alternatives'} disabled={busy !== undefined} onClick={() => void takeAlternatives()}>
            Use the alternatives
          </Button>
          <Text size="sm" c="dimmed">
            {alternatives.map((r) => `${r.port} → ${r.alternative}`).join(', ')}
          </Text>
        </Group>
      )}
      {saved && (
        <Alert color="green" icon={<IconInfoCircle />} role="status">
          {saved}
        </Alert>
      )}
      {error && (
        <Alert color="red" icon={<IconAlertTriangle />} role="alert">
          {error}
        </Alert>
      )}
      <Text size="xs" c="dimmed">
        {RESTART_NOTE} Other servers expect incoming mail on port 25; with another port, forward 25 to it on your router or firewall.
      </Text>
    </Stack>
  );
}
