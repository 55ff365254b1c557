// Access-rule forms: the plain-language presets (issue 7) and the custom form, each turned into the
// rule input the server validates with the same RuleInputSchema. Pure, so presets are tested alone.
import {
  RuleInputSchema,
  STAGE_CONDITIONS,
  type MatchCondition,
  type RuleAction,
  type RuleInputFields,
  type RuleStage,
} from '../../../server/policy/rule-schema.js';

export type PresetId = 'block-ip' | 'refuse-recipient' | 'refuse-sender' | 'require-auth-from' | 'custom';

export interface Preset {
  id: PresetId;
  label: string;
  /** What the one value field asks for (custom has its own fields). */
  valueLabel: string;
  placeholder: string;
  build(values: string[], description: string): RuleInputFields | undefined;
}

const rule = (stage: RuleStage, match: RuleInputFields['match'], action: RuleAction, description: string): RuleInputFields => ({
  stage,
  match,
  action,
  replyCode: null,
  replyText: null,
  description,
  enabled: true,
});

export const PRESETS: Preset[] = [
  {
    id: 'block-ip',
    label: 'Block an IP address or range',
    valueLabel: 'IP addresses or ranges',
    placeholder: '203.0.113.0/24',
    build: (v, d) => rule('connect', { ip: v }, 'reject', d || `Block ${v.join(', ')}`),
  },
  {
    id: 'refuse-recipient',
    label: 'Refuse mail to an address or domain',
    valueLabel: 'Recipient addresses or domains',
    placeholder: 'old-sales@example.com, example.net',
    build: (v, d) => rule('rcpt-to', { recipient: v }, 'reject', d || `Refuse mail to ${v.join(', ')}`),
  },
  {
    id: 'refuse-sender',
    label: 'Refuse a sender or sender domain',
    valueLabel: 'Sender addresses or domains',
    placeholder: 'spammer.example, .bulk.example',
    build: (v, d) => rule('mail-from', { sender: v }, 'reject', d || `Refuse mail from ${v.join(', ')}`),
  },
  {
    id: 'require-auth-from',
    label: 'Require a login from an IP range',
    valueLabel: 'IP addresses or ranges',
    placeholder: '10.0.0.0/8',
    build: (v, d) => rule('mail-from', { ip: v, authenticated: false }, 'require-auth', d || `Require a login from ${v.join(', ')}`),
  },
  {
    id: 'custom',
    label: 'Custom rule',
    valueLabel: '',
    placeholder: '',
    build: () => undefined,
  },
];

export const CONDITION_LABELS: Record<MatchCondition, string> = {
  ip: 'Client IP ranges',
  trusted: 'Client in a trusted network',
  authenticated: 'Client logged in',
  helo: 'HELO names',
  sender: 'Senders',
  recipient: 'Recipients',
  dnsbl: 'Listed in DNSBL zones',
};

export const STAGE_LABELS: Record<RuleStage, string> = {
  connect: 'Connect',
  helo: 'HELO',
  'mail-from': 'MAIL FROM',
  'rcpt-to': 'RCPT TO',
  data: 'DATA',
};

export const ACTION_LABELS: Record<RuleAction, string> = {
  allow: 'Allow',
  reject: 'Reject',
  'require-auth': 'Require login',
  defer: 'Try later (defer)',
};

export interface CustomValues {
  stage: RuleStage;
  action: RuleAction;
  description: string;
  ip: string[];
  helo: string[];
  sender: string[];
  recipient: string[];
  dnsbl: string[];
  trusted: 'any' | 'yes' | 'no';
  authenticated: 'any' | 'yes' | 'no';
  replyCode: number | string;
  replyText: string;
}

export function customRule(v: CustomValues): RuleInputFields {
  const match: RuleInputFields['match'] = {};
  const allowed = new Set(STAGE_CONDITIONS[v.stage]);
  for (const key of ['ip', 'helo', 'sender', 'recipient', 'dnsbl'] as const) if (allowed.has(key) && v[key].length > 0) match[key] = v[key];
  for (const key of ['trusted', 'authenticated'] as const) if (allowed.has(key) && v[key] !== 'any') match[key] = v[key] === 'yes';
  const replies = v.action === 'reject' || v.action === 'defer';
  return {
    stage: v.stage,
    match,
    action: v.action,
    replyCode: replies && v.replyCode !== '' ? Number(v.replyCode) : null,
    replyText: replies && v.replyText.trim() !== '' ? v.replyText.trim() : null,
    description: v.description.trim(),
    enabled: true,
  };
}

/** Validates a rule with the server's schema; errors keyed by the form field they belong to. */
export function ruleErrors(input: RuleInputFields, field: (path: string) => string): Record<string, string> {
  const parsed = RuleInputSchema.safeParse(input);
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = field(issue.path.filter((p) => typeof p === 'string' && p !== 'match').join('.') || 'description');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** "IP 192.0.2.0/24 · not logged in": a rule's conditions in a line. */
export function describeMatch(match: RuleInputFields['match']): string[] {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(match) as Array<[MatchCondition, unknown]>) {
    if (Array.isArray(value)) parts.push(`${CONDITION_LABELS[key]}: ${value.join(', ')}`);
    else if (typeof value === 'boolean') parts.push(key === 'trusted' ? (value ? 'trusted network' : 'not a trusted network') : value ? 'logged in' : 'not logged in');
  }
  return parts.length === 0 ? ['every client'] : parts;
}
