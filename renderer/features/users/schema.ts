// The user forms: add (the wizard's user schema plus domain and quota), new password, edit.
import { z } from 'zod';
import { AdminSchemas } from '../../../server/admin/contract.js';
import { userSchema } from '../setup/schema.js';

const quotaMb = z.number({ error: 'Enter a number of megabytes (0 for unlimited).' }).int('Whole megabytes only.').min(0, 'A size cannot be negative.');

export const addUserFormSchema = userSchema.and(z.object({ domain: z.string().min(1, 'Choose a domain.'), quotaMb: quotaMb.nullable() }));

export const passwordFormSchema = z
  .object({ password: AdminSchemas.setPassword.shape.password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords differ.', path: ['confirm'] });

export const editFormSchema = z.object({ displayName: AdminSchemas.updateAccount.shape.displayName.unwrap(), quotaMb, active: z.boolean() });
