// The shape of an access rule (DESIGN §5) as the admin service, the CLI and the GUI write it: which
// stage, what it matches and what it does. Browser-safe (zod only), so admin/contract.ts and the
// renderer's forms validate with the same schema the server does.
//
// A match is a conjunction: every condition present must hold; `{}` matches everything. A list
// condition holds when any of its entries matches. Conditions that a stage cannot know (a recipient
// at `mail-from`) are refused when the rule is written, so a rule never silently never-matches.
import { z } from 'zod';
import { RULE_ACTIONS, RULE_STAGES, type RuleStage } from '../store/rules.js';

export { RULE_ACTIONS, RULE_STAGES, type RuleAction, type RuleStage } from '../store/rules.js';

// Shape only; server/policy/engine.ts canonicalises with parseCidr (node:net is not browser-safe).
const CIDR = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)(?:\/\d{1,3})?$/;
// `user@domain`, `domain`, `.domain` (subdomains), `user@` (any domain), `<>` (null sender); `*` is a wildcard.
const ADDRESS_PATTERN = /^(?:<>|[^\s@<>]*@?[^\s@<>]*)$/;
const HOST_PATTERN = /^[A-Za-z0-9*.\-[\]:]+$/;
const ZONE = /^(?=.{1,253}$)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

const list = (what: string, pattern: RegExp, example: string) =>
  z
    .array(z.string().trim().min(1, `An empty ${what} is not allowed.`).regex(pattern, `Not a valid ${what} (for example ${example}).`))
    .min(1, `List at least one ${what}, or leave the condition out.`)
    .max(1000);

export const RuleMatchSchema = z
  .object({
    /** Client address in any of these CIDR ranges (v4 or v6). */
    ip: list('IP range', CIDR, '192.0.2.0/24').optional(),
    /** Client is (true) or is not (false) in a trusted network. */
    trusted: z.boolean().optional(),
    /** Session has (true) or has not (false) authenticated. */
    authenticated: z.boolean().optional(),
    /** HELO/EHLO name matches any of these (`*` wildcard). */
    helo: list('HELO name', HOST_PATTERN, '*.example.com').optional(),
    /** Envelope sender matches any of these address patterns. */
    sender: list('sender pattern', ADDRESS_PATTERN, 'spam@example.com, example.com, .example.com, <>').optional(),
    /** The recipient (rcpt-to), or any recipient (data), matches any of these address patterns. */
    recipient: list('recipient pattern', ADDRESS_PATTERN, 'sales@example.com, example.net').optional(),
    /** Client address is listed in any of these DNSBL zones. */
    dnsbl: list('DNSBL zone', ZONE, 'zen.spamhaus.org').optional(),
  })
  .strict();

export type RuleMatch = z.infer<typeof RuleMatchSchema>;
export type MatchCondition = keyof RuleMatch;

/** Which conditions each stage knows about. */
export const STAGE_CONDITIONS: Record<RuleStage, readonly MatchCondition[]> = {
  connect: ['ip', 'trusted', 'dnsbl'],
  helo: ['ip', 'trusted', 'dnsbl', 'authenticated', 'helo'],
  'mail-from': ['ip', 'trusted', 'dnsbl', 'authenticated', 'helo', 'sender'],
  'rcpt-to': ['ip', 'trusted', 'dnsbl', 'authenticated', 'helo', 'sender', 'recipient'],
  data: ['ip', 'trusted', 'dnsbl', 'authenticated', 'helo', 'sender', 'recipient'],
};

export const RuleInputSchema = z
  .object({
    stage: z.enum(RULE_STAGES),
    match: RuleMatchSchema.default({}),
    action: z.enum(RULE_ACTIONS),
    replyCode: z.number().int().min(400).max(599).nullable().default(null),
    replyText: z.string().trim().max(200).regex(/^\P{Cc}*$/u, 'The reply text must be one line.').nullable().default(null),
    description: z.string().trim().max(200).default(''),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    for (const condition of Object.keys(rule.match) as MatchCondition[]) {
      if (!STAGE_CONDITIONS[rule.stage].includes(condition)) {
        ctx.addIssue({ code: 'custom', path: ['match', condition], message: `The ${rule.stage} stage cannot match on ${condition}; use a later stage.` });
      }
    }
    if (rule.stage === 'connect' && rule.action === 'require-auth') {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'A client cannot have authenticated at connect; use require-auth at mail-from or later.' });
    }
    if (rule.replyCode !== null) {
      if (rule.action === 'reject' && rule.replyCode < 500) ctx.addIssue({ code: 'custom', path: ['replyCode'], message: 'A reject needs a 5xx code.' });
      if (rule.action === 'defer' && rule.replyCode >= 500) ctx.addIssue({ code: 'custom', path: ['replyCode'], message: 'A defer needs a 4xx code.' });
      if (rule.action === 'allow' || rule.action === 'require-auth') ctx.addIssue({ code: 'custom', path: ['replyCode'], message: `An ${rule.action} rule sends no reply code.` });
    }
  });

export type RuleInputFields = z.infer<typeof RuleInputSchema>;

/** Compiles an address/host pattern (see above) to a predicate over lower-cased text. */
export function compilePattern(pattern: string, kind: 'address' | 'host'): (value: string) => boolean {
  const p = pattern.trim().toLowerCase();
  const glob = (g: string) => new RegExp(`^${g.split('*').map(escapeRegExp).join('.*')}$`);
  if (kind === 'host') {
    const re = glob(p);
    return (v) => re.test(v);
  }
  if (p === '<>') return (v) => v === '';
  if (p.startsWith('.')) {
    const re = glob(`*${p}`);
    return (v) => re.test(domainOf(v));
  }
  if (p.endsWith('@')) {
    const re = glob(p.slice(0, -1));
    return (v) => v.includes('@') && re.test(v.slice(0, v.lastIndexOf('@')));
  }
  if (p.includes('@')) {
    const re = glob(p);
    return (v) => re.test(v);
  }
  const re = glob(p);
  return (v) => v !== '' && re.test(domainOf(v));
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ruleId = z.number({ error: 'A rule id is required.' }).int().min(1);

/** Inputs of the admin methods for rules (admin/contract.ts adds these to AdminSchemas). */
export const RuleAdminSchemas = {
  listRules: z.object({ stage: z.enum(RULE_STAGES).optional() }),
  addRule: z.object({ rule: RuleInputSchema, position: z.number().int().min(0).optional() }),
  updateRule: z.object({ id: ruleId, rule: RuleInputSchema }),
  moveRule: z.object({ id: ruleId, position: z.number().int().min(0) }),
  removeRule: z.object({ id: ruleId }),
  /** `mailroom rule test --ip 192.0.2.7 --from a@x --to b@y`; the GUI's "test a connection". */
  testRules: z.object({
    ip: z.string().trim().min(1, 'Enter the client IP address.'),
    helo: z.string().trim().optional(),
    from: z.string().trim().optional(),
    to: z.array(z.string().trim().min(1)).max(100).default([]),
    authenticated: z.boolean().default(false),
    dnsblListed: z.array(z.string().trim().min(1)).default([]),
  }),
} as const;

/** A rule as the admin service shows it. */
export interface RuleView extends RuleInputFields {
  id: number;
  position: number;
  createdAt: number;
}
