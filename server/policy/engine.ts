// The access-rule engine (DESIGN §5): Postfix-style restriction stages evaluated per session.
//
// Implementation notes:
// - A Policy is a snapshot (rules, trusted networks, hosted domains) taken once per session with
//   `loadPolicy`, so a rule changed by the CLI or GUI applies from the next connection on and one
//   session never sees half an edit. Everything below `loadPolicy` is pure.
// - Per stage, enabled rules run in position order and the first whose match holds decides: `allow`
//   (stop this stage), `reject`/`defer` (reply), `require-auth` (530 unless authenticated, in which
//   case it acts as `allow`). No match: the stage continues to the built-ins.
// - The built-in tail of `rcpt-to`, *reject unauthenticated relay*, runs after the rules whatever
//   they said, `allow` included: a recipient outside the hosted domains is accepted only from an
//   authenticated session or a trusted network with relay permission. No rule can turn it off, so
//   an open relay cannot be configured by accident (Postfix's reject_unauth_destination).
// - `matchRule` is the one place a match is judged; `evaluateStage` and `explain` both use it, so
//   `mailroom rule test` cannot disagree with what the server does.
// - A stored rule whose match does not validate never matches and is reported in `problems`.
import type { Rule } from '../store/rules.js';
import type { Network } from '../store/networks.js';
import { parseCidr, cidrMatcher, unmapIpv4 } from './cidr.js';
import { networkTable, type NetworkTable, type TrustedNetwork } from './networks.js';
import { RuleMatchSchema, STAGE_CONDITIONS, compilePattern, type RuleAction, type RuleMatch, type RuleStage, RULE_STAGES } from './rule-schema.js';
import { Replies, SmtpReply } from './smtp-reply.js';

export const BUILTIN_RELAY_RULE = 'reject-unauth-relay';

/** Which rule made a decision; `id: null` for the built-in relay rule. */
export interface RuleRef {
  id: number | null;
  stage: RuleStage;
  position: number | null;
  description: string;
}

export type Verdict =
  /** `rule: null` when no rule matched (the stage's default is to accept). */
  | { action: 'accept'; rule: RuleRef | null }
  | { action: 'reject'; rule: RuleRef; code: number; text: string | null }
  | { action: 'defer'; rule: RuleRef; code: number; text: string | null }
  | { action: 'require-auth'; rule: RuleRef };

/** What is known about a session when a stage is evaluated. */
export interface Facts {
  ip: string;
  network: TrustedNetwork | null;
  authenticated: boolean;
  helo: string | null;
  /** null before MAIL FROM; '' for the null sender. Lower-cased domain. */
  sender: string | null;
  /** rcpt-to: the one recipient being judged; data: every accepted recipient. */
  recipients: string[];
  /** DNSBL zones (lower case) that list the client address. */
  dnsblListed: ReadonlySet<string>;
}

export interface ConditionResult {
  ok: boolean;
  text: string;
}

export interface CompiledRule {
  ref: RuleRef;
  action: RuleAction;
  replyCode: number | null;
  replyText: string | null;
  /** Set when the stored match is unusable; such a rule never matches. */
  invalid: string | null;
  tests: Array<(f: Facts) => ConditionResult>;
  zones: string[];
}

export interface Policy {
  rules: Record<RuleStage, CompiledRule[]>;
  networks: NetworkTable;
  isLocalDomain(domain: string): boolean;
  /** Every DNSBL zone any enabled rule mentions (resolve these once per session). */
  dnsblZones: string[];
  /** Stored rules that could not be compiled, in words (logged by the caller). */
  problems: string[];
}

export interface PolicySource {
  rules: readonly Rule[];
  networks: readonly Network[];
  localDomains: Iterable<string>;
  now: number;
}

