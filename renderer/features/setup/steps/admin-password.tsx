// Step: the admin password of a headless install (it protects the admin page). Set once: the
// wizard offers no Back into it.
import { PasswordInput, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useClient } from '../../../client-context.js';
import { validateWith } from '../../../forms.js';
import { StrengthHint } from '../../../components/strength-hint.js';
import { adminPasswordSchema } from '../schema.js';
import { StepFrame } from '../step-frame.js';
import type { StepProps } from '../step-types.js';

export function AdminPasswordStep({ nav, onSaved }: StepProps<'admin-password'>) {
  const client = useClient();
  const form = useForm({ mode: 'controlled', initialValues: { password: '', confirm: '' }, validate: validateWith(adminPasswordSchema) });
  const save = async ({ password }: { password: string }) => {
    if (!client.auth) throw new Error('This window needs no admin password.');
    await client.auth.setPassword(password);
    onSaved({ set: true });
  };
  return (
    <StepFrame form={form} nav={nav} save={save}>
      <Text>Choose the password for this admin page. Anyone who can open this page and knows it can change the whole server.</Text>
      <PasswordInput label="Admin password" autoComplete="new-password" data-autofocus {...form.getInputProps('password')} />
      <StrengthHint password={form.values.password} />
      <PasswordInput label="Repeat the admin password" autoComplete="new-password" {...form.getInputProps('confirm')} />
    </StepFrame>
  );
}
