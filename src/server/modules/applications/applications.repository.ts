import { type Insertable, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { ApplicationStatus, ApplicationTable } from './applications.tables.ts'

// The only SQL of the applications module.

type Executor = Kysely<Database> | Transaction<Database>

/** The first instant of the China calendar year of `day` ('YYYY-MM-DD'). */
const yearStart = (day: string) => `${day.slice(0, 4)}-01-01T00:00:00+08:00`

/** What the household was granted (or has pending) under a programme since the start of the year of `today`. */
export async function grantedThisYear(db: Executor, h: { provinceCode: string; id: string }, programmeId: string, today: string, counting: readonly ApplicationStatus[]): Promise<bigint> {
  const row = await db
    .selectFrom('application')
    .select(sql<string | null>`sum(amount_fen)::text`.as('total'))
    .where('province_code', '=', h.provinceCode)
    .where('household_id', '=', h.id)
    .where('programme_id', '=', programmeId)
    .where('status', 'in', [...counting])
    .where(sql<boolean>`created_at >= ${yearStart(today)}::timestamptz`)
    .executeTakeFirst()
  return BigInt(row?.total ?? '0')
}

/** The household row, locked for the transaction, if it is in the scope: applications of one household are serialised by it. */
export function lockHouseholdInScope(trx: Transaction<Database>, scope: DataScope, id: string) {
  return trx
    .selectFrom('household as h')
    .select(['h.province_code', 'h.id', 'h.region_code', 'h.episode'])
    .where('h.id', '=', id)
    .where(inScope(scope, { region: 'h.region_code' }))
    .forUpdate()
    .executeTakeFirst()
}

/** The household's attachments among `ids`: what an application may cite as evidence. */
export function attachmentsOf(trx: Transaction<Database>, provinceCode: string, householdId: string, ids: readonly string[]) {
  return trx
    .selectFrom('household_attachment')
    .select(['id', 'file_name'])
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .where('id', 'in', [...ids])
    .orderBy('created_at')
    .execute()
}

export function insertApplication(trx: Transaction<Database>, values: Insertable<ApplicationTable>) {
  return trx.insertInto('application').values(values).returning('id').executeTakeFirstOrThrow()
}

export async function setApprovalId(trx: Transaction<Database>, provinceCode: string, id: string, approvalId: string): Promise<void> {
  await trx.updateTable('application').set({ approval_id: approvalId }).where('province_code', '=', provinceCode).where('id', '=', id).execute()
}

/** An application with its household's file number, head and region and its programme's names. */
export function baseQuery(db: Executor) {
  return db
    .selectFrom('application as a')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'a.province_code').onRef('h.id', '=', 'a.household_id'))
    .innerJoin('programme as g', 'g.id', 'a.programme_id')
    .select([
      'a.province_code',
      'a.id',
      'a.household_id',
      'h.file_no',
      'h.head_name',
      'h.region_code',
      'a.programme_id',
      'a.programme_code',
      'g.name_zh',
      'g.name_en',
      'a.period',
      'a.request',
      'a.amount_fen',
      'a.eligibility',
      'a.benefit',
      'a.status',
      'a.approval_id',
      'a.created_by',
      'a.created_at',
      'a.updated_at',
      'a.version',
    ])
}

export type ApplicationRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>

/** The application an approval decides, locked, with its household's region and episode (national: the approval service checked the scope). */
export function lockForTransition(trx: Transaction<Database>, id: string) {
  return trx
    .selectFrom('application as a')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'a.province_code').onRef('h.id', '=', 'a.household_id'))
    .select(['a.province_code', 'a.id', 'a.household_id', 'a.status', 'a.version', 'a.programme_code', 'a.period', 'h.region_code', 'h.episode'])
    .where('a.id', '=', id)
    .forUpdate(['a'])
    .executeTakeFirst()
}

export async function setStatus(trx: Transaction<Database>, provinceCode: string, id: string, status: ApplicationStatus, version: number): Promise<void> {
  await trx.updateTable('application').set({ status, version, updated_at: new Date() }).where('province_code', '=', provinceCode).where('id', '=', id).execute()
}

/** The programmes' own approval kinds (other than the shared one), with the programmes that use each. */
export function programmeApprovalKinds(db: Executor, shared: string) {
  return db
    .selectFrom('programme')
    .select(['approval_kind', sql<string>`string_agg(name_zh, '、' ORDER BY code)`.as('names_zh'), sql<string>`string_agg(name_en, ', ' ORDER BY code)`.as('names_en')])
    .where('approval_kind', '<>', shared)
    .groupBy('approval_kind')
    .orderBy('approval_kind')
    .execute()
}

/** What the approvals inbox shows of applications: file number, head, programme, period. */
export function labelRows(db: Executor, ids: readonly string[]) {
  return db
    .selectFrom('application as a')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'a.province_code').onRef('h.id', '=', 'a.household_id'))
    .innerJoin('programme as g', 'g.id', 'a.programme_id')
    .select(['a.id', 'h.file_no', 'h.head_name', 'g.name_zh', 'a.period'])
    .where('a.id', 'in', [...ids])
    .execute()
}

export function findInScope(db: Executor, scope: DataScope, id: string): Promise<ApplicationRow | undefined> {
  return baseQuery(db).where('a.id', '=', id).where(inScope(scope, { region: 'h.region_code' })).executeTakeFirst()
}

/** A page of applications in the scope (by the household's region), newest first, keyset on (created_at, id). */
export function listInScope(
  db: Executor,
  scope: DataScope,
  f: { householdId?: string; programmeId?: string; status?: ApplicationStatus; before?: { createdAt: string; id: string }; limit: number },
): Promise<ApplicationRow[]> {
  let q = baseQuery(db).where(inScope(scope, { region: 'h.region_code' }))
  if (f.householdId !== undefined) q = q.where('a.household_id', '=', f.householdId)
  if (f.programmeId !== undefined) q = q.where('a.programme_id', '=', f.programmeId)
  if (f.status !== undefined) q = q.where('a.status', '=', f.status)
  if (f.before) q = q.where(sql<boolean>`(a.created_at, a.id) < (${f.before.createdAt}::timestamptz, ${f.before.id}::uuid)`)
  return q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(f.limit).execute()
}
