// The policy service the protocols call: takes a session's snapshot from the store (kept while the
// tables it was read from are unchanged), looks up the DNSBL zones its rules mention, and evaluates a
// stage with the decision logged together with the rule that made it (`policy.decision`;
// accept-by-default is not logged, every matched rule and every refusal is). The engine itself (engine.ts) is pure; this is the thin layer that touches store and log.
import type { Store } from '../store/index.js';
import type { Logger } from '../log.js';
import { loadPolicy, evaluateStage, replyFor, type Facts, type Policy, type PolicySource } from './engine.js';
import { dnsblListings, type DnsblLookup } from './dnsbl.js';
import type { RuleStage } from './rule-schema.js';
import type { SmtpReply } from './smtp-reply.js';

/** A policy snapshot of the store at `now` (once per session). */
export async function snapshotPolicy(store: Pick<Store, 'rules' | 'networks' | 'domains'>, now: number): Promise<Policy> {
  return loadPolicy(await policySource(store, now));
}

async function policySource(store: Pick<Store, 'rules' | 'networks' | 'domains'>, now: number): Promise<PolicySource> {
  return {
    rules: await store.rules.list(),
    networks: await store.networks.list(),
    localDomains: (await store.domains.list()).map((d) => d.name),
    now,
  };
}

/**
 * snapshotPolicy for every new session, without reading and compiling the same tables each time: the
 * snapshot is kept with the policy generation it was read at (migration 0018) and taken again when the
 * rules, networks or domains have changed since, or a trusted network it holds has expired.
 */
export function createPolicySnapshots(store: Pick<Store, 'rules' | 'networks' | 'domains'>): (now: number) => Promise<Policy> {
  let kept: { generation: number; policy: Policy; validUntil: number } | null = null;
  return async (now) => {
    // Read before the tables: a change in between moves it past what is kept, so the next session reads again.
    const generation = await store.rules.policyGeneration();
    if (kept && kept.generation === generation && now < kept.validUntil) return kept.policy;
    const source = await policySource(store, now);
    const expiries = source.networks.map((n) => n.expiresAt).filter((at): at is number => at !== null && at > now);
    const policy = loadPolicy(source);
    kept = { generation, policy, validUntil: Math.min(Infinity, ...expiries) };
    return policy;
  };
}

/** The DNSBL zones of the snapshot that list `ip` (none looked up when no rule names a zone). */
export function lookupListings(policy: Policy, ip: string, lookup: DnsblLookup): Promise<Set<string>> {
  return policy.dnsblZones.length === 0 ? Promise.resolve(new Set()) : dnsblListings(ip, policy.dnsblZones, lookup);
}

/** Evaluates `stage`, logs what decided, returns the refusal to send (null: go on). */
export function decide(policy: Policy, stage: RuleStage, facts: Facts, log: Logger, recipient?: { address: string; local: boolean }): SmtpReply | null {
  const { verdict } = evaluateStage(policy, stage, recipient ? { ...facts, recipients: [recipient.address] } : facts, recipient?.local ?? true);
  const reply = replyFor(verdict, recipient?.address);
  if (verdict.rule !== null) {
    const fields = {
      stage,
      action: verdict.action,
      ruleId: verdict.rule.id,
      rule: verdict.rule.description,
      recipient: recipient?.address,
      reply: reply ? `${reply.code} ${reply.enhanced} ${reply.text}` : undefined,
    };
    log.info('policy.decision', fields);
  }
  return reply;
}

export { explain, type Explanation, type Hypothetical } from './explain.js';
export { createDnsblLookup, type DnsblLookup } from './dnsbl.js';
export type { Facts, Policy, Verdict } from './engine.js';
