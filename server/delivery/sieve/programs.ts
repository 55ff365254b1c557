// The Sieve program one delivery runs for an account (DESIGN §6): the admin's global "before"
// script, the account's managed part (out-of-office, forwarding), its active script, the admin's
// "after" script, in that order. They are joined as RFC 6609 includes of a generated main script,
// so one run has one action list: duplicates merge, a `stop` anywhere ends the run, and the
// implicit keep is decided once at the end, as if the scripts were one.
//
// Invariants: the stages are included under names no stored script can have (a control character
// starts them; ManageSieve and the admin refuse such names), so a user's own `include` of a script
// of any name reaches that script and not a stage; compiled scripts are cached by their text, so
// an unchanged script is compiled once, not per message; each account's linked program (or its
// having none) is kept with the store's Sieve generation it was read at (migration 0015: any change
// to any script, managed part or global script moves it, even from another process), so a
// delivery reads one counter and the scripts themselves only after a change; an account with no
// scripts at all and no global ones gets null and delivery skips Sieve.
import { createScriptCache, loadProgram, type Program, type ScriptCache, type ScriptLoader } from '../../sieve/index.js';
import type { Store } from '../../store/index.js';
import type { DeliveryScripts, NamedScript } from '../../store/sieve.js';

const STAGES = [
  { key: 'before', location: 'global', label: (s: NamedScript) => `global script "${s.name}" (before)` },
  { key: 'managed', location: 'personal', label: () => 'managed rules (out-of-office, forwarding)' },
  { key: 'active', location: 'personal', label: (s: NamedScript) => `script "${s.name}"` },
  { key: 'after', location: 'global', label: (s: NamedScript) => `global script "${s.name}" (after)` },
] as const;

const STAGE_PREFIX = '\u0001';

export interface AccountProgram {
  program: Program;
  /** How the trace names the script an action or error came from. */
  label(scriptName: string | null): string;
}

export type ProgramLoader = (accountId: number) => Promise<AccountProgram | null>;

const MAX_LINKED = 1000;

export function createProgramLoader(store: Pick<Store, 'sieve'>): ProgramLoader {
  const cache = createScriptCache();
  const linked = new Map<number, { generation: number; program: AccountProgram | null }>();
  return async (accountId) => {
    const generation = await store.sieve.generation();
    const kept = linked.get(accountId);
    if (kept !== undefined && kept.generation === generation) return kept.program;
    // Read after the counter: a change in between is simply read again on the next delivery.
    const program = await link(store, cache, accountId, await store.sieve.forDelivery(accountId));
    if (linked.size >= MAX_LINKED) linked.clear();
    linked.set(accountId, { generation, program });
    return program;
  };
}

async function link(store: Pick<Store, 'sieve'>, cache: ScriptCache, accountId: number, scripts: DeliveryScripts): Promise<AccountProgram | null> {
  const stages = STAGES.flatMap((stage) => {
    const script = scripts[stage.key];
    return script === null ? [] : [{ ...stage, script, name: STAGE_PREFIX + stage.key }];
  });
  if (stages.length === 0) return null;
  const main = ['require "include";', ...stages.map((s) => `include :${s.location} "${s.name}";`)].join('\n');
  const loader: ScriptLoader = async (location, name) => {
    const stage = stages.find((s) => s.name === name && s.location === location);
    if (stage !== undefined) return stage.script.content;
    return location === 'personal' ? store.sieve.get(accountId, name) : store.sieve.getGlobal(name);
  };
  const program = await loadProgram(main, { name: 'mailroom', cache, loader });
  return {
    program,
    label(scriptName) {
      const stage = stages.find((s) => s.name === scriptName);
      if (stage !== undefined) return stage.label(stage.script);
      return scriptName === null ? 'implicit keep' : `included script "${scriptName}"`;
    },
  };
}
