import type { Database, Kysely } from '../../db/database.ts'
import { decodeCursor, page } from '../../platform/cursor.ts'
import { AppError, type FieldError, invalid, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import * as audit from '../audit/audit.service.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import * as repo from './access.repository.ts'
import { checkPasswordRule, hashPassword } from './password.ts'

export interface User {
  id: string
  username: string
  displayName: string
  orgId: string
  orgName: string
  roles: string[]
  active: boolean
  locked: boolean
  lastLoginAt: string | null
  createdAt: string
}

const USERNAME = /^[A-Za-z0-9_.-]{3,64}$/

function toUser(r: repo.UserRecord, now = new Date()): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    orgId: r.org_id,
    orgName: r.org_name,
    roles: r.roles,
    active: r.active,
    locked: r.locked_until !== null && r.locked_until > now,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }
}

async function loadInScope(db: Kysely<Database>, p: Principal, id: string): Promise<repo.UserRecord> {
  if (!isUuid(id)) throw notFound()
  const found = await repo.findUserInScope(db, p.scope, id)
  if (!found) throw notFound()
  return found
}

export async function getUser(db: Kysely<Database>, p: Principal, id: string): Promise<User> {
  requirePermission(p, 'user.read')
  return toUser(await loadInScope(db, p, id))
}

export async function listUsers(
  db: Kysely<Database>,
  p: Principal,
  f: { q?: string; orgId?: string; cursor?: string; limit?: number },
): Promise<{ items: User[]; nextCursor: string | null }> {
  requirePermission(p, 'user.read')
  if (f.orgId && !isUuid(f.orgId)) throw invalid('orgId', text('must be an organisation id', '必须是组织编号'))
  const limit = f.limit ?? 50
  const key = decodeCursor(f.cursor, ['text', 'uuid'])
  const rows = await repo.listUsers(db, p.scope, { ...f, after: key ? { username: key[0]!, id: key[1]! } : undefined, limit: limit + 1 })
  const result = page(rows, limit, (r) => [r.username, r.id])
  return { items: result.items.map((r) => toUser(r)), nextCursor: result.nextCursor }
}

async function checkRoles(db: Kysely<Database>, roles: string[]): Promise<void> {
  const known = new Set((await repo.listRoles(db)).map((r) => r.code))
  const unknown = roles.filter((r) => !known.has(r))
  if (unknown.length > 0) throw invalid('roles', text(`unknown role: ${unknown.join(', ')}`, `未知角色：${unknown.join('、')}`))
}

export interface CreateUserInput {
  username: string
  displayName: string
  orgId: string
  roles: string[]
  password: string
}

/**
 * Checks everything about a new user but their organisation: format, password rule,
 * roles, and that the username is free. The command line runs it before creating a
 * national root, so a bad request leaves nothing behind.
 */
export async function checkNewUser(db: Kysely<Database>, input: Omit<CreateUserInput, 'orgId'>): Promise<{ username: string; displayName: string; roles: string[] }> {
  const errors: FieldError[] = []
  const username = input.username.trim()
  if (!USERNAME.test(username)) errors.push({ field: 'username', message: text('must be 3–64 letters, digits, dot, dash or underscore', '须为 3–64 位字母、数字、点、连字符或下划线') })
  if (!input.displayName.trim()) errors.push({ field: 'displayName', message: text('must not be empty', '不能为空') })
  const rule = checkPasswordRule(input.password, username)
  if (rule) errors.push(rule)
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', undefined, errors)
  const roles = [...new Set(input.roles)]
  await checkRoles(db, roles)
  if (await repo.findUserByUsername(db, username)) throw new AppError('USERNAME_TAKEN', undefined, [{ field: 'username', message: text('is taken', '该用户名已被使用') }])
  return { username, displayName: input.displayName.trim(), roles }
}

