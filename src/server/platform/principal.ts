import type { Actor } from '../modules/audit/audit.service.ts'
import type { Permission } from '../modules/access/permissions.ts'
import { AppError } from './errors.ts'
import type { DataScope } from './scope.ts'

/** The signed-in staff user a request acts for, as every service sees it. */
export interface Principal {
  userId: string
  username: string
  displayName: string
  orgId: string
  scope: DataScope
  roles: string[]
  permissions: ReadonlySet<Permission>
  requestId: string | null
}

export function actorOf(p: Principal): Actor {
  return { id: p.userId, name: p.username }
}

/** Services call this first: authorisation lives with the rules, not in the route. */
export function requirePermission(p: Principal, permission: Permission): void {
  if (!p.permissions.has(permission)) throw new AppError('FORBIDDEN')
}
