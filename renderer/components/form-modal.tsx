// A form in a modal: its fields, the server's refusal (when the form has no field for it), and
// Cancel / submit at the bottom. The caller owns the form and the submit handler (useFormSubmit).
// Focus: the dialog opens on its first field (not on its close button), and Mantine gives the focus
// back to the button that opened it when it closes.
import type { FormEventHandler, ReactNode } from 'react';
import { Alert, Button, Group, Modal, Stack, type ModalProps } from '@mantine/core';

/** The form's general error, shown above its buttons. */
export function FormError({ error }: { error?: string }) {
  return error ? (
    <Alert color="red" role="alert">
      {error}
    </Alert>
  ) : null;
}

export interface FormModalProps {
  title: ReactNode;
  opened?: boolean;
  size?: ModalProps['size'];
  onClose(): void;
  onSubmit: FormEventHandler<HTMLFormElement>;
  error?: string;
  submitLabel: ReactNode;
  submitting: boolean;
  children: ReactNode;
}

/** The first field a user can type into inside `container`. */
export function firstField(container: HTMLElement | null): HTMLElement | null {
  return container?.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), textarea:not([disabled]), select:not([disabled])') ?? null;
}

/** A ref for a form: marks its first field as the one Mantine's focus trap focuses first. */
export function markFirstField(form: HTMLElement | null): void {
  if (!form || form.querySelector('[data-autofocus]')) return;
  firstField(form)?.setAttribute('data-autofocus', '');
}

export function FormModal({ title, opened = true, size, onClose, onSubmit, error, submitLabel, submitting, children }: FormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      <form onSubmit={onSubmit} noValidate ref={markFirstField}>
        <Stack>
          {children}
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