/** Takes the snapshot (see the header). */
export function loadPolicy(source: PolicySource): Policy {
  const rules = Object.fromEntries(RULE_STAGES.map((s) => [s, [] as CompiledRule[]])) as Record<RuleStage, CompiledRule[]>;
  const problems: string[] = [];
  const ordered = [...source.rules].filter((r) => r.enabled).sort((a, b) => a.position - b.position);
  for (const rule of ordered) {
    const compiled = compileRule(rule);
    if (compiled.invalid) problems.push(`rule ${rule.id} (${rule.stage}): ${compiled.invalid}`);
    rules[rule.stage].push(compiled);
  }
  const domains = new Set([...source.localDomains].map((d) => d.toLowerCase()));
  return {
    rules,
    networks: networkTable(source.networks, source.now),
    isLocalDomain: (domain) => domains.has(domain.toLowerCase()),
    dnsblZones: [...new Set(Object.values(rules).flatMap((rs) => rs.flatMap((r) => r.zones)))],
    problems,
  };
}

function compileRule(rule: Rule): CompiledRule {
  const ref: RuleRef = { id: rule.id, stage: rule.stage, position: rule.position, description: rule.description };
  const base = { ref, action: rule.action, replyCode: rule.replyCode, replyText: rule.replyText, tests: [], zones: [] };
  const parsed = RuleMatchSchema.safeParse(rule.match);
  if (!parsed.success) return { ...base, invalid: `unusable match: ${parsed.error.issues[0].message}` };
  const match: RuleMatch = parsed.data;
  const unknown = (Object.keys(match) as (keyof RuleMatch)[]).find((c) => !STAGE_CONDITIONS[rule.stage].includes(c));
  if (unknown) return { ...base, invalid: `the ${rule.stage} stage cannot match on ${unknown}` };
  try {
    return { ...base, invalid: null, tests: compileMatch(match), zones: (match.dnsbl ?? []).map((z) => z.toLowerCase()) };
  } catch (error) {
    return { ...base, invalid: `unusable match: ${(error as Error).message}` };
  }
}

function compileMatch(match: RuleMatch): CompiledRule['tests'] {
  const tests: CompiledRule['tests'] = [];
  if (match.ip) {
    const cidrs = match.ip.map((c) => parseCidr(c));
    const contains = cidrMatcher(cidrs);
    const shown = cidrs.map((c) => c.text).join(', ');
    tests.push((f) => ({ ok: contains(f.ip), text: `client ${unmapIpv4(f.ip)} ${contains(f.ip) ? 'is' : 'is not'} in ${shown}` }));
  }
  if (match.trusted !== undefined) {
    const want = match.trusted;
    tests.push((f) => {
      const is = f.network !== null;
      return { ok: is === want, text: is ? `client is in trusted network ${f.network!.cidr}` : 'client is in no trusted network' };
    });
  }
  if (match.authenticated !== undefined) {
    const want = match.authenticated;
    tests.push((f) => ({ ok: f.authenticated === want, text: f.authenticated ? 'session is authenticated' : 'session is not authenticated' }));
  }
  if (match.helo) {
    const any = anyOf(match.helo, 'host');
    tests.push((f) => {
      const helo = (f.helo ?? '').toLowerCase();
      const hit = f.helo !== null && any(helo);
      return { ok: hit, text: `HELO ${f.helo ?? '(none)'} ${hit ? 'matches' : 'does not match'} ${match.helo!.join(', ')}` };
    });
  }
  if (match.sender) {
    const any = anyOf(match.sender, 'address');
    tests.push((f) => {
      const hit = f.sender !== null && any(f.sender.toLowerCase());
      return { ok: hit, text: `sender <${f.sender ?? ''}> ${hit ? 'matches' : 'does not match'} ${match.sender!.join(', ')}` };
    });
  }
  if (match.recipient) {
    const any = anyOf(match.recipient, 'address');
    tests.push((f) => {
      const hit = f.recipients.find((r) => any(r.toLowerCase()));
      const shown = hit ?? f.recipients.join(', ');
      return { ok: hit !== undefined, text: `recipient <${shown}> ${hit ? 'matches' : 'does not match'} ${match.recipient!.join(', ')}` };
    });
  }
  if (match.dnsbl) {
    const zones = match.dnsbl.map((z) => z.toLowerCase());
    tests.push((f) => {
      const hit = zones.find((z) => f.dnsblListed.has(z));
      return { ok: hit !== undefined, text: hit ? `client is listed in ${hit}` : `client is not listed in ${zones.join(', ')}` };
    });
  }
  return tests;
}

function anyOf(patterns: string[], kind: 'address' | 'host'): (value: string) => boolean {
  const preds = patterns.map((p) => compilePattern(p, kind));
  return (v) => preds.some((p) => p(v));
}

