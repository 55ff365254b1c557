// A fake AdminClient for the renderer's component tests: domains, accounts, aliases, networks and
// settings kept in memory, every input checked with the contract's own zod schema (so the open-relay
// refusal and the field errors are the real ones), and every call recorded for the test to inspect.
import type { z } from 'zod';
import { AdminError, AdminSchemas, type AccountView, type AdminApi, type AdminMethod, type AliasView, type DomainView, type NetworkView, type TlsInfo } from '../../server/admin/contract.js';
import { applySettingsPatch, defaultSettings, type Settings } from '../../server/settings.js';
import { ClientError, type AdminClient } from '../../renderer/api.js';

export interface FakeAdmin {
  client: AdminClient;
  calls: Array<{ method: AdminMethod; input: unknown }>;
  domains: DomainView[];
  accounts: Array<AccountView & { password: string }>;
  aliases: AliasView[];
  networks: NetworkView[];
  settings: Settings;
}

const CERTIFICATE: TlsInfo = {
  certificate: {
    subject: 'CN=localhost.localdomain',
    commonName: 'localhost.localdomain',
    altNames: ['DNS:localhost.localdomain'],
    issuer: 'CN=localhost.localdomain',
    selfSigned: true,
    validFrom: 0,
    validTo: 4_102_444_800_000,
    fingerprint256: 'AB:CD',
    keyType: 'RSA 2048',
    chainLength: 1,
  },
  hostname: 'localhost.localdomain',
  namesHostname: true,
  restartNeeded: false,
};

export function fakeAdmin(): FakeAdmin {
  const state: FakeAdmin = { client: undefined as unknown as AdminClient, calls: [], domains: [], accounts: [], aliases: [], networks: [], settings: defaultSettings() };
  const parse = <M extends AdminMethod>(method: M, input: unknown) => AdminSchemas[method].parse(input ?? {}) as z.output<(typeof AdminSchemas)[M]>;
  const account = (address: string) => {
    const a = state.accounts.find((x) => x.address === address.toLowerCase());
    if (!a) throw new AdminError('not-found', `There is no account ${address}.`, 'address');
    return a;
  };
  const view = ({ password: _p, ...a }: FakeAdmin['accounts'][number]): AccountView => a;

  const impl: Partial<AdminApi> = {
    async getSettings() {
      return state.settings;
    },
    async updateSettings(input) {
      state.settings = applySettingsPatch(state.settings, parse('updateSettings', input));
      return state.settings;
    },
    async listDomains() {
      return state.domains;
    },
    async addDomain(input) {
      const { name, defaultQuota } = parse('addDomain', input);
      const lower = name.toLowerCase();
      if (!lower.includes('.')) throw new AdminError('invalid', 'A domain name has at least two labels.', 'name');
      if (state.domains.some((d) => d.name === lower)) throw new AdminError('conflict', `The domain ${lower} already exists.`, 'name');
      const d: DomainView = { name: lower, displayName: lower, active: true, defaultQuota: defaultQuota ?? 0, accounts: 0, aliases: 0, usedBytes: 0, createdAt: 1 };
      state.domains.push(d);
      return d;
    },
    async removeDomain(input) {
      const { name, cascade } = parse('removeDomain', input);
      const inside = state.accounts.filter((a) => a.address.endsWith(`@${name}`));
      if (inside.length > 0 && !cascade) throw new AdminError('conflict', `The domain ${name} still has accounts.`, 'name');
      state.domains = state.domains.filter((d) => d.name !== name);
      state.accounts = state.accounts.filter((a) => !inside.includes(a));
      return { removedAccounts: inside.length, removedAliases: 0 };
    },
    async listAccounts() {
      return state.accounts.map(view);
    },
    async addAccount(input) {
      const { address, password, displayName, quota } = parse('addAccount', input);
      const lower = address.toLowerCase();
      if (!state.domains.some((d) => lower.endsWith(`@${d.name}`))) throw new AdminError('not-found', 'There is no such domain.', 'domain');
      if (state.accounts.some((a) => a.address === lower)) throw new AdminError('conflict', `The account ${lower} already exists.`, 'address');
      const a = { address: lower, displayAddress: lower, displayName, quota: quota ?? 0, usedBytes: 0, active: true, createdAt: 1, lastLoginAt: null, password };
      state.accounts.push(a);
      return view(a);
    },
    async setPassword(input) {
      const { address, password } = parse('setPassword', input);
      const a = account(address);
      a.password = password;
      return view(a);
    },
    async updateAccount(input) {
      const { address, displayName, quota } = parse('updateAccount', input);
      const a = account(address);
      if (displayName !== undefined) a.displayName = displayName;
      if (quota !== undefined) a.quota = quota;
      return view(a);
    },
    async removeAccount(input) {
      const { address } = parse('removeAccount', input);
      account(address);
      state.accounts = state.accounts.filter((a) => a.address !== address.toLowerCase());
      return { removedMessages: 0 };
    },
    async listAliases(input) {
      const { domain } = parse('listAliases', input);
      return state.aliases.filter((a) => domain === undefined || a.address.endsWith(`@${domain}`));
    },
    async addAlias(input) {
      const { address, destinations } = parse('addAlias', input);
      const a: AliasView = { address, displayAddress: address, catchAll: false, destinations, active: true };
      state.aliases.push(a);
      return a;
    },
    async listNetworks() {
      return state.networks;
    },
    async addNetwork(input) {
      const { confirmOpenRelay: _c, ...n } = parse('addNetwork', input);
      if (state.networks.some((x) => x.cidr === n.cidr)) throw new AdminError('conflict', `${n.cidr} is already trusted.`, 'cidr');
      const v: NetworkView = { ...n, expired: false };
      state.networks.push(v);
      return v;
    },
    async updateNetwork(input) {
      const { confirmOpenRelay: _c, cidr, ...change } = parse('updateNetwork', input);
      const n = state.networks.find((x) => x.cidr === cidr);
      if (!n) throw new AdminError('not-found', `${cidr} is not a trusted range.`, 'cidr');
      Object.assign(n, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
      return n;
    },
    async removeNetwork(input) {
      const { cidr } = parse('removeNetwork', input);
      state.networks = state.networks.filter((n) => n.cidr !== cidr);
    },
    async getTlsInfo() {
      return { ...CERTIFICATE, hostname: state.settings.hostname };
    },
  };

  // Every call goes through here: recorded, then answered as the HTTP client would (ClientError).
  const api = new Proxy({} as AdminApi, {
    get: (_target, method: AdminMethod) => async (input?: unknown) => {
      state.calls.push({ method, input });
      const fn = impl[method] as ((input: unknown) => Promise<unknown>) | undefined;
      if (!fn) throw new ClientError('internal', `The fake admin has no ${method}.`);
      try {
        return await fn(input);
      } catch (error) {
        if (error instanceof AdminError) throw new ClientError(error.code, error.message, error.field);
        if (error instanceof Error && error.name === 'ZodError') {
          const issue = (error as unknown as { issues: Array<{ message: string; path: string[] }> }).issues[0];
          throw new ClientError('invalid', issue.message, issue.path.join('.') || undefined);
        }
        throw error;
      }
    },
  });
  state.client = { transport: 'http', api, auth: null, subscribe: () => () => undefined };
  return state;
}

/** The calls of one method, in order. */
export function callsOf(admin: FakeAdmin, method: AdminMethod): unknown[] {
  return admin.calls.filter((c) => c.method === method).map((c) => c.input);
}
