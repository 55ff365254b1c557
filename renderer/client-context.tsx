// React access to the AdminClient (renderer/api.ts) and small hooks every screen uses: loading a
// query with loading/error/reload state, and running an action with a notification.
import { createContext, useCallback, useContext, useEffect, useEffectEvent, useState, type ReactNode } from 'react';
import { notifications } from '@mantine/notifications';
import type { AdminApi } from '../server/admin/contract.js';
import { ClientError, type AdminClient, type LiveEvent } from './api.js';

const ClientContext = createContext<AdminClient | null>(null);

export function ClientProvider({ client, children }: { client: AdminClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): AdminClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientProvider');
  return client;
}

export function useApi(): AdminApi {
  return useClient().api;
}

export interface Query<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` on mount and whenever `deps` change (compared by value: strings, numbers, undefined);
 * `reload()` runs it again. Answers to an older request are dropped; `loading` holds until the
 * answer to the current one arrives.
 */
export function useQuery<T>(load: (api: AdminApi) => Promise<T>, deps: unknown[] = []): Query<T> {
  const api = useApi();
  const [tick, setTick] = useState(0);
  const request = `${tick} ${JSON.stringify(deps)}`;
  const [state, setState] = useState<{ request?: string; data?: T; error?: Error }>({});
  const run = useEffectEvent(load);
  useEffect(() => {
    let current = true;
    run(api).then(
      (data) => current && setState({ request, data }),
      (error: Error) => current && setState((s) => ({ request, data: s.data, error })),
    );
    return () => {
      current = false;
    };
  }, [api, request]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.request !== request, reload };
}

/** Subscribes to live events while the component is mounted. */
export function useLiveEvents(handler: (event: LiveEvent) => void, enabled = true): void {
  const client = useClient();
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    if (!enabled) return;
    return client.subscribe((event) => onEvent(event));
  }, [client, enabled]);
}

export function errorMessage(error: unknown): string {
  if (error instanceof ClientError || error instanceof Error) return error.message;
  return String(error);
}

export function notifyDone(message: string): void {
  notifications.show({ color: 'green', title: 'Done', message });
}

/** Runs an admin action; shows a green notification on success and a red one (with the server's sentence) on failure. */
export async function act<T>(action: () => Promise<T>, success: string): Promise<T | undefined> {
  try {
    const result = await action();
    notifyDone(success);
    return result;
  } catch (error) {
    notifications.show({ color: 'red', title: 'Not done', message: errorMessage(error), autoClose: 8000 });
    return undefined;
  }
}
