// The first-run wizard's form schemas: the contract's own schemas where a step maps onto one admin
// call, plus what only the form knows (password repeated, one field per step). Pure (zod only).
import { z } from 'zod';
import { AdminSchemas, LISTENER_NAMES, RelayHostSchema, type ListenerName } from '../../../server/admin/contract.js';

export const ADMIN_PASSWORD_MIN = 10;

export const adminPasswordSchema = z
  .object({
    password: z.string().min(ADMIN_PASSWORD_MIN, `The admin password must have at least ${ADMIN_PASSWORD_MIN} characters.`),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords differ.', path: ['confirm'] });

export const hostnameSchema = z.object({
  hostname: z
    .string()
    .trim()
    .min(1, 'Enter the name of this mail server.')
    .regex(/^[^\s.]+(\.[^\s.]+)+$/, 'Use a full name with a dot, like mail.example.com.'),
});

export const domainSchema = AdminSchemas.addDomain.pick({ name: true });

export const userSchema = z
  .object({
    localPart: z.string().trim().min(1, 'Enter the part before the @.').regex(/^[^@\s]+$/, 'Only the part before the @, without spaces.'),
    displayName: AdminSchemas.addAccount.shape.displayName,
    password: AdminSchemas.addAccount.shape.password,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords differ.', path: ['confirm'] });

export const networkSchema = z.object({ cidr: z.string().trim(), description: z.string().max(200), relay: z.boolean() });

export const relaySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('direct') }).loose(),
  RelayHostSchema.extend({ mode: z.literal('relay'), port: z.number({ error: 'Enter the port.' }).int().min(1).max(65535) }),
]);

/** TLS step: keep the certificate the server has, or import a PEM chain and key (the contract's checks). */
export const tlsSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.enum(['keep', 'renew']) }).loose(),
  AdminSchemas.importCertificate.extend({ mode: z.literal('import') }),
]);

const portField = z.number({ error: 'Enter a port.' }).int('A port is a whole number.').min(1, 'A port is 1 to 65535.').max(65535, 'A port is 1 to 65535.');

/** One port per listener, each named once (the wizard's ports step and the settings' network card). */
export const portsShape = Object.fromEntries(LISTENER_NAMES.map((name) => [name, portField])) as Record<ListenerName, typeof portField>;

export function uniquePorts(ports: Record<ListenerName, number>, ctx: z.RefinementCtx) {
  const seen = new Map<number, ListenerName>();
  for (const name of LISTENER_NAMES) {
    const first = seen.get(ports[name]);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: `Port ${ports[name]} is already used for ${first}.` });
    else seen.set(ports[name], name);
  }
}

/** The port fields' values as numbers. */
export function portsOf(values: Record<ListenerName, number | string>): Record<ListenerName, number> {
  return Object.fromEntries(LISTENER_NAMES.map((n) => [n, Number(values[n])])) as Record<ListenerName, number>;
}

/** Ports step: one port per listener, each named once. */
export const portsSchema = z.object(portsShape).superRefine(uniquePorts);
