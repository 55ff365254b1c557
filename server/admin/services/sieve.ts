// The admin side of mail rules (issue 15): a user's out-of-office and forwarding, kept as settings
// in the store's managed Sieve part together with the script generated from them
// (server/sieve/managed-script.ts), and the user's own ManageSieve scripts, listed but never
// changed here. Every address is checked and normalised before anything is written, and the
// generated script is compiled before it is stored, so delivery never meets a managed script that
// does not compile.
import type { Logger } from '../../log.js';
import { formatAddress, parseAddress } from '../../mime/addr-spec.js';
import { compileScript } from '../../sieve/index.js';
import { managedScript, NO_RULES, type ManagedRules } from '../../sieve/managed-script.js';
import type { Account } from '../../store/accounts.js';
import type { Store } from '../../store/index.js';
import { AdminError, AdminSchemas, ForwardSchema, VacationSchema, type AdminApi, type MailRulesView } from '../contract.js';
import { SieveCompileError } from '../../sieve/index.js';
import { scriptNameProblem } from '../../sieve/managesieve/repository.js';
import { guard } from './errors.js';
import { accountOf } from './lookups.js';

export type MailRulesAdmin = Pick<AdminApi, 'getMailRules' | 'setVacation' | 'setForwarding' | 'listGlobalSieveScripts' | 'setGlobalSieveScript' | 'removeGlobalSieveScript'>;

/** The stored settings, read leniently: a part that no longer validates counts as off. */
function readRules(json: string | undefined): ManagedRules {
  if (json === undefined) return NO_RULES;
  let value: { vacation?: unknown; forward?: unknown };
  try {
    value = JSON.parse(json) as typeof value;
  } catch {
    return NO_RULES;
  }
  const vacation = VacationSchema.safeParse(value.vacation);
  const forward = ForwardSchema.safeParse(value.forward);
  return { vacation: vacation.success ? vacation.data : null, forward: forward.success ? forward.data : null };
}

const addresses = (list: readonly string[], field: string) => list.map((a) => guard(() => formatAddress(parseAddress(a)), field));

export function createMailRulesAdmin(deps: { store: Store; log: Logger }): MailRulesAdmin {
  const { store, log } = deps;

  const view = async (account: Account): Promise<MailRulesView> => {
    const managed = await store.sieve.managed(account.id);
    const rules = readRules(managed?.settings);
    return { address: account.address, ...rules, managedScript: managed?.content ?? null, userScripts: await store.sieve.list(account.id) };
  };

  const save = async (account: Account, rules: ManagedRules): Promise<MailRulesView> => {
    const content = managedScript(rules);
    if (content === null) await store.sieve.setManaged(account.id, null);
    else {
      compileScript(content); // a bug here must not reach delivery
      await store.sieve.setManaged(account.id, { settings: JSON.stringify(rules), content });
    }
    return view(account);
  };

  return {
    async getMailRules(input) {
      const { address } = AdminSchemas.getMailRules.parse(input);
      return view(await accountOf(store, address));
    },
    async setVacation(input) {
      const { address, vacation } = AdminSchemas.setVacation.parse(input);
      const account = await accountOf(store, address);
      const current = readRules((await store.sieve.managed(account.id))?.settings);
      const next = vacation === null ? null : { ...vacation, addresses: addresses(vacation.addresses, 'addresses') };
      log.info('admin.vacation', { user: account.address, on: next !== null, start: next?.start ?? null, end: next?.end ?? null });
      return save(account, { ...current, vacation: next });
    },
    async setForwarding(input) {
      const { address, forward } = AdminSchemas.setForwarding.parse(input);
      const account = await accountOf(store, address);
      const current = readRules((await store.sieve.managed(account.id))?.settings);
      const next = forward === null ? null : { ...forward, to: addresses(forward.to, 'to') };
      if (next?.to.some((to) => to.toLowerCase() === account.address.toLowerCase())) throw new AdminError('invalid', 'A user cannot forward mail to itself.', 'to');
      log.info('admin.forwarding', { user: account.address, to: next?.to ?? [], keepCopy: next?.keepCopy ?? null });
      return save(account, { ...current, forward: next });
    },
    async listGlobalSieveScripts() {
      return store.sieve.globals();
    },
    async setGlobalSieveScript(input) {
      const { name, content, phase } = AdminSchemas.setGlobalSieveScript.parse(input);
      const problem = scriptNameProblem(name);
      if (problem !== null) throw new AdminError('invalid', `Bad script name: ${problem}.`, 'name');
      try {
        compileScript(content, { location: 'global', name });
      } catch (error) {
        if (error instanceof SieveCompileError) throw new AdminError('invalid', error.message, 'content');
        throw error;
      }
      await store.sieve.putGlobal(name, content, phase);
      log.info('admin.sieve-global.set', { name, phase, bytes: Buffer.byteLength(content, 'utf8') });
      return (await store.sieve.globals()).find((g) => g.name === name)!;
    },
    async removeGlobalSieveScript(input) {
      const { name } = AdminSchemas.removeGlobalSieveScript.parse(input);
      const removed = await store.sieve.removeGlobal(name);
      log.info('admin.sieve-global.remove', { name, removed });
      return { removed };
    },
  };
}
