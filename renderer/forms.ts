// Forms validate with the admin contract's zod schemas (the server checks the same ones), through
// Mantine's standard-schema resolver; a refusal from the server lands on the field it names.
import type { UseFormReturnType } from '@mantine/form';
import { ClientError } from './api.js';
import { errorMessage } from './client-context.js';

export { validateWith } from './validate.js';

/**
 * Shows a server refusal on the form: on the field it names when the form has that field (or the
 * mapping says which form field holds it), otherwise as the form's general error (returned).
 */
export function serverErrorOn<V>(form: UseFormReturnType<V>, error: unknown, fieldMap: Record<string, string> = {}): string | undefined {
  if (error instanceof ClientError && error.field) {
    const field = fieldMap[error.field] ?? error.field;
    if (Object.hasOwn(form.getValues() as object, field)) {
      form.setFieldError(field, error.message);
      return undefined;
    }
  }
  return errorMessage(error);
}
