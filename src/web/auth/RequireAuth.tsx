import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { FullPageSpin } from '../components/FullPageSpin';
import { ForbiddenPage } from '../pages/ForbiddenPage';
import { useAuth, type LoginRedirectState } from './AuthContext';

/** Renders children only for a signed-in user (and, if given, one holding `permission`). */
export function RequireAuth({ children, permission }: { children: ReactNode; permission?: string }) {
  const { status, can } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'anonymous') {
    const state: LoginRedirectState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  if (permission && !can(permission)) return <ForbiddenPage />;
  return <>{children}</>;
}