export async function createUser(db: Kysely<Database>, p: Principal, input: CreateUserInput): Promise<User> {
  requirePermission(p, 'user.manage')
  const { username, displayName, roles } = await checkNewUser(db, input)
  // An organisation outside the caller's scope does not exist for them.
  const org = await findOrgInScope(db, p, input.orgId)
  if (!org) throw invalid('orgId', text('no such organisation', '组织不存在'))
  if (!org.active) throw invalid('orgId', text('the organisation is deactivated', '该组织已停用'))
  const passwordHash = await hashPassword(input.password)
  const taken = () => new AppError('USERNAME_TAKEN', undefined, [{ field: 'username', message: text('is taken', '该用户名已被使用') }])
  const id = await db.transaction().execute(async (trx) => {
    const newId = await repo.insertUser(trx, { username, displayName, passwordHash, orgId: org.id, roles })
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'user.create',
      entityType: 'user',
      entityId: newId,
      regionCode: org.regionCode || null,
      after: { username, displayName, orgId: org.id, roles },
      requestId: p.requestId,
    })
    return newId
  }).catch((err: unknown) => {
    // Two administrators creating the same username at once: the unique index decides.
    throw isUniqueViolation(err, 'app_user_username_uq') ? taken() : err
  })
  return getUser(db, p, id)
}

export async function updateUser(
  db: Kysely<Database>,
  p: Principal,
  id: string,
  patch: { displayName?: string; roles?: string[]; active?: boolean },
): Promise<User> {
  requirePermission(p, 'user.manage')
  if (patch.displayName !== undefined && !patch.displayName.trim()) throw invalid('displayName', text('must not be empty', '不能为空'))
  if (patch.roles) await checkRoles(db, patch.roles)
  if (id === p.userId && (patch.active === false || (patch.roles && !patch.roles.includes('admin') && p.roles.includes('admin')))) {
    throw invalid(patch.active === false ? 'active' : 'roles', text('you cannot lock yourself out of administration', '不能取消自己的管理权限或停用自己'))
  }
  await db.transaction().execute(async (trx) => {
    if (!isUuid(id)) throw notFound()
    const before = await repo.findUserInScope(trx, p.scope, id, true)
    if (!before) throw notFound()
    if (patch.displayName !== undefined || patch.active !== undefined) {
      await repo.updateUser(trx, id, {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName.trim() } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
      })
    }
    if (patch.roles) await repo.setUserRoles(trx, id, [...new Set(patch.roles)])
    if (patch.active === false) await repo.deleteSessionsOfUser(trx, id)
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      regionCode: before.org_region_code,
      before: { displayName: before.display_name, roles: before.roles, active: before.active },
      after: {
        displayName: patch.displayName?.trim() ?? before.display_name,
        roles: patch.roles ? [...new Set(patch.roles)].sort() : before.roles,
        active: patch.active ?? before.active,
      },
      requestId: p.requestId,
    })
  })
  return getUser(db, p, id)
}

export async function resetPassword(db: Kysely<Database>, p: Principal, id: string, password: string): Promise<void> {
  requirePermission(p, 'user.manage')
  const user = await loadInScope(db, p, id)
  const rule = checkPasswordRule(password, user.username)
  if (rule) throw new AppError('VALIDATION_FAILED', undefined, [rule])
  const passwordHash = await hashPassword(password)
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, id, { password_hash: passwordHash, password_changed_at: new Date(), failed_logins: 0, locked_until: null })
    await repo.deleteSessionsOfUser(trx, id)
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'user.reset_password',
      entityType: 'user',
      entityId: id,
      regionCode: user.org_region_code,
      requestId: p.requestId,
    })
  })
}

export async function unlockUser(db: Kysely<Database>, p: Principal, id: string): Promise<void> {
  requirePermission(p, 'user.manage')
  const user = await loadInScope(db, p, id)
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, id, { failed_logins: 0, locked_until: null })
    await audit.record(trx, {
      actor: actorOf(p),
      action: 'user.unlock',
      entityType: 'user',
      entityId: id,
      regionCode: user.org_region_code,
      before: { lockedUntil: user.locked_until },
      requestId: p.requestId,
    })
  })
}

export function countUsers(db: Kysely<Database>, p: Principal): Promise<number> {
  return repo.countUsers(db, p.scope)
}
