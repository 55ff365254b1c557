// `explain`: runs a hypothetical session through a policy snapshot and says which rule decides at each
// stage and why — the engine behind `mailroom rule test --ip 192.0.2.7 --from a@x --to b@y` and the
// GUI's "test a connection" panel. Pure: DNSBL listings are given, not looked up, so an explanation
// is repeatable. It calls the same evaluateStage the SMTP server calls, so the two cannot disagree.
import { evaluateStage, describeVerdict, relayPermitted, replyFor, type Facts, type Policy, type StageTrace, type Verdict } from './engine.js';
import type { TrustedNetwork } from './networks.js';
import type { RuleStage } from './rule-schema.js';
import { greetPauseMs } from './greet-wait.js';

export interface Hypothetical {
  ip: string;
  helo?: string;
  /** Envelope sender; '' or '<>' for the null sender. */
  from?: string;
  to?: string[];
  authenticated?: boolean;
  /** DNSBL zones assumed to list the client. */
  dnsblListed?: string[];
}

export interface ExplainedReply {
  code: number;
  enhanced: string;
  text: string;
}

export interface ExplainedStage extends StageTrace {
  recipient?: string;
  reply: ExplainedReply | null;
  /** rcpt-to only: whether the recipient is in a hosted domain (relay check). */
  recipientLocal?: boolean;
}

export interface Explanation {
  ip: string;
  network: TrustedNetwork | null;
  /** The pause before the MX listener's 220 greeting for this client (0: greeted at once). */
  greetPauseMs: number;
  mayRelay: boolean;
  stages: ExplainedStage[];
  /** Recipients that would be accepted; empty when the session is refused before or at rcpt-to. */
  accepted: string[];
  /** The first refusal, if any (for a one-line answer). */
  refusal: ExplainedStage | null;
  /** The explanation in sentences, one per line. */
  lines: string[];
}

/** `configuredGreetPauseMs`: settings.greetPauseMs, the early-talker pause the MX listener may apply. */
export function explain(policy: Policy, h: Hypothetical, configuredGreetPauseMs = 0): Explanation {
  const network = policy.networks.lookup(h.ip);
  const sender = h.from === undefined ? null : h.from === '<>' ? '' : normalizeAddress(h.from);
  const facts: Facts = {
    ip: h.ip,
    network,
    authenticated: h.authenticated ?? false,
    helo: h.helo ?? null,
    sender,
    recipients: [],
    dnsblListed: new Set((h.dnsblListed ?? []).map((z) => z.toLowerCase())),
  };
  const stages: ExplainedStage[] = [];
  const run = (stage: RuleStage, recipient?: string, recipientLocal?: boolean): ExplainedStage => {
    const trace = evaluateStage(policy, stage, facts, recipientLocal);
    const reply = replyFor(trace.verdict, recipient);
    const explained: ExplainedStage = { ...trace, recipient, recipientLocal, reply: reply && { code: reply.code, enhanced: reply.enhanced, text: reply.text } };
    stages.push(explained);
    return explained;
  };

  const accepted: string[] = [];
  const early = (['connect', 'helo', 'mail-from'] as const).find((stage) => {
    if (stage === 'mail-from' && sender === null) return false;
    return run(stage).reply !== null;
  });
  if (early === undefined) {
    for (const raw of h.to ?? []) {
      const recipient = normalizeAddress(raw);
      facts.recipients = [recipient];
      const local = policy.isLocalDomain(recipient.slice(recipient.lastIndexOf('@') + 1));
      if (run('rcpt-to', recipient, local).reply === null) accepted.push(recipient);
    }
    if (accepted.length > 0) {
      facts.recipients = [...accepted];
      // A refusal at DATA refuses the message for every recipient.
      if (run('data').reply !== null) accepted.length = 0;
    }
  }
  const refusal = stages.find((s) => s.reply !== null) ?? null;
  const pause = greetPauseMs({ mx: true, network, configuredMs: configuredGreetPauseMs });
  const explanation: Explanation = { ip: h.ip, network, greetPauseMs: pause, mayRelay: relayPermitted(facts), stages, accepted, refusal, lines: [] };
  explanation.lines = describe(explanation, facts.authenticated);
  return explanation;
}

function describe(e: Explanation, authenticated: boolean): string[] {
  const lines: string[] = [];
  lines.push(
    e.network
      ? `Client ${e.ip} is in trusted network ${e.network.cidr}${e.network.description ? ` (${e.network.description})` : ''}; relay without password: ${e.network.relay ? 'yes' : 'no'}.`
      : `Client ${e.ip} is in no trusted network.`,
  );
  lines.push(
    e.greetPauseMs > 0
      ? `Greeting on MX: after a ${e.greetPauseMs} ms pause; a client that talks before it is refused with 421 (early talker).`
      : `Greeting: at once${e.network ? ' (trusted network)' : ''}.`,
  );
  lines.push(`Session is ${authenticated ? '' : 'not '}authenticated; it ${e.mayRelay ? 'may' : 'may not'} relay to other domains.`);
  for (const s of e.stages) {
    const label = s.recipient === undefined ? s.stage : `${s.stage} <${s.recipient}>`;
    const hit = s.checked.find((c) => c.matched);
    const why = hit ? `${hit.reasons.join('; ')}` : s.checked.length === 0 ? 'no rules at this stage' : `no rule matched (${s.checked.length} checked)`;
    lines.push(`${label}: ${why} → ${describeVerdict(s.verdict)}${s.reply ? `: ${s.reply.code} ${s.reply.enhanced} ${s.reply.text}` : ''}`);
    if (s.stage === 'rcpt-to' && s.verdict.rule?.id === null) {
      lines.push(`  the recipient's domain is not hosted here and the session may not relay (built-in rule, cannot be removed).`);
    }
  }
  if (e.refusal && e.accepted.length === 0) lines.push(`Result: refused at ${e.refusal.stage} by ${ruleName(e.refusal.verdict)}.`);
  else if (e.accepted.length > 0) lines.push(`Result: accepted for ${e.accepted.join(', ')}.`);
  else lines.push('Result: no recipients given; the session is not refused before RCPT TO.');
  return lines;
}

function ruleName(v: Verdict): string {
  if (!v.rule) return 'default';
  return v.rule.id === null ? v.rule.description : `rule #${v.rule.id}`;
}

/** Lower-cases the domain (as the server compares), keeps the local part. */
function normalizeAddress(address: string): string {
  const a = address.trim().replace(/^<(.*)>$/, '$1');
  const at = a.lastIndexOf('@');
  return at < 0 ? a : `${a.slice(0, at)}@${a.slice(at + 1).toLowerCase()}`;
}
