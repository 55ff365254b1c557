// Shared mailboxes (issue 17): the admin contract's area for mailboxes an office shares (`Shared/sales`),
// each an account of its own whose address receives mail, with the users granted rights on it.
import { z } from 'zod';
import { bytes, text, type InputOf } from './fields.js';

/** RFC 4314 rights letters (c and d are the obsolete kx and te). */
const rights = z
  .string()
  .trim()
  .regex(/^[lrswipkxtecda]*$/, 'Rights are letters of lrswipkxtecda (l see, r read, s seen, w flags, i insert, k create folders, x delete folders, t delete, e expunge, a administer).');

export const SharedSchemas = {
  listSharedMailboxes: z.object({}),
  addSharedMailbox: z.object({
    /** The folder name under Shared/ (one level). */
    name: text('A name')
      .max(64, 'A name is at most 64 characters.')
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'A name is letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit (no /).'),
    /** The address mail to the shared mailbox is sent to. */
    address: text('An address').refine((a) => !a.startsWith('*@'), 'A shared mailbox needs one address, not *@domain.'),
    quota: bytes.optional(),
  }),
  removeSharedMailbox: z.object({ name: text('A name') }),
  /** Sets a user's (or anyone's) rights; empty rights revoke. */
  grantSharedMailbox: z.object({ name: text('A name'), user: text('A user'), rights }),
} as const;

type In<M extends keyof typeof SharedSchemas> = InputOf<typeof SharedSchemas, M>;

export interface SharedGrantView {
  /** An address, `anyone` or `authenticated`. */
  user: string;
  rights: string;
}

export interface SharedMailboxView {
  name: string;
  /** The IMAP name users see: `Shared/<name>`. */
  imapName: string;
  address: string;
  quota: number;
  usedBytes: number;
  messages: number;
  grants: SharedGrantView[];
}

export interface SharedApi {
  /** Shared mailboxes by name, with who may do what. */
  listSharedMailboxes(input?: In<'listSharedMailboxes'>): Promise<SharedMailboxView[]>;
  /** Makes a shared mailbox: an account (no one can log in as it) receiving mail at `address`, listed as Shared/<name>. */
  addSharedMailbox(input: In<'addSharedMailbox'>): Promise<SharedMailboxView>;
  /** Removes the shared mailbox, its mail and its grants. */
  removeSharedMailbox(input: In<'removeSharedMailbox'>): Promise<{ removedMessages: number }>;
  /** Grants a user rights on the shared mailbox (RFC 4314 letters; "lrswi" reads and files, "" revokes). */
  grantSharedMailbox(input: In<'grantSharedMailbox'>): Promise<SharedMailboxView>;
}
