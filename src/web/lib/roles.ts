import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { Role } from '../api/types';

/** Built-in role codes, used when the role list cannot be read. */
export const BUILT_IN_ROLES = ['admin', 'case_worker', 'approver', 'fund_manager', 'centre_operator', 'monitor', 'inspector'] as const;

/** Roles from GET /api/roles, falling back to the built-in codes. */
export function useRoleList(): { roles: Pick<Role, 'code' | 'name'>[]; loading: boolean } {
  const [roles, setRoles] = useState<Pick<Role, 'code' | 'name'>[]>([]);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let cancelled = false;
    unwrap(api.GET('/api/roles'))
      .then((res) => !cancelled && setRoles(res.items))
      .catch(() => !cancelled && setRoles(BUILT_IN_ROLES.map((code) => ({ code, name: code }))))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, []);
  return { roles, loading };
}
