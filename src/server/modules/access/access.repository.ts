import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import { containing } from '../../platform/like.ts'

type Executor = Kysely<Database> | Transaction<Database>

// ---- users -------------------------------------------------------------

export interface UserRecord {
  id: string
  username: string
  display_name: string
  password_hash: string
  org_id: string
  org_name: string
  org_region_code: string | null
  org_industry: string | null
  locale: 'zh-CN' | 'en'
  active: boolean
  failed_logins: number
  locked_until: Date | null
  last_login_at: Date | null
  created_at: Date
  roles: string[]
}

function usersWithOrg(db: Executor) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('org as o', 'o.id', 'u.org_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.password_hash',
      'u.org_id',
      'o.name as org_name',
      'o.region_code as org_region_code',
      'o.industry as org_industry',
      'u.locale',
      'u.active',
      'u.failed_logins',
      'u.locked_until',
      'u.last_login_at',
      'u.created_at',
      sql<string[]>`coalesce((SELECT array_agg(ur.role_code ORDER BY ur.role_code) FROM user_role ur WHERE ur.user_id = u.id), '{}')`.as('roles'),
    ])
}

/** For sign-in only: unscoped, because nobody is signed in yet. */
export function findUserByUsername(db: Executor, username: string): Promise<UserRecord | undefined> {
  return usersWithOrg(db).where(sql<boolean>`lower(u.username) = lower(${username})`).executeTakeFirst()
}

/** For the session's own user: unscoped, the session already proves who it is. */
export function findUserById(db: Executor, id: string): Promise<UserRecord | undefined> {
  return usersWithOrg(db).where('u.id', '=', id).executeTakeFirst()
}

export function findUserInScope(db: Executor, scope: DataScope, id: string, forUpdate = false): Promise<UserRecord | undefined> {
  let q = usersWithOrg(db)
    .where('u.id', '=', id)
    .where(inScope(scope, { region: 'o.region_code', industry: 'o.industry' }))
  if (forUpdate) q = q.forUpdate('u')
  return q.executeTakeFirst()
}

export interface UserListFilter {
  q?: string
  orgId?: string
  after?: { username: string; id: string }
  limit: number
}

export function listUsers(db: Executor, scope: DataScope, f: UserListFilter): Promise<UserRecord[]> {
  let q = usersWithOrg(db).where(inScope(scope, { region: 'o.region_code', industry: 'o.industry' }))
  if (f.orgId) q = q.where('u.org_id', '=', f.orgId)
  if (f.q) {
    const like = containing(f.q)
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]))
  }
  if (f.after) q = q.where(sql<boolean>`(lower(u.username), u.id) > (lower(${f.after.username}), ${f.after.id}::uuid)`)
  return q.orderBy(sql`lower(u.username)`).orderBy('u.id').limit(f.limit).execute()
}

export async function countUsers(db: Executor, scope: DataScope): Promise<number> {
  const row = await db
    .selectFrom('app_user as u')
    .innerJoin('org as o', 'o.id', 'u.org_id')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where(inScope(scope, { region: 'o.region_code', industry: 'o.industry' }))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertUser(
  trx: Transaction<Database>,
  values: { username: string; displayName: string; passwordHash: string; orgId: string; roles: string[] },
): Promise<string> {
  const { id } = await trx
    .insertInto('app_user')
    .values({ username: values.username, display_name: values.displayName, password_hash: values.passwordHash, org_id: values.orgId })
    .returning('id')
    .executeTakeFirstOrThrow()
  await setUserRoles(trx, id, values.roles)
  return id
}

export async function setUserRoles(trx: Transaction<Database>, userId: string, roles: string[]): Promise<void> {
  await trx.deleteFrom('user_role').where('user_id', '=', userId).execute()
  if (roles.length > 0) {
    await trx.insertInto('user_role').values(roles.map((role_code) => ({ user_id: userId, role_code }))).execute()
  }
}

export async function updateUser(
  db: Executor,
  id: string,
  patch: Partial<{ display_name: string; active: boolean; password_hash: string; password_changed_at: Date; failed_logins: number; locked_until: Date | null; last_login_at: Date; locale: 'zh-CN' | 'en' }>,
): Promise<void> {
  await db.updateTable('app_user').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute()
}

/** Counts a failed sign-in atomically; the threshold-th failure in a row locks the account. */
export async function recordFailedLogin(db: Executor, id: string, threshold: number, lockUntil: Date): Promise<{ failures: number; locked: boolean }> {
  const row = await db
    .updateTable('app_user')
    .set({
      failed_logins: sql<number>`CASE WHEN failed_logins + 1 >= ${threshold} THEN 0 ELSE failed_logins + 1 END`,
      locked_until: sql<Date | null>`CASE WHEN failed_logins + 1 >= ${threshold} THEN ${lockUntil}::timestamptz ELSE locked_until END`,
    })
    .where('id', '=', id)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirstOrThrow()
  const locked = row.locked_until !== null && row.locked_until.getTime() === lockUntil.getTime()
  return { failures: locked ? threshold : row.failed_logins, locked }
}

// ---- roles -------------------------------------------------------------

export interface RoleRecord {
  code: string
  name_zh: string
  name_en: string
  permissions: string[]
  built_in: boolean
}

export function listRoles(db: Executor): Promise<RoleRecord[]> {
  return db.selectFrom('role').selectAll().orderBy('code').execute()
}

export function findRole(db: Executor, code: string, forUpdate = false): Promise<RoleRecord | undefined> {
  let q = db.selectFrom('role').selectAll().where('code', '=', code)
  if (forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function setRolePermissions(db: Executor, code: string, perms: string[]): Promise<void> {
  await db.updateTable('role').set({ permissions: perms }).where('code', '=', code).execute()
}

export async function insertRoleIfMissing(db: Executor, role: RoleRecord): Promise<void> {
  await db
    .insertInto('role')
    .values(role)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute()
}

export async function permissionsOfRoles(db: Executor, roles: string[]): Promise<string[]> {
  if (roles.length === 0) return []
  const rows = await db.selectFrom('role').select('permissions').where('code', 'in', roles).execute()
  return [...new Set(rows.flatMap((r) => r.permissions))]
}

// ---- sessions ----------------------------------------------------------

export async function insertSession(
  db: Executor,
  s: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('session')
    .values({ token_hash: s.tokenHash, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent })
    .execute()
}

/**
 * A session with its user and the user's permissions, in one query: this runs on every
 * API request, so it must not become three.
 */
export function findSessionWithUser(db: Executor, tokenHash: string) {
  return usersWithOrg(db)
    .innerJoin('session as s', 's.user_id', 'u.id')
    .select(['s.csrf_token', 's.expires_at', 's.last_seen_at'])
    .select(
      sql<string[]>`coalesce((SELECT array_agg(DISTINCT perm) FROM user_role ur JOIN role r ON r.code = ur.role_code CROSS JOIN unnest(r.permissions) AS perm WHERE ur.user_id = u.id), '{}')`.as(
        'permissions',
      ),
    )
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function touchSession(db: Executor, tokenHash: string, at: Date): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('token_hash', '=', tokenHash).execute()
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('session').where('token_hash', '=', tokenHash).execute()
}

export async function deleteSessionsOfUser(db: Executor, userId: string, exceptTokenHash?: string): Promise<void> {
  let q = db.deleteFrom('session').where('user_id', '=', userId)
  if (exceptTokenHash) q = q.where('token_hash', '!=', exceptTokenHash)
  await q.execute()
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom('session').where('expires_at', '<', now).execute()
}
