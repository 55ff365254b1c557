// Access rules, ordered per stage (DESIGN §5). `match` is a JSON object whose shape the policy engine
// defines and validates; positions within a stage are kept dense (0..n-1) by every write.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import { NotFoundError } from './errors.js';

export const RULE_STAGES = ['connect', 'helo', 'mail-from', 'rcpt-to', 'data'] as const;
export type RuleStage = (typeof RULE_STAGES)[number];
export const RULE_ACTIONS = ['allow', 'reject', 'require-auth', 'defer'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export interface RuleInput {
  stage: RuleStage;
  match: unknown;
  action: RuleAction;
  replyCode: number | null;
  replyText: string | null;
  description: string;
  enabled: boolean;
}

export interface Rule extends RuleInput {
  id: number;
  position: number;
  createdAt: number;
}

export interface RuleRow {
  id: number;
  stage: RuleStage;
  position: number;
  match: string;
  action: RuleAction;
  reply_code: number | null;
  reply_text: string | null;
  description: string;
  enabled: number;
  created_at: number;
}

export const toRule = (r: RuleRow): Rule => ({
  id: r.id,
  stage: r.stage,
  position: r.position,
  match: JSON.parse(r.match) as unknown,
  action: r.action,
  replyCode: r.reply_code,
  replyText: r.reply_text,
  description: r.description,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
});

export interface RuleRepo {
  list(stage?: RuleStage): Rule[];
  get(id: number): Rule | undefined;
  /** Inserts at `position` (default: end of the stage). */
  add(rule: RuleInput, position?: number): Rule;
  update(id: number, rule: RuleInput): Rule;
  move(id: number, position: number): Rule;
  remove(id: number): void;
  /** A counter that moves with every change to the rules, the trusted networks or the domains (migration 0018). */
  policyGeneration(): number;
}

export function createRuleRepo(db: Db, clock: Clock): RuleRepo {
  const all = db.prepare<[], RuleRow>('SELECT * FROM rules ORDER BY stage, position');
  const byStage = db.prepare<[string], RuleRow>('SELECT * FROM rules WHERE stage = ? ORDER BY position');
  const byId = db.prepare<[number], RuleRow>('SELECT * FROM rules WHERE id = ?');
  const insert = db.prepare(`INSERT INTO rules (stage, position, match, action, reply_code, reply_text, description, enabled, created_at)
    VALUES (@stage, @position, @match, @action, @replyCode, @replyText, @description, @enabled, @createdAt)`);
  const replace = db.prepare(`UPDATE rules SET stage = @stage, match = @match, action = @action, reply_code = @replyCode,
    reply_text = @replyText, description = @description, enabled = @enabled WHERE id = @id`);
  const setPosition = db.prepare<[number, number]>('UPDATE rules SET position = ? WHERE id = ?');
  const remove = db.prepare<[number]>('DELETE FROM rules WHERE id = ?');
  const generation = db.prepare<[], number>('SELECT n FROM policy_generation').pluck();

  const columns = (r: RuleInput) => ({
    stage: r.stage,
    match: JSON.stringify(r.match),
    action: r.action,
    replyCode: r.replyCode,
    replyText: r.replyText,
    description: r.description,
    enabled: r.enabled ? 1 : 0,
  });

  /** Rewrites the stage's positions as 0..n-1 in the given id order. */
  const renumber = (ids: number[]) => ids.forEach((id, i) => setPosition.run(i, id));
  const idsOf = (stage: RuleStage) => byStage.all(stage).map((r) => r.id);
  const requireRule = (id: number) => {
    const row = byId.get(id);
    if (!row) throw new NotFoundError(`There is no rule ${id}.`);
    return toRule(row);
  };

  return {
    list(stage) {
      return (stage ? byStage.all(stage) : all.all()).map(toRule);
    },
    get(id) {
      const row = byId.get(id);
      return row && toRule(row);
    },
    add(rule, position) {
      return db.transaction(() => {
        const ids = idsOf(rule.stage);
        const id = Number(insert.run({ ...columns(rule), position: ids.length, createdAt: clock.now() }).lastInsertRowid);
        ids.splice(clamp(position ?? ids.length, ids.length), 0, id);
        renumber(ids);
        return requireRule(id);
      })();
    },
    update(id, rule) {
      return db.transaction(() => {
        const before = requireRule(id);
        replace.run({ ...columns(rule), id });
        if (before.stage !== rule.stage) {
          renumber(idsOf(before.stage));
          const ids = idsOf(rule.stage).filter((x) => x !== id);
          renumber([...ids, id]);
        }
        return requireRule(id);
      })();
    },
    move(id, position) {
      return db.transaction(() => {
        const rule = requireRule(id);
        const ids = idsOf(rule.stage).filter((x) => x !== id);
        ids.splice(clamp(position, ids.length), 0, id);
        renumber(ids);
        return requireRule(id);
      })();
    },
    remove(id) {
      db.transaction(() => {
        const rule = requireRule(id);
        remove.run(id);
        renumber(idsOf(rule.stage));
      })();
    },
    policyGeneration: () => generation.get()!,
  };
}

export const clamp = (n: number, max: number) => Math.max(0, Math.min(max, Math.trunc(n)));
