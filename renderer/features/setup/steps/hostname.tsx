// Step: the server's name (HELO, banner, the name clients connect to). Saving again overwrites it.
import { Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useApi, useQuery } from '../../../client-context.js';
import { validateWith } from '../../../forms.js';
import { QueryView } from '../../../components/states.js';
import { hostnameSchema } from '../schema.js';
import { StepFrame } from '../step-frame.js';
import type { StepProps } from '../step-types.js';

/** The name the server starts with when nobody chose one: not worth offering as the answer. */
const UNSET_HOSTNAME = 'localhost.localdomain';

export function HostnameStep(props: StepProps<'hostname'>) {
  const settings = useQuery((api) => api.getSettings(), []);
  if (props.previous) return <HostnameForm {...props} initial={props.previous.hostname} />;
  return (
    <QueryView query={settings} what="settings">
      {(s) => <HostnameForm {...props} initial={s.hostname === UNSET_HOSTNAME ? '' : s.hostname} />}
    </QueryView>
  );
}

function HostnameForm({ nav, onSaved, initial }: StepProps<'hostname'> & { initial: string }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { hostname: initial }, validate: validateWith(hostnameSchema) });
  const save = async ({ hostname }: { hostname: string }) => {
    const settings = await api.updateSettings({ hostname: hostname.trim() });
    onSaved({ hostname: settings.hostname });
  };
  return (
    <StepFrame form={form} nav={nav} save={save}>
      <Text>The name this server gives itself when it talks to other mail servers, and the name mail clients connect to.</Text>
      <TextInput label="Hostname" placeholder="mail.example.com" description="Ideally a DNS name that points to this machine." data-autofocus {...form.getInputProps('hostname')} />
    </StepFrame>
  );
}
