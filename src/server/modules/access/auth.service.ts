import { createHash, randomBytes } from 'node:crypto'
import type { Database, Kysely } from '../../db/database.ts'
import { AppError, text } from '../../platform/errors.ts'
import type { UserPrincipal } from '../../platform/principal.ts'
import { regionPrefixOf } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import * as repo from './access.repository.ts'
import { checkPasswordRule, dummyPasswordHash, hashPassword, verifyPassword } from './password.ts'
import { isPermission, type Permission } from './permissions.ts'

export const LOCKOUT_THRESHOLD = 5
export const LOCKOUT_MINUTES = 15
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000
/** …and in any case this long after sign-in. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000
const TOUCH_EVERY_MS = 60 * 1000

export interface ClientInfo {
  ip: string | null
  userAgent: string | null
  requestId: string | null
}

export interface SignedIn {
  token: string
  csrfToken: string
  principal: UserPrincipal
  expiresAt: Date
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export async function login(db: Kysely<Database>, username: string, password: string, client: ClientInfo, now = new Date()): Promise<SignedIn> {
  const user = await repo.findUserByUsername(db, username)
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), password)
    throw new AppError('AUTH_INVALID_CREDENTIALS')
  }
  // Checked before the password, so a locked account cannot be guessed at.
  if (user.locked_until && user.locked_until > now) {
    throw new AppError('AUTH_LOCKED', undefined, { retryAfterSeconds: Math.ceil((user.locked_until.getTime() - now.getTime()) / 1000) })
  }
  const actor = { id: user.id, name: user.username }
  const ok = await verifyPassword(user.password_hash, password)
  if (!ok || !user.active) {
    const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60 * 1000)
    const { locked } = await db.transaction().execute(async (trx) => {
      const result = await repo.recordFailedLogin(trx, user.id, LOCKOUT_THRESHOLD, lockUntil)
      await audit.record(trx, {
        actor,
        action: result.locked ? 'auth.locked' : 'auth.login_failed',
        entityType: 'user',
        entityId: user.id,
        regionCode: user.org_region_code,
        after: { failures: result.failures, lockedUntil: result.locked ? lockUntil : null },
        requestId: client.requestId,
      })
      return result
    })
    if (locked) throw new AppError('AUTH_LOCKED', undefined, { retryAfterSeconds: LOCKOUT_MINUTES * 60 })
    throw new AppError('AUTH_INVALID_CREDENTIALS')
  }

  const token = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(24).toString('base64url')
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS)
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, user.id, { failed_logins: 0, locked_until: null, last_login_at: now })
    await repo.insertSession(trx, { tokenHash: hashToken(token), userId: user.id, csrfToken, expiresAt, ip: client.ip, userAgent: client.userAgent })
    await audit.record(trx, {
      actor,
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      regionCode: user.org_region_code,
      after: { ip: client.ip },
      requestId: client.requestId,
    })
  })
  const principal = principalOf(user, await repo.permissionsOfRoles(db, user.roles), client.requestId)
  return { token, csrfToken, principal, expiresAt }
}

function principalOf(user: repo.UserRecord, permissions: string[], requestId: string | null): UserPrincipal {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    orgId: user.org_id,
    scope: { regionPrefix: regionPrefixOf(user.org_region_code), industry: user.org_industry },
    roles: user.roles,
    permissions: new Set<Permission>(permissions.filter(isPermission)),
    requestId,
  }
}

/**
 * The principal of a user by name, without a session: for the demo seed, which files and decides
 * as the demo users so that their work reads as theirs in histories and the audit log.
 */
export async function principalOfUsername(db: Kysely<Database>, username: string, requestId: string | null): Promise<UserPrincipal> {
  const user = await repo.findUserByUsername(db, username)
  if (!user) throw new Error(`no user ${username}`)
  return principalOf(user, await repo.permissionsOfRoles(db, user.roles), requestId)
}

export interface ResolvedSession {
  principal: UserPrincipal
  csrfToken: string
  tokenHash: string
}

/** The principal behind a session cookie, or null when it is unknown, expired or its user disabled. */
export async function resolveSession(db: Kysely<Database>, token: string, requestId: string | null, now = new Date()): Promise<ResolvedSession | null> {
  const tokenHash = hashToken(token)
  const found = await repo.findSessionWithUser(db, tokenHash)
  if (!found) return null
  if (found.expires_at <= now || now.getTime() - found.last_seen_at.getTime() > SESSION_IDLE_MS) {
    await repo.deleteSession(db, tokenHash)
    return null
  }
  if (!found.active) return null
  if (now.getTime() - found.last_seen_at.getTime() > TOUCH_EVERY_MS) await repo.touchSession(db, tokenHash, now)
  return { principal: principalOf(found, found.permissions, requestId), csrfToken: found.csrf_token, tokenHash }
}

export async function logout(db: Kysely<Database>, tokenHash: string, principal: UserPrincipal): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, tokenHash)
    const user = await repo.findUserById(trx, principal.userId)
    await audit.record(trx, {
      actor: { id: principal.userId, name: principal.username },
      action: 'auth.logout',
      entityType: 'user',
      entityId: principal.userId,
      regionCode: user?.org_region_code ?? null,
      requestId: principal.requestId,
    })
  })
}

export async function changePassword(
  db: Kysely<Database>,
  principal: UserPrincipal,
  tokenHash: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const user = await repo.findUserById(db, principal.userId)
  if (!user) throw new AppError('AUTH_REQUIRED')
  if (!(await verifyPassword(user.password_hash, currentPassword))) {
    throw new AppError('VALIDATION_FAILED', undefined, [{ field: 'currentPassword', message: text('is not your current password', '当前密码不正确') }])
  }
  const ruleBroken = checkPasswordRule(newPassword, user.username, 'newPassword')
  if (ruleBroken) throw new AppError('VALIDATION_FAILED', undefined, [ruleBroken])
  const passwordHash = await hashPassword(newPassword)
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, user.id, { password_hash: passwordHash, password_changed_at: new Date() })
    // Other sessions may belong to whoever learnt the old password.
    await repo.deleteSessionsOfUser(trx, user.id, tokenHash)
    await audit.record(trx, {
      actor: { id: user.id, name: user.username },
      action: 'user.change_password',
      entityType: 'user',
      entityId: user.id,
      regionCode: user.org_region_code,
      requestId: principal.requestId,
    })
  })
}

/** Removes sessions past their absolute expiry; the server runs it every hour. */
export async function purgeExpiredSessions(db: Kysely<Database>, now = new Date()): Promise<void> {
  await repo.deleteExpiredSessions(db, now)
}

export function sessionCookieMaxAgeSeconds(): number {
  return SESSION_ABSOLUTE_MS / 1000
}
