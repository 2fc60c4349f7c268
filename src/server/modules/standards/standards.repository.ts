import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import type { DataScope } from '../../platform/scope.ts'
import type { LocalStandardTable } from '../households/households.tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface StandardRecord {
  id: string
  region_code: string
  effective_from: string
  dibao_line_fen: bigint
  min_wage_fen: bigint
  deep_multiple_bp: number
  relative_multiple_bp: number
  accident_ratio_bp: number
  laid_off_allowance_fen: bigint | null
  note: string | null
  created_by: string | null
  created_at: Date
  /** 中原区 */
  region_name: string
}

const columns = [
  's.id',
  's.region_code',
  's.effective_from',
  's.dibao_line_fen',
  's.min_wage_fen',
  's.deep_multiple_bp',
  's.relative_multiple_bp',
  's.accident_ratio_bp',
  's.laid_off_allowance_fen',
  's.note',
  's.created_by',
  's.created_at',
  'r.name as region_name',
] as const

const standards = (db: Executor) => db.selectFrom('local_standard as s').innerJoin('region as r', 'r.code', 's.region_code')

/**
 * The standard in force on `on` for the most specific of `regionCodes` that has one: region codes
 * of one path (county PPCCDD > city PPCC00 > province PP0000) sort by specificity as strings, so one
 * ordered query picks the most specific region, then its latest effective date not after `on`.
 */
export function findInForce(db: Executor, regionCodes: string[], on: string): Promise<StandardRecord | undefined> {
  return standards(db)
    .select(columns)
    .where('s.region_code', 'in', regionCodes)
    .where('s.effective_from', '<=', on)
    .orderBy('s.region_code', 'desc')
    .orderBy('s.effective_from', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export function findById(db: Executor, id: string): Promise<StandardRecord | undefined> {
  return standards(db).select(columns).where('s.id', '=', id).executeTakeFirst()
}

/**
 * Standards a scope may read: those of regions inside the scope, and those of the scope's
 * ancestors (which apply inside it). `ancestors` are the region codes above the scope.
 * Optionally narrowed to one region's path (its ancestors and its subtree).
 */
export function list(
  db: Executor,
  scope: DataScope,
  ancestors: string[],
  narrow: { prefix: string; ancestors: string[] } | null,
  page: { after: { regionCode: string; effectiveFrom: string; id: string } | null; limit: number },
): Promise<StandardRecord[]> {
  let q = standards(db).select(columns)
  if (scope.regionPrefix !== '') {
    q = q.where((eb) => eb.or([eb('s.region_code', 'like', `${scope.regionPrefix}%`), ...(ancestors.length ? [eb('s.region_code', 'in', ancestors)] : [])]))
  }
  if (narrow) {
    q = q.where((eb) => eb.or([eb('s.region_code', 'like', `${narrow.prefix}%`), ...(narrow.ancestors.length ? [eb('s.region_code', 'in', narrow.ancestors)] : [])]))
  }
  const a = page.after
  if (a) {
    // region ascending, then date descending, then id ascending
    q = q.where(
      sql<boolean>`(s.region_code > ${a.regionCode} OR (s.region_code = ${a.regionCode} AND (s.effective_from < ${a.effectiveFrom}::date OR (s.effective_from = ${a.effectiveFrom}::date AND s.id > ${a.id}::uuid))))`,
    )
  }
  return q.orderBy('s.region_code').orderBy('s.effective_from', 'desc').orderBy('s.id').limit(page.limit).execute()
}

export async function insert(trx: Transaction<Database>, row: Omit<LocalStandardTable, 'id' | 'created_at' | 'deep_multiple_bp' | 'relative_multiple_bp' | 'accident_ratio_bp'> & {
  deep_multiple_bp: number
  relative_multiple_bp: number
  accident_ratio_bp: number
}): Promise<string> {
  const r = await trx.insertInto('local_standard').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

export async function remove(trx: Transaction<Database>, id: string): Promise<number> {
  const r = await trx.deleteFrom('local_standard').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Households of a region prefix in the given statuses, keyset by (province_code, id). */
export function householdsAfter(
  db: Executor,
  prefix: string,
  statuses: readonly string[],
  after: { provinceCode: string; id: string } | null,
  limit: number,
): Promise<{ province_code: string; id: string }[]> {
  let q = db
    .selectFrom('household as h')
    .select(['h.province_code', 'h.id'])
    .where('h.region_code', 'like', `${prefix}%`)
    .where('h.status', 'in', statuses as never)
  if (after) q = q.where(sql<boolean>`(h.province_code, h.id) > (${after.provinceCode}, ${after.id}::uuid)`)
  return q.orderBy('h.province_code').orderBy('h.id').limit(limit).execute()
}

export async function countHouseholds(db: Executor, prefix: string, statuses: readonly string[]): Promise<number> {
  const r = await db
    .selectFrom('household as h')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('h.region_code', 'like', `${prefix}%`)
    .where('h.status', 'in', statuses as never)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}
