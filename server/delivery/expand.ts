// Recipient expansion (DESIGN §6): an address on a hosted domain resolves to its account, else its
// alias (recursively: aliases may name other aliases), else the domain's catch-all; addresses on other
// domains are remote. An alias on an account's own address forwards the account's mail. Expansion is
// depth-limited and detects loops, so both the admin service (which refuses to create a loop) and
// delivery (which must never spin) use this one function.
import { parseAddress, addressKey, type Address } from '../mime/addr-spec.js';

export const MAX_ALIAS_DEPTH = 20;

export interface DirectoryAccount {
  id: number;
  address: string;
  active: boolean;
}

export interface DirectoryAlias {
  address: string;
  destinations: string[];
  active: boolean;
}

export interface RecipientDirectory {
  isLocalDomain(domain: string): Promise<boolean>;
  account(local: string, domain: string): Promise<DirectoryAccount | undefined>;
  alias(local: string, domain: string): Promise<DirectoryAlias | undefined>;
}

export interface Expansion {
  accounts: DirectoryAccount[];
  remote: string[];
  /** Local addresses that resolve to nothing (no account, alias or catch-all). */
  unknown: string[];
  /** Disabled accounts or aliases reached. */
  disabled: string[];
}

export class AliasLoopError extends Error {
  override name = 'AliasLoopError';
  constructor(readonly path: string[]) {
    super(`The aliases form a loop: ${path.join(' → ')}.`);
  }
}

export class AliasDepthError extends Error {
  override name = 'AliasDepthError';
  constructor(readonly path: string[]) {
    super(`Aliases nest deeper than ${MAX_ALIAS_DEPTH} levels: ${path.join(' → ')}.`);
  }
}

/** Expands one address; throws AliasLoopError/AliasDepthError when `strict`, else skips the looping branch. */
export async function expandRecipient(address: string | Address, dir: RecipientDirectory, strict = true): Promise<Expansion> {
  const out: Expansion = { accounts: [], remote: [], unknown: [], disabled: [] };
  const seenAccounts = new Set<number>();
  const seenRemote = new Set<string>();

  const visit = async (addr: Address, path: string[]): Promise<void> => {
    const text = `${addr.local}@${addr.domain}`;
    const key = addressKey(addr);
    if (path.some((p) => p.toLowerCase() === key)) {
      if (strict) throw new AliasLoopError([...path, text]);
      return;
    }
    if (path.length > MAX_ALIAS_DEPTH) {
      if (strict) throw new AliasDepthError([...path, text]);
      return;
    }
    if (!(await dir.isLocalDomain(addr.domain))) {
      if (!seenRemote.has(key)) {
        seenRemote.add(key);
        out.remote.push(text);
      }
      return;
    }
    const account = await dir.account(addr.local, addr.domain);
    if (account) {
      const keep = () => {
        if (!account.active) out.disabled.push(account.address);
        else if (!seenAccounts.has(account.id)) {
          seenAccounts.add(account.id);
          out.accounts.push(account);
        }
      };
      // An alias on an account's own address is its forwarding (PostfixAdmin's `goto`, kept by an
      // import): its destinations replace delivery here, and the address itself among them keeps a copy.
      const forwarding = await dir.alias(addr.local, addr.domain);
      if (!forwarding?.active) return keep();
      for (const destination of forwarding.destinations) {
        const to = parseAddress(destination);
        if (addressKey(to) === key) keep();
        else await visit(to, [...path, text]);
      }
      return;
    }
    const alias = (await dir.alias(addr.local, addr.domain)) ?? (await dir.alias('*', addr.domain));
    if (!alias) {
      out.unknown.push(text);
      return;
    }
    if (!alias.active) {
      out.disabled.push(alias.address);
      return;
    }
    for (const destination of alias.destinations) await visit(parseAddress(destination), [...path, text]);
  };

  await visit(typeof address === 'string' ? parseAddress(address) : address, []);
  return out;
}
