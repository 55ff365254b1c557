// The directory an old Postfix/Dovecot SQL setup holds, read into Mailroom's terms but not yet checked
// against Mailroom (plan.ts does that). Addresses are as the source wrote them, trimmed; domains
// lower-cased. A catch-all alias has the address `*@domain` whatever the source wrote (`@domain`).

export type HashCheck =
  | { usable: true; scheme: string }
  | { usable: false; scheme: string; reason: string };

export interface ImportedDomain {
  name: string;
  active: boolean;
  description?: string;
  /** Default quota for new mailboxes in bytes, when the source has one; 0 = unlimited. */
  defaultQuota?: number;
}

export interface ImportedAccount {
  address: string;
  name: string;
  /** Kept exactly as stored: Mailroom verifies the legacy schemes and rehashes at the next login. */
  passwordHash: string;
  hash: HashCheck;
  /** Bytes; 0 = unlimited. */
  quota: number;
  active: boolean;
  /** Where the old server kept the mail (PostfixAdmin/extmail `maildir` column), for the mail import. */
  maildir?: string;
}

export interface ImportedAlias {
  /** `local@domain`, or `*@domain` for a catch-all. */
  address: string;
  destinations: string[];
  active: boolean;
}

export interface ImportedAliasDomain {
  /** Mail to `x@alias` goes to `x@target`. */
  alias: string;
  target: string;
  active: boolean;
}

export interface ImportedTransport {
  domain: string;
  /** Postfix transport(5) value as stored: `smtp:[relay]:25`, `virtual:`, `lmtp:unix:...`. */
  transport: string;
}

export interface Directory {
  domains: ImportedDomain[];
  accounts: ImportedAccount[];
  aliases: ImportedAlias[];
  aliasDomains: ImportedAliasDomain[];
  transports: ImportedTransport[];
}
