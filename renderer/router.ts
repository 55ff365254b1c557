// Hash routing (#/users?domain=example.com): works the same from app:// in the desktop window and
// from the admin HTTP server, with no server-side routes to keep in sync. A screen with unsaved edits
// may hold navigation (setNavigationGuard): the address goes back and the screen asks first.
import { useEffect, useState } from 'react';

export interface Route {
  /** Path segments after "#/", e.g. ['setup', 'TOKEN']. */
  path: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const text = q.toString();
  return `#/${path}${text ? `?${text}` : ''}`;
}

export function navigate(path: string, query: Record<string, string | undefined> = {}, replace = false): void {
  const target = href(path, query);
  if (replace) window.history.replaceState(null, '', target);
  else window.location.hash = target;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Called with the address the user tried to open while the guard holds navigation. */
export type NavigationGuard = (target: string) => void;

const guards = new Set<NavigationGuard>();

/** Holds navigation until the returned release is called (or `go` leaves anyway). */
export function setNavigationGuard(guard: NavigationGuard): () => void {
  guards.add(guard);
  return () => guards.delete(guard);
}

/** Opens `target` (a `#/…` address) past every guard: the screen's own "leave anyway". */
export function leaveTo(target: string): void {
  guards.clear();
  window.location.hash = target;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    let shown = window.location.hash;
    const update = () => {
      const target = window.location.hash;
      if (target !== shown && guards.size > 0) {
        window.history.replaceState(null, '', shown || '#/');
        for (const guard of guards) guard(target);
        return;
      }
      shown = target;
      setRoute(parseHash(target));
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
