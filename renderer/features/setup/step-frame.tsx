// One wizard step's form: its fields, the server's refusal (on the field it names, or above the
// buttons), and Back / Finish later / Next. Next submits the form: it validates, then runs the step's
// save; the step moves on only when that worked. Unsaved edits ask before the page is left. A step
// opens with the focus on its first field, so the keyboard and screen readers start there.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Anchor, Button, Group, Stack } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { serverErrorOn } from '../../forms.js';
import { href } from '../../router.js';
import { useUnsavedGuard } from '../../components/unsaved-guard.js';
import { firstField } from '../../components/form-modal.js';
import type { StepNav } from './step-types.js';

/** Server field names → the wizard forms' field names. */
const FIELD_MAP = { name: 'name', address: 'localPart', cidr: 'cidr', hostname: 'hostname' };

export interface StepFrameProps<V> {
  form: UseFormReturnType<V>;
  nav: StepNav;
  save(values: V): Promise<void>;
  children: ReactNode;
}

export function StepFrame<V>({ form, nav, save, children }: StepFrameProps<V>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const guard = useUnsavedGuard(form.isDirty());
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    firstField(ref.current)?.focus();
  }, []);
  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(undefined);
    try {
      await save(values as V);
    } catch (e) {
      setError(serverErrorOn(form, e, FIELD_MAP));
    } finally {
      setBusy(false);
    }
  });
  return (
    <form noValidate onSubmit={submit} ref={ref}>
      <Stack mt="lg" maw={560}>
        {children}
      </Stack>
      {error && (
        <Alert color="red" mt="lg" icon={<IconAlertTriangle />} role="alert">
          {error}
        </Alert>
      )}
      <Group justify="space-between" mt="xl">
        <Button variant="default" onClick={nav.back} disabled={!nav.back || busy}>
          Back
        </Button>
        <Group>
          {nav.finishLater && (
            <Anchor href={href('dashboard')} size="sm" c="dimmed">
              Finish later
            </Anchor>
          )}
          <Button type="submit" loading={busy}>
            {nav.last ? 'Finish' : 'Next'}
          </Button>
        </Group>
      </Group>
      {guard}
    </form>
  );
}
