// Step: the first mailbox. Back and Next with the same address edit that account (a changed password
// or name is applied); a new address replaces the account this wizard made.
import { PasswordInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ClientError } from '../../../api.js';
import { useApi } from '../../../client-context.js';
import { validateWith } from '../../../forms.js';
import { StrengthHint } from '../../../components/strength-hint.js';
import { userSchema } from '../schema.js';
import { StepFrame } from '../step-frame.js';
import type { StepProps, UserValues } from '../step-types.js';

const BLANK: UserValues = { localPart: '', displayName: '', password: '', confirm: '' };

export function UserStep({ previous, results, nav, onSaved }: StepProps<'user'>) {
  const api = useApi();
  const domain = results.domain?.name ?? '';
  const shownDomain = results.domain?.displayName ?? domain;
  const form = useForm({ mode: 'controlled', initialValues: previous?.values ?? BLANK, validate: validateWith(userSchema) });
  const save = async (values: UserValues) => {
    const address = `${values.localPart.trim()}@${domain}`;
    if (previous && previous.address === address.toLowerCase()) {
      if (values.password !== previous.values.password) await api.setPassword({ address, password: values.password });
      if ((values.displayName ?? '') !== (previous.values.displayName ?? '')) await api.updateAccount({ address, displayName: values.displayName });
      return onSaved({ ...previous, values });
    }
    const account = await api.addAccount({ address, displayName: values.displayName, password: values.password });
    // The account this wizard made under the address the admin has now changed (gone already when
    // its domain was replaced).
    if (previous?.created) await api.removeAccount({ address: previous.address }).catch(ignoreNotFound);
    onSaved({ values, address: account.address.toLowerCase(), created: true });
  };
  return (
    <StepFrame form={form} nav={nav} save={save}>
      <Text>The first mailbox. Its owner logs in to mail clients with the full address and this password.</Text>
      <TextInput
        label="Address"
        placeholder="alice"
        data-autofocus
        rightSection={
          <Text size="sm" c="dimmed" pr="md">
            @{shownDomain}
          </Text>
        }
        rightSectionWidth={Math.max(80, shownDomain.length * 8 + 30)}
        {...form.getInputProps('localPart')}
      />
      <TextInput label="Full name" placeholder="Alice Example" {...form.getInputProps('displayName')} />
      <PasswordInput label="Password" autoComplete="new-password" {...form.getInputProps('password')} />
      <StrengthHint password={form.values.password} />
      <PasswordInput label="Repeat the password" autoComplete="new-password" {...form.getInputProps('confirm')} />
    </StepFrame>
  );
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof ClientError && error.code === 'not-found')) throw error;
}
