// Supervises the server in an Electron utilityProcess (server/host/utility.ts): starts it, relays
// admin calls to it and its live events out, and restarts it when it dies, with a growing delay.
// Written against a small `UtilityLike` interface (what utilityProcess.fork returns) so tests drive
// it with stand-ins; nothing here imports electron at run time.
//
// Invariants: at most one server process at a time; every admin call gets exactly one answer (the
// server's, or `unavailable` when the process died or is stopping); calls made while the server
// (re)starts wait for it; after stop() nothing restarts.
import type { RpcResult } from '../server/admin/rpc.js';
import type { LiveEvent } from '../server/admin/contract.js';
import type { MainToUtility, UtilityToMain } from '../server/host/utility.js';

/** What the window gets for an admin call: the server's answer, or why the desktop shell could not relay it. */
export type AdminResult = RpcResult | { ok: false; error: { code: 'unavailable' | 'forbidden'; message: string; field?: string } };

export interface UtilityLike {
  postMessage(message: MainToUtility): void;
  on(event: 'message', listener: (message: UtilityToMain) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type ServerState =
  | { kind: 'starting' }
  | { kind: 'running'; ports: Record<string, number>; setupUrl?: string }
  | { kind: 'restarting'; reason: string; inMs: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'stopped' };

export interface SupervisorDeps {
  fork(): UtilityLike;
  onEvent(event: LiveEvent): void;
  onState(state: ServerState): void;
  /** Timers, injected so tests restart without waiting. */
  schedule?(fn: () => void, ms: number): { cancel(): void };
  /** Delays before restart attempts 1, 2, …; the last one repeats. */
  restartDelaysMs?: number[];
  /** Gives up (state `failed`) after this many restarts in a row that never reached `ready`. */
  maxFailedStarts?: number;
  /** How long stop() waits for a clean exit before killing the process. */
  stopTimeoutMs?: number;
}

export interface Supervisor {
  start(): void;
  call(method: string, input: unknown): Promise<AdminResult>;
  stop(): Promise<void>;
  state(): ServerState;
}

const unavailable = (message: string): AdminResult => ({ ok: false, error: { code: 'unavailable', message } });

export function createSupervisor(deps: SupervisorDeps): Supervisor {
  const schedule =
    deps.schedule ??
    ((fn: () => void, ms: number) => {
      const timer = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(timer) };
    });
  const delays = deps.restartDelaysMs ?? [1000, 2000, 5000, 10_000, 30_000];
  const maxFailedStarts = deps.maxFailedStarts ?? 5;
  const stopTimeoutMs = deps.stopTimeoutMs ?? 10_000;

  let child: UtilityLike | undefined;
  let state: ServerState = { kind: 'stopped' };
  let nextId = 1;
  let failedStarts = 0;
  let restarts = 0;
  let stopping: Promise<void> | undefined;
  let restartTimer: { cancel(): void } | undefined;
  const pending = new Map<number, (result: AdminResult) => void>();
  /** Calls made before the server was ready. */
  let waiting: Array<() => void> = [];

  const setState = (next: ServerState) => {
    state = next;
    deps.onState(next);
    if (next.kind === 'running') for (const send of waiting.splice(0)) send();
    if (next.kind === 'failed' || next.kind === 'stopped') {
      const message = next.kind === 'failed' ? `The mail server could not start: ${next.reason}` : 'The mail server is stopped.';
      waiting = [];
      for (const [id, answer] of pending) {
        pending.delete(id);
        answer(unavailable(message));
      }
    }
  };

  const spawn = () => {
    setState({ kind: 'starting' });
    const proc = deps.fork();
    child = proc;
    let reachedReady = false;
    let lastFailure: string | undefined;
    proc.on('message', (message) => {
      if (proc !== child) return;
      switch (message.type) {
        case 'ready':
          reachedReady = true;
          failedStarts = 0;
          restarts = 0;
          setState({ kind: 'running', ports: message.ports as Record<string, number>, setupUrl: message.setupUrl });
          break;
        case 'failed':
          lastFailure = message.message;
          break;
        case 'rpc-result': {
          const answer = pending.get(message.id);
          pending.delete(message.id);
          answer?.(message.result);
          break;
        }
        case 'event':
          deps.onEvent(message.event);
          break;
        case 'stopped':
          break;
      }
    });
    proc.on('exit', (code) => {
      if (proc !== child) return;
      child = undefined;
      for (const [id, answer] of pending) {
        pending.delete(id);
        answer(unavailable('The mail server stopped while answering; it is being restarted. Try again in a moment.'));
      }
      if (stopping) return;
      if (!reachedReady) failedStarts++;
      const reason = lastFailure ?? `the server process exited with code ${code}`;
      if (failedStarts >= maxFailedStarts) return setState({ kind: 'failed', reason });
      const inMs = delays[Math.min(restarts, delays.length - 1)];
      restarts++;
      setState({ kind: 'restarting', reason, inMs });
      restartTimer = schedule(() => {
        restartTimer = undefined;
        if (!stopping) spawn();
      }, inMs);
    });
  };

  return {
    start() {
      if (child || stopping) return;
      spawn();
    },
    call(method, input) {
      return new Promise((resolve) => {
        if (stopping || state.kind === 'stopped' || state.kind === 'failed') {
          return resolve(unavailable(state.kind === 'failed' ? `The mail server could not start: ${state.reason}` : 'The mail server is stopped.'));
        }
        const send = () => {
          if (!child) return resolve(unavailable('The mail server is restarting. Try again in a moment.'));
          const id = nextId++;
          pending.set(id, resolve);
          child.postMessage({ type: 'rpc', id, method, input });
        };
        if (state.kind === 'running') send();
        else waiting.push(send);
      });
    },
    stop() {
      if (stopping) return stopping;
      restartTimer?.cancel();
      const proc = child;
      stopping = new Promise<void>((resolve) => {
        if (!proc) return resolve();
        const timer = schedule(() => proc.kill(), stopTimeoutMs);
        proc.on('exit', () => {
          timer.cancel();
          resolve();
        });
        proc.postMessage({ type: 'stop' });
      }).then(() => {
        child = undefined;
        setState({ kind: 'stopped' });
      });
      return stopping;
    },
    state: () => state,
  };
}
