import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import type { DataScope } from '../../platform/scope.ts'
import type { ProgrammeTable } from './programmes.tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface ProgrammeRecord {
  id: string
  code: string
  name_zh: string
  name_en: string
  kind: string
  fund_type: string
  eligibility: unknown
  formula: unknown
  frequency: string
  cap_per_household_year_fen: bigint | null
  approval_kind: string
  posting_required: boolean
  posting_days: number
  policy_basis: string
  region_prefix: string
  active: boolean
  version: number
  created_by: string | null
  created_at: Date
  updated_at: Date
}

/**
 * Programmes that apply inside a scope: national ones (''), those of the regions above the scope
 * (their prefix is a prefix of the scope's), and those of regions inside it.
 */
function visible(scope: DataScope) {
  if (scope.regionPrefix === '') return sql<boolean>`true`
  return sql<boolean>`(starts_with(${scope.regionPrefix}, p.region_prefix) OR p.region_prefix LIKE ${`${scope.regionPrefix}%`})`
}

export function list(db: Executor, scope: DataScope, f: { kind?: string; includeInactive?: boolean }): Promise<ProgrammeRecord[]> {
  let q = db.selectFrom('programme as p').selectAll('p').where(visible(scope))
  if (f.kind) q = q.where('p.kind', '=', f.kind as never)
  if (!f.includeInactive) q = q.where('p.active', '=', true)
  return q.orderBy('p.region_prefix').orderBy('p.kind').orderBy('p.code').execute() as Promise<ProgrammeRecord[]>
}

export function findVisible(db: Executor, scope: DataScope, id: string): Promise<ProgrammeRecord | undefined> {
  return db.selectFrom('programme as p').selectAll('p').where('p.id', '=', id).where(visible(scope)).executeTakeFirst() as Promise<ProgrammeRecord | undefined>
}

export function findByCode(db: Executor, code: string): Promise<ProgrammeRecord | undefined> {
  return db.selectFrom('programme as p').selectAll('p').where('p.code', '=', code).executeTakeFirst() as Promise<ProgrammeRecord | undefined>
}

export interface ProgrammeInsert {
  code: string
  name_zh: string
  name_en: string
  kind: ProgrammeTable['kind']
  fund_type: string
  eligibility: unknown
  formula: unknown
  frequency: string
  cap_per_household_year_fen: bigint | null
  approval_kind?: string
  posting_required?: boolean
  posting_days?: number
  policy_basis?: string
  region_prefix?: string
  created_by: string | null
}

export async function insert(trx: Executor, row: ProgrammeInsert): Promise<string> {
  const r = await trx
    .insertInto('programme')
    .values({ ...row, eligibility: JSON.stringify(row.eligibility), formula: JSON.stringify(row.formula) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** Updates when the version matches; returns the number of rows changed (0: stale or gone). */
export async function update(trx: Executor, id: string, version: number, set: Partial<ProgrammeInsert> & { active?: boolean }): Promise<number> {
  const values: Record<string, unknown> = { ...set, version: sql`version + 1`, updated_at: new Date() }
  if (set.eligibility !== undefined) values.eligibility = JSON.stringify(set.eligibility)
  if (set.formula !== undefined) values.formula = JSON.stringify(set.formula)
  const r = await trx.updateTable('programme').set(values as never).where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(r.numUpdatedRows)
}
