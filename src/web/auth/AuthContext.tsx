import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import { unwrap, unwrapVoid } from '../api/errors';
import type { Me } from '../api/types';

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated';

export interface AuthValue {
  status: AuthStatus;
  user: Me | null;
  /** Throws ApiError on failure (wrong password, locked, rate limited…). */
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  /** Re-reads the session from GET /api/auth/me. */
  refresh: () => Promise<void>;
  can: (permission: string) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

/** Where the login page should return to after a forced sign-out. */
export interface LoginRedirectState {
  from?: string;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const [user, setUser] = useState<Me | null>(null);
  const [status, setStatus] = useState<AuthStatus>('loading');

  const signedIn = useCallback((session: { user: Me; csrfToken: string }) => {
    setCsrfToken(session.csrfToken);
    setUser(session.user);
    setStatus('authenticated');
    return session.user;
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setUser(null);
    setStatus('anonymous');
  }, []);

  const refresh = useCallback(async () => {
    try {
      signedIn(await unwrap(api.GET('/api/auth/me')));
    } catch {
      // 401, or the server is unreachable: either way show the login page (it reports errors on submit)
      signedOut();
    }
  }, [signedIn, signedOut]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      signedOut();
      const { pathname, search } = window.location;
      if (pathname !== '/login') {
        const state: LoginRedirectState = { from: pathname + search };
        void navigate('/login', { replace: true, state });
      }
    });
  }, [navigate, signedOut]);

  const login = useCallback(
    async (username: string, password: string) =>
      signedIn(await unwrap(api.POST('/api/auth/login', { body: { username, password } }))),
    [signedIn],
  );

  const logout = useCallback(async () => {
    try {
      await unwrapVoid(api.POST('/api/auth/logout'));
    } finally {
      signedOut();
      void navigate('/login', { replace: true });
    }
  }, [navigate, signedOut]);

  const can = useCallback((permission: string) => user?.permissions.includes(permission) ?? false, [user]);

  const value = useMemo<AuthValue>(
    () => ({ status, user, login, logout, refresh, can }),
    [status, user, login, logout, refresh, can],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only call below <RequireAuth>. */
export function useMe(): Me {
  const { user } = useAuth();
  if (!user) throw new Error('useMe() called without a signed-in user');
  return user;
}
