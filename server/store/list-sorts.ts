// The keys the growing lists sort by, shared by the store (which maps each to SQL) and the admin
// contract (which validates them): browser-safe, constants only.
export const ACCOUNT_SORTS = ['address', 'name', 'used', 'quota', 'lastLogin', 'created'] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

export const ALIAS_SORTS = ['address', 'destinations', 'created'] as const;
export type AliasSort = (typeof ALIAS_SORTS)[number];

export const QUEUE_SORTS = ['created', 'nextAttempt', 'sender', 'recipient', 'state', 'attempts', 'size'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export const QUEUE_STATES = ['queued', 'delivering', 'deferred', 'held'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
