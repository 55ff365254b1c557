// Access rules and trusted networks: the admin contract's access area (DESIGN §5).
import { z } from 'zod';
import { isPrivateRange } from '../../policy/private-range.js';
import { RuleAdminSchemas, type RuleView } from '../../policy/rule-schema.js';
import type { Explanation } from '../../policy/explain.js';
import type { NetworkPermissions } from '../../store/networks.js';
import { text, type InputOf } from './fields.js';

/** A trusted network as the add form fills it in (addNetwork adds the open-relay check below). */
export const NetworkFieldsSchema = z.object({
  cidr: text('An IP range'),
  description: z.string().max(200).default(''),
  allowSmtp: z.boolean().default(true),
  allowImap: z.boolean().default(true),
  allowPop3: z.boolean().default(true),
  relay: z.boolean().default(false),
  requireTlsForAuth: z.boolean().default(true),
  expiresAt: z.number().int().nullable().default(null),
  /** Set after the admin confirmed relaying for a range beyond the private ones (an open relay). */
  confirmOpenRelay: z.boolean().default(false),
});

/**
 * Relay without a password for a range beyond the private ones (0.0.0.0/0, ::/0, any public range) is
 * an open relay: refused unless the input confirms it (`--i-know-this-is-an-open-relay`, or the GUI's
 * own confirmation dialog).
 */
export const refuseOpenRelay = (n: { cidr: string; relay?: boolean; confirmOpenRelay?: boolean }, ctx: z.RefinementCtx) => {
  if (n.relay !== true || n.confirmOpenRelay === true || isPrivateRange(n.cidr) !== false) return;
  ctx.addIssue({
    code: 'custom',
    path: ['relay'],
    message: `Relaying for ${n.cidr.trim()} would make this server an open relay: anyone there could send mail through it without a password. Relay only for private ranges (your LAN), or confirm that you mean it.`,
  });
};

export const AccessSchemas = {
  ...RuleAdminSchemas,
  listNetworks: z.object({}),
  addNetwork: NetworkFieldsSchema.superRefine(refuseOpenRelay),
  updateNetwork: z.object({
    cidr: text('An IP range'),
    description: z.string().max(200).optional(),
    allowSmtp: z.boolean().optional(),
    allowImap: z.boolean().optional(),
    allowPop3: z.boolean().optional(),
    relay: z.boolean().optional(),
    requireTlsForAuth: z.boolean().optional(),
    expiresAt: z.number().int().nullable().optional(),
    confirmOpenRelay: z.boolean().default(false),
  }).superRefine(refuseOpenRelay),
  removeNetwork: z.object({ cidr: text('An IP range') }),
} as const;

type In<M extends keyof typeof AccessSchemas> = InputOf<typeof AccessSchemas, M>;

export interface NetworkView extends NetworkPermissions {
  cidr: string;
  description: string;
  expired: boolean;
}

export interface AccessApi {
  listRules(input?: In<'listRules'>): Promise<RuleView[]>;
  addRule(input: In<'addRule'>): Promise<RuleView>;
  updateRule(input: In<'updateRule'>): Promise<RuleView>;
  moveRule(input: In<'moveRule'>): Promise<RuleView>;
  removeRule(input: In<'removeRule'>): Promise<void>;
  /** Runs a hypothetical connection through the rules: which rule decides at each stage, and why. */
  testRules(input: In<'testRules'>): Promise<Explanation>;
  listNetworks(input?: In<'listNetworks'>): Promise<NetworkView[]>;
  addNetwork(input: In<'addNetwork'>): Promise<NetworkView>;
  updateNetwork(input: In<'updateNetwork'>): Promise<NetworkView>;
  removeNetwork(input: In<'removeNetwork'>): Promise<void>;
}

export type { RuleView, Explanation };
