// The shell of a form that edits some settings (Settings, Network, Spam): the unsaved-edits guard, the
// sections, the server's refusal, an optional status line, and Save / Undo changes.
import type { FormEventHandler, ReactNode } from 'react';
import { Button, Group, Stack } from '@mantine/core';
import { FormError } from './form-modal.js';
import { useUnsavedGuard } from './unsaved-guard.js';

export function SettingsFormShell(props: {
  onSubmit: FormEventHandler<HTMLFormElement>;
  dirty: boolean;
  submitting: boolean;
  error?: string;
  /** Shown above the buttons after a save (what applies when). */
  status?: ReactNode;
  saveLabel: string;
  onUndo(): void;
  /** The form's accessible name, when the page has several (it also names its Undo button). */
  label?: string;
  gap?: 'md' | 'lg';
  children: ReactNode;
}) {
  const guard = useUnsavedGuard(props.dirty);
  return (
    <form onSubmit={props.onSubmit} noValidate aria-label={props.label}>
      {guard}
      <Stack gap={props.gap ?? 'lg'}>
        {props.children}
        <FormError error={props.error} />
        {props.status}
        <Group>
          <Button type="submit" loading={props.submitting}>
            {props.saveLabel}
          </Button>
          <Button variant="default" onClick={props.onUndo}>
            {props.label ? `Undo ${props.label.toLowerCase()} changes` : 'Undo changes'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
