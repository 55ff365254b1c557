// React access to the AdminClient (renderer/api.ts) and small hooks every screen uses: loading a
// query with loading/error/reload state, and running an action with a notification.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
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

/** Runs `load` on mount and whenever `deps` change; `reload()` runs it again. Stale answers are dropped. */
export function useQuery<T>(load: (api: AdminApi) => Promise<T>, deps: unknown[] = []): Query<T> {
  const api = useApi();
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(api).then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [api, tick, ...deps]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** Subscribes to live events while the component is mounted. */
export function useLiveEvents(handler: (event: LiveEvent) => void, enabled = true): void {
  const client = useClient();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    return client.subscribe((event) => ref.current(event));
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
