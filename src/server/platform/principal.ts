import type { Actor } from '../modules/audit/audit.service.ts'
import { type Permission, permissions } from '../modules/access/permissions.ts'
import { AppError } from './errors.ts'
import { type DataScope, nationalScope } from './scope.ts'

/** Who a service call acts for: a signed-in staff user, or the system itself (CLI, jobs). */
export interface Principal {
  /** null for the system */
  userId: string | null
  username: string
  displayName: string
  orgId: string | null
  scope: DataScope
  roles: string[]
  permissions: ReadonlySet<Permission>
  requestId: string | null
}

/** A signed-in user: what every session resolves to. */
export interface UserPrincipal extends Principal {
  userId: string
  orgId: string
}

/**
 * The command line and background jobs act as the system: national scope and every
 * permission, recorded in the audit log as actor 'system' with the given request id.
 */
export function systemPrincipal(requestId: string): Principal {
  return {
    userId: null,
    username: 'system',
    displayName: 'system',
    orgId: null,
    scope: nationalScope,
    roles: [],
    permissions: new Set(permissions),
    requestId,
  }
}

export function actorOf(p: Principal): Actor {
  return { id: p.userId, name: p.username }
}

/** Services call this first: authorisation lives with the rules, not in the route. */
export function requirePermission(p: Principal, permission: Permission): void {
  if (!p.permissions.has(permission)) throw new AppError('FORBIDDEN')
}
