// A form in a modal: its fields, the server's refusal (when the form has no field for it), and
// Cancel / submit at the bottom. The caller owns the form and the submit handler (useFormSubmit).
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

export function FormModal({ title, opened = true, size, onClose, onSubmit, error, submitLabel, submitting, children }: FormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      <form onSubmit={onSubmit} noValidate>
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
