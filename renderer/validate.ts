// Forms validate with zod schemas (the contract's, or built from them) through Mantine's
// standard-schema resolver: field path → the schema's message, exactly what the form shows.
import { schemaResolver } from '@mantine/form';

/** A synchronous Mantine `validate` function from a zod schema. */
export function validateWith(schema: Parameters<typeof schemaResolver>[0]) {
  return schemaResolver(schema, { sync: true });
}
