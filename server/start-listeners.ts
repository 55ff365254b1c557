// Bringing the listeners up (issue 11 §4): a bad setting or a taken port must not keep the admin
// service from coming up, because the admin GUI is where the owner fixes it.
//
// Invariants: the admin listener starts first; if it cannot bind on the configured address it is
// retried once on the default (loopback) address, and only if that fails too does the start fail. A
// mail listener that cannot bind is logged (`server.listen-failed`), announced on the bus as
// `failed`, and left off; the rest of the server runs. Nothing here retries later: a restart does.
import type { EventBus } from './events.js';
import type { Logger } from './log.js';

export interface StartableListener<N extends string> {
  name: N;
  start(host: string, port: number): Promise<number>;
}

export interface ListenerFailure {
  host: string;
  port: number;
  code?: string;
  message: string;
}

export interface ListenerPlan<N extends string> {
  /** The admin listener first, then the mail listeners. */
  listeners: Array<StartableListener<N>>;
  admin: N;
  hostFor(name: N): string;
  portFor(name: N): number;
  /** Where the admin listener goes when its configured address fails (absent: no second try). */
  adminFallbackHost?: string;
  log: Logger;
  bus: EventBus;
}

export interface StartedListeners<N extends string> {
  bound: Partial<Record<N, number>>;
  failed: Partial<Record<N, ListenerFailure>>;
}

/** Starts each listener in turn; throws only when the admin listener cannot bind at all. */
export async function startListeners<N extends string>(plan: ListenerPlan<N>): Promise<StartedListeners<N>> {
  const bound: Partial<Record<N, number>> = {};
  const failed: Partial<Record<N, ListenerFailure>> = {};
  for (const listener of plan.listeners) {
    const host = plan.hostFor(listener.name);
    const port = plan.portFor(listener.name);
    try {
      bound[listener.name] = await listener.start(host, port);
    } catch (error) {
      const failure = describe(host, port, error);
      plan.log.error('server.listen-failed', { listener: listener.name, ...failure });
      plan.bus.emit('listener', { name: listener.name, state: 'failed', error: failure.message });
      if (listener.name !== plan.admin) {
        failed[listener.name] = failure;
        continue;
      }
      const fallback = plan.adminFallbackHost;
      if (fallback === undefined || fallback === host) throw error;
      bound[listener.name] = await listener.start(fallback, port);
      plan.log.warn('server.admin-fallback', { configured: host, host: fallback, port: bound[listener.name] });
    }
    plan.bus.emit('listener', { name: listener.name, state: 'listening', port: bound[listener.name] });
  }
  return { bound, failed };
}

function describe(host: string, port: number, error: unknown): ListenerFailure {
  const e = error as NodeJS.ErrnoException;
  return { host, port, code: e.code, message: e.message };
}
