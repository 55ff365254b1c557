// The admin side of access rules: list, add, update, move, remove and test, over store.rules, for the
// admin service (and through it the CLI's `mailroom rule ...` and the GUI). Inputs are the shared
// RuleAdminSchemas; IP ranges are additionally checked and canonicalised here with parseCidr (not
// browser-safe), so a stored rule always compiles. A bad input throws a ZodError naming the field;
// an unknown id throws the store's NotFoundError — the admin service maps both like every method.
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import type { Rule } from '../../store/rules.js';
import { NotFoundError } from '../../store/errors.js';
import { CidrError, parseCidr } from '../../policy/cidr.js';
import { explain } from '../../policy/explain.js';
import { snapshotPolicy } from '../../policy/index.js';
import type { Settings } from '../../settings.js';
import { RuleAdminSchemas, RuleInputSchema, type RuleView } from '../../policy/rule-schema.js';
import type { AdminApi } from '../contract.js';

export type RuleAdmin = Pick<AdminApi, 'listRules' | 'addRule' | 'updateRule' | 'moveRule' | 'removeRule' | 'testRules'>;

/** RuleInputSchema plus canonical IP ranges (`192.0.2.77/24` → `192.0.2.0/24`). */
const ServerRuleInput = RuleInputSchema.transform((rule, ctx) => {
  if (!rule.match.ip) return rule;
  const ip: string[] = [];
  for (const [i, text] of rule.match.ip.entries()) {
    try {
      ip.push(parseCidr(text).text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['match', 'ip', i], message: error instanceof CidrError ? error.message : 'Not an IP range.' });
      return z.NEVER;
    }
  }
  return { ...rule, match: { ...rule.match, ip } };
});

const view = (r: Rule): RuleView => ({
  id: r.id,
  stage: r.stage,
  position: r.position,
  match: r.match as RuleView['match'],
  action: r.action,
  replyCode: r.replyCode,
  replyText: r.replyText,
  description: r.description,
  enabled: r.enabled,
  createdAt: r.createdAt,
});

export function createRuleAdmin(deps: { store: Store; clock: Clock; log: Logger; settings: () => Settings }): RuleAdmin {
  const { store, log } = deps;
  // The store checks again inside its transaction; this check only gives the admin's wording.
  const requireRule = async (id: number) => {
    const rule = await store.rules.get(id);
    if (!rule) throw new NotFoundError(`There is no rule ${id}.`);
    return rule;
  };
  return {
    async listRules(input = {}) {
      const { stage } = RuleAdminSchemas.listRules.parse(input);
      return (await store.rules.list(stage)).map(view);
    },
    async addRule(input) {
      const { rule, position } = RuleAdminSchemas.addRule.extend({ rule: ServerRuleInput }).parse(input);
      const added = await store.rules.add(rule, position);
      log.info('admin.rule.add', { ruleId: added.id, stage: added.stage, action: added.action, position: added.position });
      return view(added);
    },
    async updateRule(input) {
      const { id, rule } = RuleAdminSchemas.updateRule.extend({ rule: ServerRuleInput }).parse(input);
      await requireRule(id);
      const updated = await store.rules.update(id, rule);
      log.info('admin.rule.update', { ruleId: id, stage: updated.stage, action: updated.action });
      return view(updated);
    },
    async moveRule(input) {
      const { id, position } = RuleAdminSchemas.moveRule.parse(input);
      const moved = await store.rules.move(id, position);
      log.info('admin.rule.move', { ruleId: id, position: moved.position });
      return view(moved);
    },
    async removeRule(input) {
      const { id } = RuleAdminSchemas.removeRule.parse(input);
      await requireRule(id);
      await store.rules.remove(id);
      log.info('admin.rule.remove', { ruleId: id });
    },
    async testRules(input) {
      const h = RuleAdminSchemas.testRules
        .refine((x) => isIP(x.ip) !== 0, { message: 'Enter an IPv4 or IPv6 address.', path: ['ip'] })
        .parse(input);
      return explain(await snapshotPolicy(store, deps.clock.now()), h, deps.settings().greetPauseMs);
    },
  };
}
