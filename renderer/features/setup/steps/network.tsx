// Step: the trusted LAN range. Relaying for a range beyond the private ones is an open relay: the
// admin must confirm it in a dialog first, and the summary shows it in red. Back and a new range
// replace the range this wizard added; an empty range removes it.
import { Alert, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { NetworkView } from '../../../../server/admin/contract.js';
import { useApi, useQuery } from '../../../client-context.js';
import { validateWith } from '../../../forms.js';
import { QueryView } from '../../../components/states.js';
import { isOpenRelay, OPEN_RELAY_WARNING, useOpenRelayConfirm } from '../../access/open-relay.js';
import { networkSchema } from '../schema.js';
import { StepFrame } from '../step-frame.js';
import type { NetworkValues, StepProps } from '../step-types.js';

export function NetworkStep(props: StepProps<'network'>) {
  const networks = useQuery((api) => api.listNetworks(), []);
  return <QueryView query={networks} what="trusted networks">{(list) => <NetworkForm {...props} networks={list} />}</QueryView>;
}

function NetworkForm({ previous, nav, onSaved, networks }: StepProps<'network'> & { networks: NetworkView[] }) {
  const api = useApi();
  const relayConfirm = useOpenRelayConfirm();
  const form = useForm<NetworkValues>({
    mode: 'controlled',
    initialValues: previous?.values ?? { cidr: '', description: 'Office LAN', relay: false },
    validate: validateWith(networkSchema),
  });
  const mine = previous?.created ? previous.cidr : null;
  const others = networks.filter((n) => n.cidr !== mine);

  const save = async (values: NetworkValues) => {
    const cidr = values.cidr.trim();
    const openRelay = isOpenRelay(cidr, values.relay);
    if (openRelay && !(await relayConfirm.ask(cidr))) return;
    const fields = { description: values.description, relay: values.relay, confirmOpenRelay: openRelay };
    if (cidr === '') {
      if (mine) await api.removeNetwork({ cidr: mine });
      return onSaved({ values, cidr: null, created: false, openRelay: false });
    }
    if (mine && (cidr === mine || cidr === previous?.values.cidr.trim())) {
      const n = await api.updateNetwork({ cidr: mine, ...fields });
      return onSaved({ values, cidr: n.cidr, created: true, openRelay });
    }
    const existing = others.find((n) => n.cidr === cidr);
    const n = existing ? await api.updateNetwork({ cidr: existing.cidr, ...fields }) : await api.addNetwork({ cidr, ...fields });
    if (mine) await api.removeNetwork({ cidr: mine });
    onSaved({ values, cidr: n.cidr, created: !existing, openRelay });
  };

  const warn = isOpenRelay(form.values.cidr, form.values.relay);
  return (
    <StepFrame form={form} nav={nav} save={save}>
      <Text>
        Devices on a trusted range may use the server from the LAN. Leave the range empty to trust only this machine. Allow sending without a
        password only for devices that cannot log in, like an office scanner.
      </Text>
      <TextInput
        label="LAN range (CIDR)"
        placeholder="192.168.1.0/24"
        data-autofocus
        description={others.length > 0 ? `Optional: ${others.length} range(s) are already trusted.` : 'Optional.'}
        {...form.getInputProps('cidr')}
      />
      <TextInput label="Description" {...form.getInputProps('description')} />
      <Switch label="Devices in this range may send mail without a password" {...form.getInputProps('relay', { type: 'checkbox' })} />
      {warn && (
        <Alert color="red" icon={<IconAlertTriangle />} title="This would be an open relay">
          {form.values.cidr.trim()} is not a private range: {OPEN_RELAY_WARNING}. Next asks you to confirm.
        </Alert>
      )}
      {relayConfirm.dialog}
    </StepFrame>
  );
}
