// Public surface of outbound delivery (DESIGN §6): the queue runner the composition root starts, the
// DKIM key helpers the admin service uses, and the pieces tests drive directly.
export { createQueueRunner, DEFAULT_LIMITS, type QueueContext, type QueueLimits, type QueueRunner, type QueueRunnerDeps, type QueueRunSummary } from './runner.js';
export { netDialer, type Dialer, type SmtpTimeouts } from './smtp-client.js';
export { DEFAULT_SELECTOR, SELECTOR, dkimRecord, generateDkimKey, type DkimAlgorithm, type DkimKey } from './dkim.js';
export { DsnParamsSchema, type DsnParams } from './dsn.js';
