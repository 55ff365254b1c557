// The outbound queue and the domains' DKIM keys and DMARC choice (issue 6): the admin contract's outbound area.
import { z } from 'zod';
import { pageInput, text, type InputOf, type Page } from './fields.js';
import { QUEUE_SORTS, QUEUE_STATES } from '../../store/list-sorts.js';

export const OutboundSchemas = {
  listQueue: z.object({}),
  searchQueue: z.object({ state: z.enum(QUEUE_STATES).optional(), ...pageInput(QUEUE_SORTS) }),
  retryQueue: z.object({ queueId: z.string().optional() }),
  deleteQueued: z.object({ queueId: text('A queue id') }),
  /** `hold: true` keeps a message from being tried (postsuper -h); false releases it, due now (postsuper -H). */
  holdQueued: z.object({ queueId: text('A queue id'), hold: z.boolean() }),
  // One queued message in detail, flush (postqueue -f), DKIM keys.
  showQueued: z.object({ queueId: text('A queue id') }),
  flushQueue: z.object({}),
  generateDkimKey: z.object({
    domain: text('A domain'),
    selector: z
      .string()
      .trim()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'A selector is one DNS label: letters, digits and hyphens.')
      .optional(),
    algorithm: z.enum(['rsa', 'ed25519']).default('rsa'),
  }),
  getDkimKey: z.object({ domain: text('A domain') }),
  removeDkimKey: z.object({ domain: text('A domain') }),
  // Inbound checks: what a DMARC p=reject failure does to mail for this hosted domain.
  getDmarcEnforcement: z.object({ domain: text('A domain') }),
  setDmarcEnforcement: z.object({ domain: text('A domain'), onReject: z.enum(['reject', 'tag']) }),
} as const;

type In<M extends keyof typeof OutboundSchemas> = InputOf<typeof OutboundSchemas, M>;

export interface QueueView {
  id: number;
  queueId: string;
  sender: string;
  recipient: string;
  state: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  size: number;
  createdAt: number;
}

export interface QueuedMessageView {
  queueId: string;
  sender: string;
  messageId: string | null;
  size: number;
  createdAt: number;
  recipients: Array<Pick<QueueView, 'id' | 'recipient' | 'state' | 'attempts' | 'nextAttemptAt' | 'lastError'>>;
  /** The message's header section as queued (like `postcat -h`). */
  headers: string;
}

/** A domain's DKIM key as the admin publishes it: the TXT record, never the private key. */
export interface DkimKeyView {
  domain: string;
  selector: string;
  algorithm: 'rsa' | 'ed25519';
  /** `<selector>._domainkey.<domain>` */
  dnsName: string;
  /** `v=DKIM1; k=rsa; p=...` */
  dnsValue: string;
  createdAt: number;
}

export interface OutboundApi {
  listQueue(input?: In<'listQueue'>): Promise<QueueView[]>;
  searchQueue(input?: In<'searchQueue'>): Promise<Page<QueueView>>;
  retryQueue(input?: In<'retryQueue'>): Promise<{ retried: number }>;
  /** Holds or releases a queued message's recipients; `changed`: how many rows changed state. */
  holdQueued(input: In<'holdQueued'>): Promise<{ changed: number }>;
  deleteQueued(input: In<'deleteQueued'>): Promise<{ removed: number }>;
  showQueued(input: In<'showQueued'>): Promise<QueuedMessageView>;
  flushQueue(input?: In<'flushQueue'>): Promise<{ retried: number }>;
  generateDkimKey(input: In<'generateDkimKey'>): Promise<DkimKeyView>;
  /** null when the domain has no key. */
  getDkimKey(input: In<'getDkimKey'>): Promise<DkimKeyView | null>;
  removeDkimKey(input: In<'removeDkimKey'>): Promise<void>;
  /** `reject`: refuse mail failing DMARC under the sender's p=reject (550 5.7.1); `tag`: accept it with dmarc=fail. */
  getDmarcEnforcement(input: In<'getDmarcEnforcement'>): Promise<{ domain: string; onReject: 'reject' | 'tag' }>;
  setDmarcEnforcement(input: In<'setDmarcEnforcement'>): Promise<{ domain: string; onReject: 'reject' | 'tag' }>;
}
