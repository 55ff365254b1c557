// Settings → Network (issue 18): the addresses the listeners bind to, their ports, the autoconfig
// listener, and the DNS servers. Checked with the contract's schemas in the form; before saving, each
// changed address and port is tried on the server (testPorts), so "port in use" and "not an address of
// this machine" are field errors, not a listener that is off after the next start. DNS servers apply
// at once; addresses and ports at the next start, and the card says which. CLI twin: `mailroom config
// set listenHost|adminHost|ports.NAME|autoconfigEnabled|dnsServers`.
import { useState } from 'react';
import { Alert, Card, SimpleGrid, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { LISTENER_NAMES, type AdminApi, type ListenerName, type Settings } from '../../../server/admin/contract.js';
import { notifyDone, useClient } from '../../client-context.js';
import { useFormSubmit, validateWith } from '../../forms.js';
import { SettingsFormShell } from '../../components/settings-form.js';
import { PortInputs, RESTART_NOTE } from '../setup/steps/ports.js';
import { portsOf } from '../setup/schema.js';
import { READ_AT_START, networkFormSchema, toNetworkForm, toNetworkPatch, type NetworkValues } from './schema.js';

export function NetworkCard({ settings, onSaved }: { settings: Settings; onSaved(): void }) {
  const { api } = useClient();
  const form = useForm<NetworkValues>({ mode: 'controlled', initialValues: toNetworkForm(settings), validate: validateWith(networkFormSchema) });
  const [note, setNote] = useState<string>();
  const { submit, error } = useFormSubmit(form, async (v) => {
    setNote(undefined);
    const problems = await bindProblems(api, v, settings);
    for (const [field, message] of problems) form.setFieldError(field, message);
    if (problems.length > 0) return;
    const saved = await api.updateSettings(toNetworkPatch(v));
    const next = toNetworkForm(saved);
    form.setValues(next);
    form.resetDirty(next);
    const atStart = READ_AT_START.some((key) => JSON.stringify(saved[key]) !== JSON.stringify(settings[key]));
    setNote(atStart ? `Saved. ${RESTART_NOTE} DNS servers apply at once.` : 'Saved. DNS servers apply at once.');
    notifyDone('Network settings saved.');
    onSaved();
  });
  return (
    <Card withBorder component="section" aria-labelledby="network-title">
      <Title order={3} size="h4" id="network-title" mb="xs">
        Network
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Addresses and ports are read when Mailroom starts: changes take effect at the next start (the dashboard shows the ports in use now). DNS servers
        apply at once.
      </Text>
      <SettingsFormShell
        label="Network"
        gap="md"
        onSubmit={submit}
        dirty={form.isDirty()}
        submitting={form.submitting}
        error={error}
        status={
          note && (
            <Alert color="blue" icon={<IconInfoCircle />} role="status">
              {note}
            </Alert>
          )
        }
        saveLabel="Save network settings"
        onUndo={() => form.setValues(toNetworkForm(settings))}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Mail listeners bind to" description="0.0.0.0 or :: for every address of this machine" {...form.getInputProps('listenHost')} />
          <TextInput label="Admin page binds to" description="127.0.0.1: only this machine opens the admin page" {...form.getInputProps('adminHost')} />
        </SimpleGrid>
        <PortInputs form={form} />
        <Switch
          label="Answer mail clients' autoconfig and Autodiscover requests"
          description="Thunderbird and Outlook find their settings from the address alone (autoconfig.<domain>, autodiscover.<domain>)."
          {...form.getInputProps('autoconfigEnabled', { type: 'checkbox' })}
        />
        <Textarea
          label="DNS servers"
          description="One per line, optionally with a port (192.0.2.53:5353, [2001:db8::53]:53). Empty: the system's resolvers."
          rows={3}
          maw={420}
          {...form.getInputProps('dnsServers')}
        />
      </SettingsFormShell>
    </Card>
  );
}

/**
 * Tries each changed address and port on the server: a field error for each that would not bind
 * (another program holds it, it needs privileges, the address is not this machine's). A changed
 * address is tried with any free port (0); ports this Mailroom holds count as fine.
 */
async function bindProblems(api: AdminApi, v: NetworkValues, s: Settings): Promise<Array<[string, string]>> {
  const ports = portsOf(v);
  const problems: Array<[string, string]> = [];
  const groups: Array<{ hostField: 'listenHost' | 'adminHost'; names: ListenerName[] }> = [
    { hostField: 'listenHost', names: LISTENER_NAMES.filter((n) => n !== 'admin' && (n !== 'autoconfig' || v.autoconfigEnabled)) },
    { hostField: 'adminHost', names: ['admin'] },
  ];
  for (const { hostField, names } of groups) {
    const host = v[hostField].trim();
    if (host !== s[hostField]) {
      const probe = await api.testPorts({ host, ports: { [names[0]]: 0 } });
      const failed = probe.results.find((r) => !r.ok);
      if (failed) {
        problems.push([hostField, failed.explanation]);
        continue;
      }
    }
    const changed = names.filter((n) => ports[n] !== s.ports[n] || (n === 'autoconfig' && !s.autoconfigEnabled));
    if (changed.length === 0) continue;
    const report = await api.testPorts({ host, ports: Object.fromEntries(changed.map((n) => [n, ports[n]])) });
    for (const r of report.results) if (!r.ok) problems.push([r.name, r.explanation]);
  }
  return problems;
}
