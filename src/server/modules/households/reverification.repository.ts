import { type Selectable, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import { onFileStatuses } from './codes.ts'
import type { ReverificationItemTable, ReverificationOutcome, ReverificationResolution, ReverificationRunTable } from './reverification.tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type RunRecord = Selectable<ReverificationRunTable>
export type ItemRecord = Selectable<ReverificationItemTable>

/** The partial unique index that allows one running run per (year, region_prefix, industry). */
export const ONE_RUNNING_INDEX = 'reverification_run_one_running_idx'

/**
 * A run is visible to a caller whose scope overlaps the run's: a city user sees the city's runs and
 * its counties' runs; a county user sees their county's runs and the runs of the city or province
 * above that cover their county (their households are on those work lists). Items are filtered by
 * the household's region on top of this.
 */
function runInScope(scope: DataScope) {
  const prefix = scope.regionPrefix
  const parts = [sql<boolean>`(r.region_prefix LIKE ${`${prefix}%`} OR ${prefix} LIKE r.region_prefix || '%')`]
  if (scope.industry !== null) parts.push(sql<boolean>`r.industry = ${scope.industry}`)
  return sql<boolean>`(${sql.join(parts, sql` AND `)})`
}

/**
 * Brings runs in line with their job when the job ended without the handler writing the run's
 * end itself (it failed, or was cancelled before it started).
 */
export async function syncEnded(db: Executor): Promise<void> {
  await sql`
    UPDATE reverification_run r SET status = j.status, finished_at = coalesce(r.finished_at, j.finished_at, now())
    FROM job j
    WHERE r.job_id = j.id AND r.status = 'running' AND j.status IN ('succeeded', 'failed', 'cancelled')`.execute(db)
}

export async function insertRun(
  trx: Transaction<Database>,
  values: { year: number; regionPrefix: string; industry: string | null; createdBy: string | null; counts: unknown },
): Promise<RunRecord> {
  return trx
    .insertInto('reverification_run')
    .values({
      year: values.year,
      region_prefix: values.regionPrefix,
      industry: values.industry,
      created_by: values.createdBy,
      counts: JSON.stringify(values.counts),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function setJob(db: Executor, runId: string, jobId: string): Promise<void> {
  await db.updateTable('reverification_run').set({ job_id: jobId }).where('id', '=', runId).execute()
}

export async function deleteRun(db: Executor, runId: string): Promise<void> {
  await db.deleteFrom('reverification_run').where('id', '=', runId).execute()
}

export function findRun(db: Executor, id: string): Promise<RunRecord | undefined> {
  return db.selectFrom('reverification_run').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findRunInScope(db: Executor, scope: DataScope, id: string): Promise<RunRecord | undefined> {
  return db.selectFrom('reverification_run as r').selectAll('r').where('r.id', '=', id).where(runInScope(scope)).executeTakeFirst()
}

export function listRunsInScope(db: Executor, scope: DataScope, f: { after?: { createdAt: Date; id: string }; limit: number }): Promise<RunRecord[]> {
  let q = db.selectFrom('reverification_run as r').selectAll('r').where(runInScope(scope))
  if (f.after) q = q.where(sql<boolean>`(r.created_at, r.id) < (${f.after.createdAt}, ${f.after.id}::uuid)`)
  return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(f.limit).execute()
}

export async function finishRun(trx: Transaction<Database>, runId: string, status: 'succeeded' | 'cancelled', counts: unknown): Promise<void> {
  await trx
    .updateTable('reverification_run')
    .set({ status, counts: JSON.stringify(counts), finished_at: new Date() })
    .where('id', '=', runId)
    .execute()
}

export async function saveCounts(trx: Transaction<Database>, runId: string, counts: unknown): Promise<void> {
  await trx.updateTable('reverification_run').set({ counts: JSON.stringify(counts) }).where('id', '=', runId).execute()
}

const onFile = [...onFileStatuses]

/** Households the run covers: on file, in the run's scope. */
function covered(scope: DataScope) {
  return inScope(scope, { region: 'h.region_code' })
}

export async function countCovered(db: Executor, scope: DataScope): Promise<number> {
  const row = await db
    .selectFrom('household as h')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('h.status', 'in', onFile)
    .where(covered(scope))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface ChunkHousehold {
  province_code: string
  id: string
  region_code: string
  status: string
  episode: number
  updated_at: Date
  verified_at: Date | null
  last_visit_on: string | null
  yearly_income_fen: bigint
  member_income_fen: string
}

/** The next households of the walk, in id order after `afterId`, with their members' income summed. */
export function nextChunk(trx: Executor, scope: DataScope, afterId: string | null, limit: number): Promise<ChunkHousehold[]> {
  let q = trx
    .selectFrom('household as h')
    .select([
      'h.province_code',
      'h.id',
      'h.region_code',
      'h.status',
      'h.episode',
      'h.updated_at',
      'h.verified_at',
      'h.last_visit_on',
      'h.yearly_income_fen',
      sql<string>`(SELECT coalesce(sum(m.monthly_income_fen), 0)::text FROM household_member m
                   WHERE m.province_code = h.province_code AND m.household_id = h.id)`.as('member_income_fen'),
    ])
    .where('h.status', 'in', onFile)
    .where(covered(scope))
  if (afterId !== null) q = q.where('h.id', '>', afterId)
  return q.orderBy('h.id').limit(limit).execute()
}

/** Marks a household as under re-verification; false when it was not 'verified' (already under it). */
export async function markReverifying(trx: Transaction<Database>, provinceCode: string, id: string): Promise<boolean> {
  const r = await trx
    .updateTable('household')
    .set({ status: 'reverifying', version: sql`version + 1` })
    .where('province_code', '=', provinceCode)
    .where('id', '=', id)
    .where('status', '=', 'verified')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export interface StoredClassification {
  province_code: string
  id: string
  hardship_type: string | null
  per_capita_monthly_fen: bigint | null
  standard_id: string | null
  dibao_line_fen: bigint | null
  relative_multiple_bp: number | null
}

/** What the reclassification stored, with the line of the standard it used. */
export function storedClassifications(trx: Executor, provinceCode: string, ids: readonly string[]): Promise<StoredClassification[]> {
  if (ids.length === 0) return Promise.resolve([])
  return trx
    .selectFrom('household as h')
    .leftJoin('local_standard as s', 's.id', 'h.standard_id')
    .select(['h.province_code', 'h.id', 'h.hardship_type', 'h.per_capita_monthly_fen', 'h.standard_id', 's.dibao_line_fen', 's.relative_multiple_bp'])
    .where('h.province_code', '=', provinceCode)
    .where('h.id', 'in', [...ids])
    .execute()
}

export async function insertItems(
  trx: Transaction<Database>,
  items: readonly { provinceCode: string; runId: string; householdId: string; outcome: ReverificationOutcome; reasons: unknown }[],
): Promise<void> {
  if (items.length === 0) return
  await trx
    .insertInto('reverification_item')
    .values(
      items.map((i) => ({
        province_code: i.provinceCode,
        run_id: i.runId,
        household_id: i.householdId,
        outcome: i.outcome,
        reasons: JSON.stringify(i.reasons),
      })),
    )
    // A chunk commits once with its checkpoint; this only guards against a household walked twice.
    .onConflict((oc) => oc.columns(['province_code', 'run_id', 'household_id']).doNothing())
    .execute()
}

export interface OutcomeCount {
  outcome: ReverificationOutcome
  total: number
  unresolved: number
}

export async function countsByOutcome(db: Executor, scope: DataScope, runId: string): Promise<OutcomeCount[]> {
  const rows = await db
    .selectFrom('reverification_item as i')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'i.province_code').onRef('h.id', '=', 'i.household_id'))
    .select([
      'i.outcome',
      (eb) => eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) FILTER (WHERE i.resolution IS NULL)`.as('unresolved'),
    ])
    .where('i.run_id', '=', runId)
    .where(covered(scope))
    .groupBy('i.outcome')
    .execute()
  return rows.map((r) => ({ outcome: r.outcome, total: Number(r.total), unresolved: Number(r.unresolved) }))
}

export interface WorkItemRow {
  province_code: string
  household_id: string
  file_no: string
  head_name: string
  region_code: string
  household_status: string
  outcome: ReverificationOutcome
  reasons: unknown
  resolution: ReverificationResolution | null
  resolved_by_name: string | null
  resolved_at: Date | null
  note: string | null
}

export interface WorkListFilter {
  outcome?: ReverificationOutcome
  /** true: resolved only; false: open only */
  resolved?: boolean
  /** a region-code prefix inside the caller's scope */
  regionPrefix?: string
  after?: { fileNo: string; householdId: string }
  householdId?: string
  limit: number
}

/** The work list of a run in the caller's scope, by file number. */
export function workList(db: Executor, scope: DataScope, runId: string, f: WorkListFilter): Promise<WorkItemRow[]> {
  let q = db
    .selectFrom('reverification_item as i')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'i.province_code').onRef('h.id', '=', 'i.household_id'))
    .leftJoin('app_user as u', 'u.id', 'i.resolved_by')
    .select([
      'i.province_code',
      'i.household_id',
      'h.file_no',
      'h.head_name',
      'h.region_code',
      'h.status as household_status',
      'i.outcome',
      'i.reasons',
      'i.resolution',
      'u.display_name as resolved_by_name',
      'i.resolved_at',
      'i.note',
    ])
    .where('i.run_id', '=', runId)
    .where(covered(scope))
  if (f.outcome) q = q.where('i.outcome', '=', f.outcome)
  if (f.resolved === true) q = q.where('i.resolution', 'is not', null)
  if (f.resolved === false) q = q.where('i.resolution', 'is', null)
  if (f.regionPrefix) q = q.where('h.region_code', 'like', `${f.regionPrefix}%`)
  if (f.householdId) q = q.where('i.household_id', '=', f.householdId)
  if (f.after) q = q.where(sql<boolean>`(h.file_no, h.id) > (${f.after.fileNo}, ${f.after.householdId}::uuid)`)
  return q.orderBy('h.file_no').orderBy('h.id').limit(f.limit).execute()
}

export interface ItemWithHousehold extends ItemRecord {
  region_code: string
  household_status: string
  episode: number
}

/** One item of the run whose household is in the caller's scope, locked for the resolution. */
export function findItemForUpdate(trx: Transaction<Database>, scope: DataScope, runId: string, householdId: string): Promise<ItemWithHousehold | undefined> {
  return trx
    .selectFrom('reverification_item as i')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'i.province_code').onRef('h.id', '=', 'i.household_id'))
    .selectAll('i')
    .select(['h.region_code', 'h.status as household_status', 'h.episode'])
    .where('i.run_id', '=', runId)
    .where('i.household_id', '=', householdId)
    .where(covered(scope))
    .forUpdate('i')
    .executeTakeFirst()
}

export async function resolveItem(
  trx: Transaction<Database>,
  key: { provinceCode: string; runId: string; householdId: string },
  values: { resolution: ReverificationResolution; resolvedBy: string | null; note: string | null },
): Promise<void> {
  await trx
    .updateTable('reverification_item')
    .set({ resolution: values.resolution, resolved_by: values.resolvedBy, resolved_at: new Date(), note: values.note })
    .where('province_code', '=', key.provinceCode)
    .where('run_id', '=', key.runId)
    .where('household_id', '=', key.householdId)
    .execute()
}

/** Items of the household, in any run, that nobody has resolved yet. */
export async function openItemsOf(trx: Executor, provinceCode: string, householdId: string): Promise<number> {
  const row = await trx
    .selectFrom('reverification_item')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .where('resolution', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Back on file after re-verification; false when it was no longer under re-verification. */
export async function markVerified(trx: Transaction<Database>, provinceCode: string, id: string): Promise<boolean> {
  const r = await trx
    .updateTable('household')
    .set({ status: 'verified', version: sql`version + 1` })
    .where('province_code', '=', provinceCode)
    .where('id', '=', id)
    .where('status', '=', 'reverifying')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function userName(db: Executor, id: string | null): Promise<{ username: string; display_name: string; org_id: string } | undefined> {
  if (id === null) return Promise.resolve(undefined)
  return db.selectFrom('app_user').select(['username', 'display_name', 'org_id']).where('id', '=', id).executeTakeFirst()
}
