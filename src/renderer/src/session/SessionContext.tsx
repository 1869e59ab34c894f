/** The signed-in account for the whole UI, with sign-in and sign-out. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '../../../shared/api/methods/session';
import { can, type Permission } from '../../../shared/permissions';
import { api } from '../api/client';

interface SessionValue {
  me: Me | null;
  loading: boolean;
  signIn(login: string, password: string): Promise<void>;
  signInWithPin(login: string, pin: string): Promise<void>;
  lock(): Promise<void>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
  /** The permission module, as the router applies it. */
  may(permission: Permission): boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      setMe(await api.call('session.me', {}));
    } catch {
      setMe(null);
    }
  }, []);

  useEffect(() => {
    // In a browser, a page reload keeps the tab's session (sessionStorage); the desktop keeps it in main.
    void refresh().finally(() => setLoading(false));
  }, [refresh]);

  const signIn = useCallback(async (login: string, password: string) => {
    const res = await api.call('session.login', { login, password });
    api.setToken(res.token);
    setMe(res.me);
  }, []);

  const signInWithPin = useCallback(async (login: string, pin: string) => {
    const res = await api.call('session.pinLogin', { login, pin });
    api.setToken(res.token);
    setMe(res.me);
  }, []);

  const lock = useCallback(async () => {
    await api.call('session.lock', {});
    await refresh();
  }, [refresh]);

  const signOut = useCallback(async () => {
    try {
      await api.call('session.logout', {});
    } finally {
      api.setToken(null);
      setMe(null);
    }
  }, []);

  const value = useMemo<SessionValue>(
    () => ({ me, loading, signIn, signInWithPin, lock, signOut, refresh, may: (p) => can(me, p) }),
    [me, loading, signIn, signInWithPin, lock, signOut, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
