// Step: the first mail domain. Back and a new name replace the domain this wizard made (with the
// first user in it, which the next step makes again) instead of adding a second one; a domain that
// existed before the wizard is used as it is and never removed.
import { Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { DomainView } from '../../../../server/admin/contract.js';
import { useApi, useQuery } from '../../../client-context.js';
import { validateWith } from '../../../forms.js';
import { QueryView } from '../../../components/states.js';
import { domainSchema } from '../schema.js';
import { StepFrame } from '../step-frame.js';
import type { StepProps } from '../step-types.js';

export function DomainStep(props: StepProps<'domain'>) {
  const data = useQuery(async (api) => {
    const [settings, domains] = await Promise.all([api.getSettings(), api.listDomains()]);
    return { hostname: props.results.hostname?.hostname ?? settings.hostname, domains };
  }, []);
  return (
    <QueryView query={data} what="domains">
      {({ hostname, domains }) => <DomainForm {...props} domains={domains} initial={props.previous?.displayName ?? domains[0]?.displayName ?? guessDomain(hostname)} />}
    </QueryView>
  );
}

/** mail.example.com → example.com; a name of two labels or fewer gives no guess. */
export function guessDomain(hostname: string): string {
  const labels = hostname.split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : '';
}

function DomainForm({ previous, nav, onSaved, domains, initial }: StepProps<'domain'> & { domains: DomainView[]; initial: string }) {
  const api = useApi();
  const form = useForm({ mode: 'controlled', initialValues: { name: initial }, validate: validateWith(domainSchema) });
  const save = async ({ name }: { name: string }) => {
    const wanted = name.trim().toLowerCase();
    const same = (d: { name: string; displayName: string }) => d.name === wanted || d.displayName === wanted;
    if (previous && same(previous)) return onSaved(previous);
    const existing = domains.find(same);
    const result = existing
      ? { name: existing.name, displayName: existing.displayName, created: false }
      : await api.addDomain({ name }).then((d) => ({ name: d.name, displayName: d.displayName, created: true }));
    // The domain this wizard made a moment ago, under the name the admin has now corrected.
    if (previous?.created) await api.removeDomain({ name: previous.name, cascade: true });
    onSaved(result);
  };
  return (
    <StepFrame form={form} nav={nav} save={save}>
      <Text>The domain your addresses end in: for alice@example.com that is example.com.</Text>
      <TextInput label="Mail domain" placeholder="example.com" data-autofocus {...form.getInputProps('name')} />
    </StepFrame>
  );
}
