import type { Database, Kysely } from '../../db/database.ts'
import { AppError, invalid, notFound, text } from '../../platform/errors.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import * as audit from '../audit/audit.service.ts'
import * as repo from './access.repository.ts'
import { builtInRoles, isPermission, permissions } from './permissions.ts'

export interface Role {
  code: string
  name: string
  nameZh: string
  nameEn: string
  permissions: string[]
  builtIn: boolean
}

const toRole = (r: repo.RoleRecord): Role => ({
  code: r.code,
  name: r.name_zh,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  permissions: [...r.permissions].sort(),
  builtIn: r.built_in,
})

export async function listRoles(db: Kysely<Database>, p: Principal): Promise<{ items: Role[]; permissions: string[] }> {
  // Anyone who manages users must see the roles they can grant.
  if (!p.permissions.has('role.read') && !p.permissions.has('user.manage')) throw new AppError('FORBIDDEN')
  return { items: (await repo.listRoles(db)).map(toRole), permissions: [...permissions] }
}

export async function setRolePermissions(db: Kysely<Database>, p: Principal, code: string, perms: string[]): Promise<Role> {
  requirePermission(p, 'role.manage')
  // Roles are nationwide; only a national administrator may redefine them.
  if (p.scope.regionPrefix !== '') throw new AppError('FORBIDDEN', text('Only a national administrator can change roles', '只有国家级系统管理员可以修改角色'))
  const unknown = perms.filter((x) => !isPermission(x))
  if (unknown.length > 0) throw invalid('permissions', text(`unknown permission: ${unknown.join(', ')}`, `未知权限：${unknown.join('、')}`))
  const next = [...new Set(perms)].sort()
  if (code === 'admin' && (!next.includes('role.manage') || !next.includes('user.manage'))) {
    throw invalid('permissions', text('the admin role must keep user.manage and role.manage', '系统管理员角色必须保留用户管理和角色管理权限'))
  }
  return db.transaction().execute(async (trx) => {
    const before = await repo.findRole(trx, code, true)
    if (!before) throw notFound()
    await repo.setRolePermissions(trx, code, next)
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'role.update',
      entityType: 'role',
      entityId: code,
      regionCode: null,
      before: { permissions: [...before.permissions].sort() },
      after: { permissions: next },
      requestId: p.requestId,
    })
    return toRole({ ...before, permissions: next })
  })
}

/** Run at start: adds built-in roles a new install lacks, never overwrites an administrator's changes. */
export async function ensureBuiltInRoles(db: Kysely<Database>): Promise<void> {
  for (const role of builtInRoles) {
    await repo.insertRoleIfMissing(db, { code: role.code, name_zh: role.nameZh, name_en: role.nameEn, permissions: [...role.permissions], built_in: true })
  }
}
