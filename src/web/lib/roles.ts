import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { Role } from '../api/types';

/** Built-in role codes, used when the role list cannot be read. */
export const BUILT_IN_ROLES = ['admin', 'case_worker', 'approver', 'fund_manager', 'centre_operator', 'monitor', 'inspector'] as const;

/** Roles from GET /api/roles, falling back to the built-in codes. */
type RoleName = Pick<Role, 'code' | 'name'> & Partial<Pick<Role, 'nameZh' | 'nameEn'>>;

export function useRoleList(): { roles: RoleName[]; loading: boolean } {
  const [roles, setRoles] = useState<RoleName[]>([]);
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