/** Judges one rule's match against the facts: matched, and the conditions in words. */
export function matchRule(rule: CompiledRule, facts: Facts): { matched: boolean; reasons: string[] } {
  if (rule.invalid) return { matched: false, reasons: [`rule is unusable (${rule.invalid})`] };
  const reasons: string[] = [];
  for (const test of rule.tests) {
    const r = test(facts);
    if (!r.ok) return { matched: false, reasons: [r.text] };
    reasons.push(r.text);
  }
  if (reasons.length === 0) reasons.push('the rule matches every client');
  return { matched: true, reasons };
}

export interface StageTrace {
  stage: RuleStage;
  checked: Array<{ rule: RuleRef; action: RuleAction; matched: boolean; reasons: string[] }>;
  verdict: Verdict;
}

/** Runs a stage's rules (and, at rcpt-to, the built-in relay tail). `recipientLocal`: rcpt-to only. */
export function evaluateStage(policy: Policy, stage: RuleStage, facts: Facts, recipientLocal = true): StageTrace {
  const checked: StageTrace['checked'] = [];
  let verdict: Verdict = { action: 'accept', rule: null };
  for (const rule of policy.rules[stage]) {
    const { matched, reasons } = matchRule(rule, facts);
    checked.push({ rule: rule.ref, action: rule.action, matched, reasons });
    if (!matched) continue;
    verdict = ruleVerdict(rule, facts);
    break;
  }
  if (stage === 'rcpt-to' && verdict.action === 'accept' && !recipientLocal && !relayPermitted(facts)) {
    verdict = { action: 'reject', rule: relayRuleRef(), code: 554, text: null };
  }
  return { stage, checked, verdict };
}

function ruleVerdict(rule: CompiledRule, facts: Facts): Verdict {
  switch (rule.action) {
    case 'allow':
      return { action: 'accept', rule: rule.ref };
    case 'reject':
      return { action: 'reject', rule: rule.ref, code: rule.replyCode ?? 554, text: rule.replyText };
    case 'defer':
      return { action: 'defer', rule: rule.ref, code: rule.replyCode ?? 450, text: rule.replyText };
    case 'require-auth':
      return facts.authenticated ? { action: 'accept', rule: rule.ref } : { action: 'require-auth', rule: rule.ref };
  }
}

/** Relay (a recipient outside the hosted domains) needs AUTH or a trusted network that may relay. */
export function relayPermitted(facts: Pick<Facts, 'authenticated' | 'network'>): boolean {
  return facts.authenticated || facts.network?.relay === true;
}

export function relayRuleRef(): RuleRef {
  return { id: null, stage: 'rcpt-to', position: null, description: 'Built-in: reject unauthenticated relay' };
}

/** The one mapping from a verdict to the SMTP reply (null: go on). */
export function replyFor(verdict: Verdict, recipient?: string): SmtpReply | null {
  const about = recipient === undefined ? '' : `<${recipient}>: `;
  switch (verdict.action) {
    case 'accept':
      return null;
    case 'require-auth':
      return Replies.authRequired();
    case 'reject':
      if (verdict.rule.id === null) return new SmtpReply(554, '5.7.1', `${about}Relay access denied`);
      return new SmtpReply(verdict.code, enhancedFor(verdict.code), verdict.text ?? `${about}Rejected by access rule #${verdict.rule.id}`);
    case 'defer':
      return new SmtpReply(verdict.code, enhancedFor(verdict.code), verdict.text ?? `${about}Deferred by access rule #${verdict.rule.id}, try again later`);
  }
}

/** Policy refusals are "delivery not authorized" (RFC 3463 X.7.1) in the reply's class. */
function enhancedFor(code: number): string {
  return `${String(code)[0]}.7.1`;
}

/** One line for the log and the CLI: `reject by rule #3 "no spam" at mail-from`. */
export function describeVerdict(verdict: Verdict): string {
  const who = verdict.rule === null ? 'no rule matched' : verdict.rule.id === null ? verdict.rule.description : `rule #${verdict.rule.id}${verdict.rule.description ? ` "${verdict.rule.description}"` : ''}`;
  return `${verdict.action} (${who})`;
}
