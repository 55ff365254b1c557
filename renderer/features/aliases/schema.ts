// The alias form: an alias or list (local part) or a catch-all, on a domain, with destinations
// checked by the contract's schema (the server then refuses loops and unknown local targets).
import { z } from 'zod';
import { AdminSchemas } from '../../../server/admin/contract.js';

export const aliasFormSchema = z
  .object({
    kind: z.enum(['alias', 'catch-all']),
    localPart: z.string().trim(),
    domain: z.string().min(1, 'Choose a domain.'),
    destinations: AdminSchemas.addAlias.shape.destinations,
  })
  .refine((v) => v.kind === 'catch-all' || /^[^@\s]+$/.test(v.localPart), { message: 'Enter the part before the @, without spaces.', path: ['localPart'] });
