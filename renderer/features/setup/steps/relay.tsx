// Step: outgoing mail, delivered directly or through the provider's relay host (smarthost).
// Saving again overwrites the setting.
import { Group, NumberInput, PasswordInput, SegmentedControl, Select, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { DEFAULT_PORTS, type Settings } from '../../../../server/admin/contract.js';
import { useApi, useQuery } from '../../../client-context.js';
import { validateWith } from '../../../forms.js';
import { QueryView } from '../../../components/states.js';
import { relaySchema } from '../schema.js';
import { StepFrame } from '../step-frame.js';
import type { RelayValues, StepProps } from '../step-types.js';

export function RelayStep(props: StepProps<'relay'>) {
  const settings = useQuery((api) => api.getSettings(), []);
  if (props.previous) return <RelayForm {...props} initial={props.previous.values} />;
  return <QueryView query={settings} what="settings">{(s) => <RelayForm {...props} initial={relayValues(s)} />}</QueryView>;
}

function relayValues(s: Settings): RelayValues {
  const r = s.relayHost;
  return r
    ? { mode: 'relay', host: r.host, port: r.port, tls: r.tls, username: r.username ?? '', password: r.password ?? '' }
    : { mode: 'direct', host: '', port: DEFAULT_PORTS.submission, tls: 'starttls', username: '', password: '' };
}

function RelayForm({ nav, onSaved, initial }: StepProps<'relay'> & { initial: RelayValues }) {
  const api = useApi();
  const form = useForm<RelayValues>({ mode: 'controlled', initialValues: initial, validate: validateWith(relaySchema) });
  const save = async (v: RelayValues) => {
    await api.updateSettings({
      relayHost: v.mode === 'direct' ? null : { host: v.host.trim(), port: Number(v.port), tls: v.tls, username: v.username || undefined, password: v.password || undefined },
    });
    onSaved({ values: v });
  };
  return (
    <StepFrame form={form} nav={nav} save={save}>
      <Text>
        Mail to other domains goes straight to the recipients' servers, or through your provider's relay (smarthost) when your network blocks
        port 25 or your address has no good reputation.
      </Text>
      <SegmentedControl
        aria-label="How outgoing mail leaves"
        data={[
          { value: 'direct', label: 'Deliver directly' },
          { value: 'relay', label: 'Use a relay host' },
        ]}
        {...form.getInputProps('mode')}
      />
      {form.values.mode === 'relay' && (
        <>
          <Group grow align="flex-start">
            <TextInput label="Relay host" placeholder="smtp.provider.example" data-autofocus {...form.getInputProps('host')} />
            <NumberInput label="Port" min={1} max={65535} maw={120} {...form.getInputProps('port')} />
          </Group>
          <Select
            label="Encryption"
            data={[
              { value: 'starttls', label: `STARTTLS (port ${DEFAULT_PORTS.submission})` },
              { value: 'implicit', label: `TLS from the start (port ${DEFAULT_PORTS.submissions})` },
              { value: 'none', label: 'None (only inside a trusted network)' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('tls')}
          />
          <Group grow>
            <TextInput label="User name" description="Optional" autoComplete="off" {...form.getInputProps('username')} />
            <PasswordInput label="Password" description="Optional" autoComplete="new-password" {...form.getInputProps('password')} />
          </Group>
        </>
      )}
    </StepFrame>
  );
}
