// Forms validate with the admin contract's zod schemas (the server checks the same ones), through
// Mantine's standard-schema resolver; a refusal from the server lands on the field it names.
import { useState } from 'react';
import type { UseFormReturnType } from '@mantine/form';
import { ClientError } from './api.js';
import { errorMessage } from './client-context.js';

export { validateWith } from './validate.js';

/**
 * Shows a server refusal on the form: on the field it names when the form has that field (or the
 * mapping says which form field holds it), otherwise as the form's general error (returned).
 */
export function serverErrorOn<V, T = V>(form: UseFormReturnType<V, T>, error: unknown, fieldMap: Record<string, string> = {}): string | undefined {
  if (error instanceof ClientError && error.field) {
    const field = fieldMap[error.field] ?? error.field;
    if (Object.hasOwn(form.getValues() as object, field)) {
      form.setFieldError(field, error.message);
      return undefined;
    }
  }
  return errorMessage(error);
}

/**
 * The submit handler of a form that saves to the server: clears the last refusal, runs `save` with
 * the validated values, and shows a refusal through `serverErrorOn` (on its field, or as `error`).
 */
export function useFormSubmit<V, T = V>(form: UseFormReturnType<V, T>, save: (values: T) => Promise<unknown>, fieldMap?: Record<string, string>) {
  const [error, setError] = useState<string>();
  const submit = form.onSubmit(async (values) => {
    setError(undefined);
    try {
      await save(values);
    } catch (e) {
      setError(serverErrorOn(form, e, fieldMap));
    }
  });
  return { submit, error, setError };
}
