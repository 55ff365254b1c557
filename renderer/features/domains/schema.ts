// The add- and edit-domain forms: the contract's addDomain schema for the name, a quota in megabytes.
import { z } from 'zod';
import { AdminSchemas } from '../../../server/admin/contract.js';

const quotaMb = z.number({ error: 'Enter a number of megabytes (0 for unlimited).' }).int('Whole megabytes only.').min(0, 'A size cannot be negative.');

export const addDomainFormSchema = AdminSchemas.addDomain.pick({ name: true }).extend({ quotaMb });

/** Editing a domain: its default quota for new users. */
export const editDomainFormSchema = z.object({ quotaMb });
