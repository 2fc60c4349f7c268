import type { Database, Kysely } from '../../db/database.ts'
import { AppError } from '../../platform/errors.ts'
import type { UserPrincipal } from '../../platform/principal.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import { regionFullName } from '../regions/regions.service.ts'
import { findUserById } from './access.repository.ts'

/** What the web app needs to know about the signed-in user: who, where, and what they may do. */
export async function describeMe(db: Kysely<Database>, p: UserPrincipal) {
  const [user, org] = await Promise.all([findUserById(db, p.userId), findOrgInScope(db, p, p.orgId)])
  if (!user || !org) throw new AppError('AUTH_REQUIRED')
  const regionName = await regionFullName(db, org.regionCode || null)
  return {
    id: p.userId,
    username: p.username,
    displayName: p.displayName,
    locale: user.locale,
    org: { id: org.id, name: org.name, type: org.type, level: org.level, regionCode: org.regionCode, regionName },
    scope: { regionCode: org.regionCode, regionName, industry: p.scope.industry },
    roles: p.roles,
    permissions: [...p.permissions].sort(),
  }
}
